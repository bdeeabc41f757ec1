package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena"
	"skillarena/scoring"
)

// Rankings, publication, the public results and live board, and exports
// (issue 5, items 5 and 6). The figures and their JSON are the scoring
// package's (API.md "Rankings"); a published version is served as stored.

type rankingJSON struct {
	Stage scoring.RankingStage `json:"stage"`
	Kind  scoring.RankingKind  `json:"kind"`
	// PublishedVersion is the version shown, null for the draft.
	PublishedVersion *int       `json:"published_version"`
	PublishedAt      *time.Time `json:"published_at"`
	Note             *string    `json:"note"`
	Pending          int        `json:"pending"`
	ComputedAt       time.Time  `json:"computed_at"`
	Items            any        `json:"items"`
}

func toRankingJSON(r scoring.Ranking, kind scoring.RankingKind, pub *scoring.Publication) rankingJSON {
	out := rankingJSON{Stage: r.Stage, Kind: kind, Pending: r.Pending, ComputedAt: r.ComputedAt}
	if kind == scoring.RankingTeam {
		out.Items = r.Teams
	} else {
		out.Items = r.Individuals
	}
	if pub != nil {
		v, at, note := pub.Version, pub.PublishedAt, pub.Note
		out.PublishedVersion, out.PublishedAt, out.Note = &v, &at, &note
	}
	return out
}

// rankingQuery is a ranking request's parameters.
type rankingQuery struct {
	kind    scoring.RankingKind
	version int   // 0: not asked for
	unitID  int64 // 0: no filter
}

func optionalID(c *gin.Context, name string) (int64, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, skillarena.Invalid(map[string]string{name: "ranking.id_invalid"})
	}
	return n, nil
}

func parseRankingQuery(c *gin.Context, st scoring.Stage) (rankingQuery, error) {
	kind, err := scoring.ParseRankingKind(c.Query("kind"), st)
	if err != nil {
		return rankingQuery{}, err
	}
	v, err := optionalID(c, "version")
	if err != nil {
		return rankingQuery{}, err
	}
	u, err := optionalID(c, "unit_id")
	if err != nil {
		return rankingQuery{}, err
	}
	return rankingQuery{kind: kind, version: int(v), unitID: u}, nil
}

// filtered keeps the rows of the query's unit subtree.
func (s *Server) filtered(ctx context.Context, r scoring.Ranking, q rankingQuery) (scoring.Ranking, error) {
	if q.unitID == 0 {
		return r, nil
	}
	units, err := s.scoring.UnitSubtree(ctx, q.unitID)
	if skillarena.ErrorCode(err) == skillarena.ENOTFOUND {
		return r, skillarena.Invalid(map[string]string{"unit_id": "ranking.unit_unknown"})
	} else if err != nil {
		return r, err
	}
	return r.Filter(units), nil
}

// stageRanking is what an organiser asked for: a version when they name
// one, else the draft for the stage's organisers (when draft allows it) and
// the latest version for the organisers of its teams.
func (s *Server) stageRanking(c *gin.Context, draft bool) (scoring.StageAccess, rankingQuery, scoring.Ranking, *scoring.Publication, error) {
	ctx := c.Request.Context()
	a, err := s.stageAccess(c)
	if err != nil {
		return a, rankingQuery{}, scoring.Ranking{}, nil, err
	}
	q, err := parseRankingQuery(c, a.Stage)
	if err != nil {
		return a, q, scoring.Ranking{}, nil, err
	}
	var r scoring.Ranking
	var pub *scoring.Publication
	if q.version == 0 && a.Organiser && draft {
		r, err = s.scoring.DraftRanking(ctx, a)
	} else {
		var p scoring.Publication
		p, err = s.scoring.PublishedVersion(ctx, a.Stage.ID, q.version)
		if err == nil {
			pub = &p
			r, err = p.Ranking()
		}
	}
	if err != nil {
		return a, q, r, nil, err
	}
	r, err = s.filtered(ctx, r, q)
	return a, q, r, pub, err
}

func (s *Server) getRankings(c *gin.Context) error {
	_, q, r, pub, err := s.stageRanking(c, true)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toRankingJSON(r, q.kind, pub))
	return nil
}

type publicationJSON struct {
	Version         int        `json:"version"`
	Note            string     `json:"note"`
	SHA256          string     `json:"sha256"`
	Pending         int        `json:"pending"`
	AppealUntil     *time.Time `json:"appeal_until"`
	PublishedBy     int64      `json:"published_by"`
	PublishedByName string     `json:"published_by_name"`
	PublishedAt     time.Time  `json:"published_at"`
}

func (s *Server) listRankingVersions(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	vs, err := s.scoring.Publications(c.Request.Context(), a)
	if err != nil {
		return err
	}
	out := make([]publicationJSON, len(vs))
	for i, v := range vs {
		out[i] = publicationJSON(v)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type publishRequest struct {
	Note         string `json:"note" binding:"max=1000"`
	AppealHours  *int   `json:"appeal_hours"`
	AllowPending bool   `json:"allow_pending"`
}

func (s *Server) publishRanking(c *gin.Context) error {
	var req publishRequest
	a, err := bindFor(c, s.stageAccess, &req)
	if err != nil {
		return err
	}
	p, err := s.scoring.Publish(c.Request.Context(), a, scoring.PublishInput{Note: req.Note, AppealHours: req.AppealHours, AllowPending: req.AllowPending})
	if err != nil {
		return err
	}
	name := user(c).Name
	c.JSON(http.StatusCreated, publicationJSON{Version: p.Version, Note: p.Note, SHA256: p.SnapshotSHA256, Pending: p.Pending,
		AppealUntil: p.AppealUntil, PublishedBy: p.PublishedBy, PublishedByName: name, PublishedAt: p.PublishedAt})
	return nil
}

// publicResults answers the latest published version to anyone; a stage
// with nothing published is not found. Every request reads the latest
// version's number (one indexed row); the answer rendered from a version is
// kept by resultsCache, since a published version never changes, so a new
// version, published through any server, is served at once.
func (s *Server) publicResults(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	version, err := s.scoring.LatestVersion(ctx, id)
	if err != nil {
		return err
	}
	// Only plain asks (by kind) are kept: a unit filter reads the org tree,
	// which may change, and other parameters are checked on every request.
	query := c.Request.URL.Query()
	kind := query.Get("kind")
	cacheable := len(query) == 0 || (len(query) == 1 && len(query["kind"]) == 1 && kind != "")
	if body, ok := s.resultsCache.get(id, version, kind); cacheable && ok {
		c.Data(http.StatusOK, "application/json; charset=utf-8", body)
		return nil
	}
	pub, err := s.scoring.PublishedVersion(ctx, id, version)
	if err != nil {
		return err
	}
	r, err := pub.Ranking()
	if err != nil {
		return err
	}
	st := scoring.Stage{ID: id, Kind: r.Stage.Kind}
	q, err := parseRankingQuery(c, st)
	if err != nil {
		return err
	}
	q.version = pub.Version
	if r, err = s.filtered(ctx, r, q); err != nil {
		return err
	}
	_, competition, err := s.scoring.StageName(ctx, id)
	if err != nil {
		return err
	}
	body, err := json.Marshal(struct {
		rankingJSON
		Competition string `json:"competition"`
		// AppealUntil tells contestants how long they may appeal.
		AppealUntil *time.Time `json:"appeal_until"`
	}{toRankingJSON(r, q.kind, &pub), competition, pub.AppealUntil})
	if err != nil {
		return err
	}
	if cacheable {
		s.resultsCache.put(id, version, kind, body)
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	return nil
}

// resultsCache keeps, per stage, the public results rendered from its latest
// published version, by the kind asked for ("" for the stage's default).
// Only answers that rendered are kept, so at most three per stage.
type resultsCache struct {
	mu      sync.Mutex
	byStage map[int64]cachedResults
}

type cachedResults struct {
	version int
	bodies  map[string][]byte
}

// maxCachedStages bounds the stages whose results are kept; past it one is
// dropped to make room.
const maxCachedStages = 1000

func (rc *resultsCache) get(stageID int64, version int, kind string) ([]byte, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.byStage[stageID]
	if !ok || e.version != version {
		return nil, false
	}
	b, ok := e.bodies[kind]
	return b, ok
}

// put keeps body for a stage's version; a body of an older version than the
// one kept (a slow request) is not kept, a newer one replaces them all.
func (rc *resultsCache) put(stageID int64, version int, kind string, body []byte) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.byStage == nil {
		rc.byStage = map[int64]cachedResults{}
	}
	e, ok := rc.byStage[stageID]
	switch {
	case ok && e.version > version:
		return
	case !ok || e.version < version:
		if !ok && len(rc.byStage) >= maxCachedStages {
			for other := range rc.byStage {
				delete(rc.byStage, other)
				break
			}
		}
		e = cachedResults{version: version, bodies: map[string][]byte{}}
		rc.byStage[stageID] = e
	}
	e.bodies[kind] = body
}

// liveInterval is how often the live board re-reads the database.
const liveInterval = time.Second

// liveBoard streams the practical round's signed-off scores to anyone.
func (s *Server) liveBoard(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	read := func(ctx context.Context, shared bool) (scoring.LiveBoard, error) {
		if !shared {
			return s.scoring.LiveBoardOf(ctx, id)
		}
		return s.liveBoards.get(ctx, id, liveInterval, func(ctx context.Context) (scoring.LiveBoard, error) {
			return s.scoring.LiveBoardOf(ctx, id)
		})
	}
	key := func(b scoring.LiveBoard) string {
		b.ServerTime = time.Time{}
		k, _ := json.Marshal(b)
		return string(k)
	}
	return streamSSE(s, c, "board", liveInterval, read, key)
}

// Exports.

func (s *Server) exportText(c *gin.Context) scoring.ExportText {
	lang := pickLang(c.GetHeader("Accept-Language"))
	return func(id string, args map[string]any) string { return s.tr.T(lang, id, args) }
}

func exportFormat(c *gin.Context, allowed ...string) (string, error) {
	f := c.DefaultQuery("format", allowed[0])
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", skillarena.Invalid(map[string]string{"format": "ranking.format_unknown"})
}

var exportTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pdf":  "application/pdf",
}

// exportDoc is the document an export renders from the request.
func (s *Server) exportDoc(c *gin.Context, draft bool) (scoring.ExportDoc, scoring.StageAccess, rankingQuery, error) {
	a, q, r, pub, err := s.stageRanking(c, draft)
	if err != nil {
		return scoring.ExportDoc{}, a, q, err
	}
	_, competition, err := s.scoring.StageName(c.Request.Context(), a.Stage.ID)
	if err != nil {
		return scoring.ExportDoc{}, a, q, err
	}
	d := scoring.ExportDoc{Competition: competition, Ranking: r, T: s.exportText(c)}
	if pub != nil {
		v, at := pub.Version, pub.PublishedAt
		d.Version, d.PublishedAt = &v, &at
	}
	return d, a, q, nil
}

func (s *Server) sendExport(c *gin.Context, format, base, name string, d scoring.ExportDoc, write func(*bytes.Buffer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	v := "draft"
	if d.Version != nil {
		v = "v" + strconv.Itoa(*d.Version)
	}
	file := fmt.Sprintf("%s-%d-%s.%s", base, d.Ranking.Stage.ID, v, format)
	attachment(c, exportTypes[format], file, fmt.Sprintf("%s-%s-%s.%s", name, d.Ranking.Stage.Name, v, format), buf.Bytes())
	return nil
}

func (s *Server) exportRankings(c *gin.Context) error {
	format, err := exportFormat(c, "xlsx", "pdf")
	if err != nil {
		return err
	}
	d, _, q, err := s.exportDoc(c, true)
	if err != nil {
		return err
	}
	return s.sendExport(c, format, "ranking-"+string(q.kind), d.T("ranking.export.file_"+string(q.kind), nil), d, func(b *bytes.Buffer) error {
		if format == "pdf" {
			return writeRankingPDF(b, d, q.kind)
		}
		return writeRankingXLSX(b, d, q.kind)
	})
}

func (s *Server) exportScoreSheets(c *gin.Context) error {
	format, err := exportFormat(c, "xlsx", "pdf")
	if err != nil {
		return err
	}
	team, err := optionalID(c, "team_id")
	if err != nil {
		return err
	}
	d, a, _, err := s.exportDoc(c, true)
	if err != nil {
		return err
	}
	if a.Stage.Kind != scoring.StageTeams {
		return skillarena.NewError(skillarena.ECONFLICT, "ranking.no_teams", nil)
	}
	return s.sendExport(c, format, "score-sheets", d.T("ranking.export.file_score_sheets", nil), d, func(b *bytes.Buffer) error {
		if format == "pdf" {
			return writeScoreSheetsPDF(b, d, team)
		}
		return writeScoreSheetsXLSX(b, d, team)
	})
}

func (s *Server) exportCertificates(c *gin.Context) error {
	if _, err := exportFormat(c, "pdf"); err != nil {
		return err
	}
	top := 3
	if v := c.Query("top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return skillarena.Invalid(map[string]string{"top": "ranking.top_range"})
		}
		top = n
	}
	// Certificates are of published results: the latest version by default.
	d, _, q, err := s.exportDoc(c, false)
	if err != nil {
		return err
	}
	return s.sendExport(c, "pdf", "certificates-"+string(q.kind), d.T("ranking.export.file_certificates", nil), d, func(b *bytes.Buffer) error {
		return writeCertificatesPDF(b, d, q.kind, top)
	})
}

type myResultJSON struct {
	StageID     int64                     `json:"stage_id"`
	StageName   string                    `json:"stage_name"`
	Competition string                    `json:"competition"`
	Version     int                       `json:"published_version"`
	PublishedAt time.Time                 `json:"published_at"`
	AppealUntil *time.Time                `json:"appeal_until"`
	Of          int                       `json:"of"`
	Row         scoring.IndividualRanking `json:"row"`
}

// myResults answers the caller's own rows of every published ranking of a
// stage they were entered in, with the appeal window.
func (s *Server) myResults(c *gin.Context) error {
	rs, err := s.scoring.MyResults(c.Request.Context(), user(c).ID)
	if err != nil {
		return err
	}
	out := make([]myResultJSON, len(rs))
	for i, r := range rs {
		out[i] = myResultJSON{StageID: r.StageID, StageName: r.StageName, Competition: r.Competition, Version: r.Version,
			PublishedAt: r.PublishedAt, AppealUntil: r.AppealUntil, Of: r.Individuals, Row: r.Row}
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

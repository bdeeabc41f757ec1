package server

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"skillarena"
	"skillarena/exam"
	"skillarena/scoring"
)

type competitionJSON struct {
	ID        int64     `json:"id"`
	OrgUnitID int64     `json:"org_unit_id"`
	Name      string    `json:"name"`
	Year      int       `json:"year"`
	CreatedAt time.Time `json:"created_at"`
}

func (s *Server) listCompetitions(c *gin.Context) error {
	cs, err := s.scoring.ListCompetitions(c.Request.Context(), scope(c))
	if err != nil {
		return err
	}
	out := make([]competitionJSON, len(cs))
	for i, cp := range cs {
		out[i] = competitionJSON{ID: cp.ID, OrgUnitID: cp.OrgUnitID, Name: cp.Name, Year: cp.Year, CreatedAt: cp.CreatedAt}
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type createCompetitionRequest struct {
	OrgUnitID int64  `json:"org_unit_id" binding:"required"`
	Name      string `json:"name" binding:"required,max=200"`
	Year      int    `json:"year" binding:"required"`
}

func (s *Server) createCompetition(c *gin.Context) error {
	var req createCompetitionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	cp, err := s.scoring.CreateCompetition(c.Request.Context(), scope(c), scoring.CompetitionInput{OrgUnitID: req.OrgUnitID, Name: req.Name, Year: req.Year})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, competitionJSON{ID: cp.ID, OrgUnitID: cp.OrgUnitID, Name: cp.Name, Year: cp.Year, CreatedAt: cp.CreatedAt})
	return nil
}

type stageJSON struct {
	ID              int64             `json:"id"`
	CompetitionID   int64             `json:"competition_id"`
	CompetitionName string            `json:"competition_name,omitempty"`
	OrgUnitID       int64             `json:"org_unit_id"`
	OrgUnitName     string            `json:"org_unit_name,omitempty"`
	Name            string            `json:"name"`
	Kind            scoring.StageKind `json:"kind"`
	Settings        scoring.Settings  `json:"settings"`
	RosterDeadline  *time.Time        `json:"roster_deadline"`
	RostersLockedAt *time.Time        `json:"rosters_locked_at"`
	WrittenExamID   *int64            `json:"written_exam_id"`
	PreviousStageID *int64            `json:"previous_stage_id"`
	Organiser       bool              `json:"organiser"`
	Teams           []int64           `json:"teams"`
	// FixedSettings: the settings that can no longer change, with why; only
	// for one stage (a list leaves it out rather than look up every stage).
	FixedSettings *map[string]scoring.FixedReason `json:"fixed_settings,omitempty"`
}

func toStageJSON(a scoring.StageAccess) stageJSON {
	st := a.Stage
	teams := a.Teams
	if teams == nil {
		teams = []int64{}
	}
	return stageJSON{ID: st.ID, CompetitionID: st.CompetitionID, OrgUnitID: st.OrgUnitID, Name: st.Name, Kind: st.Kind,
		Settings: st.Settings(), RosterDeadline: st.RosterDeadline, RostersLockedAt: st.RostersLocked, WrittenExamID: st.WrittenExamID,
		PreviousStageID: st.PreviousStageID, Organiser: a.Organiser, Teams: teams}
}

// oneStageJSON is a stage as read on its own: with the settings that are
// fixed, so a form can show them as such before anyone tries to change one.
func (s *Server) oneStageJSON(c *gin.Context, a scoring.StageAccess) (stageJSON, error) {
	fixed, err := s.scoring.FixedSettings(c.Request.Context(), a)
	if err != nil {
		return stageJSON{}, err
	}
	j := toStageJSON(a)
	j.FixedSettings = &fixed
	return j, nil
}

func (s *Server) listStages(c *gin.Context) error {
	ss, err := s.scoring.ListStages(c.Request.Context(), scope(c))
	if err != nil {
		return err
	}
	out := make([]stageJSON, len(ss))
	for i, st := range ss {
		j := toStageJSON(scoring.StageAccess{Stage: st.Stage, Organiser: st.Organiser})
		j.CompetitionName, j.OrgUnitName = st.CompetitionName, st.OrgUnitName
		out[i] = j
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type createStageRequest struct {
	CompetitionID   int64             `json:"competition_id" binding:"required"`
	OrgUnitID       int64             `json:"org_unit_id" binding:"required"`
	Name            string            `json:"name" binding:"required,max=200"`
	Kind            scoring.StageKind `json:"kind" binding:"omitempty,oneof=teams individuals"`
	Settings        *scoring.Settings `json:"settings"`
	RosterDeadline  *time.Time        `json:"roster_deadline"`
	TeamUnitIDs     []int64           `json:"team_unit_ids" binding:"max=500"`
	PreviousStageID *int64            `json:"previous_stage_id"`
}

func (s *Server) createStage(c *gin.Context) error {
	var req createStageRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	st, err := s.scoring.CreateStage(ctx, scope(c), scoring.StageInput{CompetitionID: req.CompetitionID, OrgUnitID: req.OrgUnitID,
		Name: req.Name, Kind: req.Kind, Settings: req.Settings, RosterDeadline: req.RosterDeadline, TeamUnitIDs: req.TeamUnitIDs,
		PreviousStageID: req.PreviousStageID})
	if err != nil {
		return err
	}
	a, err := s.scoring.Access(ctx, scope(c), st.ID)
	if err != nil {
		return err
	}
	j, err := s.oneStageJSON(c, a)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, j)
	return nil
}

// stageAccess resolves the :id stage for the caller; a stage they have
// nothing to do with is not found.
func (s *Server) stageAccess(c *gin.Context) (scoring.StageAccess, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return scoring.StageAccess{}, err
	}
	return s.scoring.Access(c.Request.Context(), scope(c), id)
}

func (s *Server) getStage(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	j, err := s.oneStageJSON(c, a)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, j)
	return nil
}

// updateStageRequest is a stage's name, roster deadline and settings. It is
// decoded over the stage as it is, so fields left out stay unchanged (and
// "roster_deadline": null removes the deadline).
type updateStageRequest struct {
	Name           string           `json:"name" binding:"max=200"`
	RosterDeadline *time.Time       `json:"roster_deadline"`
	Settings       scoring.Settings `json:"settings"`
}

func (s *Server) updateStage(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	req := updateStageRequest{Name: a.Stage.Name, RosterDeadline: a.Stage.RosterDeadline, Settings: a.Stage.Settings()}
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	st, err := s.scoring.UpdateStage(c.Request.Context(), a, scoring.StageUpdate{Name: req.Name, RosterDeadline: req.RosterDeadline, Settings: req.Settings})
	if err != nil {
		return err
	}
	a.Stage = st
	j, err := s.oneStageJSON(c, a)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, j)
	return nil
}

type memberJSON struct {
	UserID   int64  `json:"user_id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

type rosterJSON struct {
	TeamID   int64        `json:"team_id"`
	TeamName string       `json:"team_name"`
	Written  []memberJSON `json:"written"`
	Nominee  *memberJSON  `json:"nominee"`
	Drawn    *memberJSON  `json:"drawn"`
}

func toMemberJSON(m *scoring.Member) *memberJSON {
	if m == nil {
		return nil
	}
	return &memberJSON{UserID: m.UserID, Username: m.Username, Name: m.Name}
}

func (s *Server) listRosters(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	rs, err := s.scoring.Rosters(c.Request.Context(), a)
	if err != nil {
		return err
	}
	out := make([]rosterJSON, len(rs))
	for i, r := range rs {
		w := make([]memberJSON, len(r.Written))
		for j := range r.Written {
			w[j] = *toMemberJSON(&r.Written[j])
		}
		out[i] = rosterJSON{TeamID: r.TeamID, TeamName: r.TeamName, Written: w, Nominee: toMemberJSON(r.Nominee), Drawn: toMemberJSON(r.Drawn)}
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

type setRosterRequest struct {
	Written []int64 `json:"written" binding:"max=10000"`
	// Nominee is required for a team; a stage of individuals has none.
	Nominee int64 `json:"nominee"`
}

// teamParam reads :team_id; 0 names the one roster of a stage of
// individuals.
func teamParam(c *gin.Context) (int64, error) {
	if c.Param("team_id") == "0" {
		return 0, nil
	}
	return pathID(c, "team_id")
}

func (s *Server) setRoster(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	team, err := teamParam(c)
	if err != nil {
		return err
	}
	var req setRosterRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Written == nil {
		req.Written = []int64{}
	}
	if err := s.scoring.SetRoster(c.Request.Context(), a, team, scoring.RosterInput{Written: req.Written, Nominee: req.Nominee}); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) lockRosters(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	if err := s.scoring.LockRosters(c.Request.Context(), a); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

type substitutionRequest struct {
	Out    int64        `json:"out" binding:"required"`
	In     int64        `json:"in" binding:"required"`
	Slot   scoring.Slot `json:"slot" binding:"required,oneof=written nominee"`
	Reason string       `json:"reason" binding:"required,max=500"`
}

func (s *Server) substitute(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	team, err := teamParam(c)
	if err != nil {
		return err
	}
	var req substitutionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := s.scoring.Substitute(c.Request.Context(), a, team, req.Out, req.In, req.Slot, req.Reason); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// createWrittenExam creates the stage's written exam and enrols the rosters;
// it is always a competition exam with one attempt, results released by hand.
func (s *Server) createWrittenExam(c *gin.Context) error {
	var req examSettingsRequest
	a, err := bindFor(c, s.stageAccess, &req)
	if err != nil {
		return err
	}
	in := req.input()
	in.ResultsVisibility = exam.ResultsManual
	e, err := s.scoring.CreateWrittenExam(c.Request.Context(), scope(c), a, in)
	if err != nil {
		return err
	}
	return s.answerExam(c, http.StatusCreated, e.ID)
}

// The draw.

type drawJSON struct {
	Version     string             `json:"version"`
	Number      int                `json:"number"`
	Commitment  string             `json:"commitment"`
	CommittedAt time.Time          `json:"committed_at"`
	Reason      string             `json:"reason"`
	Seed        *string            `json:"seed"`
	Entropy     *string            `json:"entropy"`
	DrawnAt     *time.Time         `json:"drawn_at"`
	Teams       []scoring.TeamPool `json:"teams"`
	Result      []scoring.Drawn    `json:"result"`
}

// toDrawJSON shows a draw; its seed only once it is performed.
func toDrawJSON(d scoring.PracticalDraw) drawJSON {
	out := drawJSON{Version: scoring.DrawVersion, Number: d.Number, Commitment: d.Commitment, CommittedAt: d.CommittedAt,
		Reason: d.Reason, Entropy: d.Entropy, DrawnAt: d.DrawnAt, Teams: d.Pools(), Result: d.Result()}
	if d.Performed() {
		seed := d.SeedHex
		out.Seed = &seed
	}
	if out.Teams == nil {
		out.Teams = []scoring.TeamPool{}
	}
	if out.Result == nil {
		out.Result = []scoring.Drawn{}
	}
	return out
}

type commitDrawRequest struct {
	Reason string `json:"reason" binding:"max=500"`
}

func (s *Server) commitDraw(c *gin.Context) error {
	var req commitDrawRequest
	return s.answerDraw(c, &req, func(ctx context.Context, a scoring.StageAccess) (scoring.PracticalDraw, error) {
		return s.scoring.CommitDraw(ctx, a, req.Reason)
	})
}

type performDrawRequest struct {
	Entropy string `json:"entropy" binding:"required,max=200"`
}

func (s *Server) performDraw(c *gin.Context) error {
	var req performDrawRequest
	return s.answerDraw(c, &req, func(ctx context.Context, a scoring.StageAccess) (scoring.PracticalDraw, error) {
		return s.scoring.PerformDraw(ctx, a, req.Entropy)
	})
}

// answerDraw reads the :id stage and the request body into req, then
// answers the draw act makes of that stage with what req now holds.
func (s *Server) answerDraw(c *gin.Context, req any, act func(context.Context, scoring.StageAccess) (scoring.PracticalDraw, error)) error {
	a, err := bindFor(c, s.stageAccess, req)
	if err != nil {
		return err
	}
	d, err := act(c.Request.Context(), a)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toDrawJSON(d))
	return nil
}

func (s *Server) listDraws(c *gin.Context) error {
	a, err := s.stageAccess(c)
	if err != nil {
		return err
	}
	ds, err := s.scoring.Draws(c.Request.Context(), a.Stage.ID)
	if err != nil {
		return err
	}
	out := make([]drawJSON, len(ds))
	for i, d := range ds {
		out[i] = toDrawJSON(d)
	}
	c.JSON(http.StatusOK, newList(out, int64(len(out))))
	return nil
}

// publicDraw answers, without sign-in, everything needed to re-run the
// stage's draw: the latest draw (committed or performed) and every earlier
// one, so a redraw shows as such.
func (s *Server) publicDraw(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ds, err := s.scoring.Draws(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		return skillarena.NotFound("draw")
	}
	latest := toDrawJSON(ds[len(ds)-1])
	earlier := make([]drawJSON, len(ds)-1)
	for i, d := range ds[:len(ds)-1] {
		earlier[i] = toDrawJSON(d)
	}
	names, err := s.scoring.NamesFor(c.Request.Context(), id, ds)
	if err != nil {
		return err
	}
	type named struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	list := func(m map[int64]string) []named {
		out := make([]named, 0, len(m))
		for id, n := range m {
			out = append(out, named{id, n})
		}
		slices.SortFunc(out, func(a, b named) int { return cmp.Compare(a.ID, b.ID) })
		return out
	}
	c.JSON(http.StatusOK, gin.H{"stage_id": id, "stage_name": names.Stage, "competition": names.Competition,
		"draw": latest, "earlier": earlier, "redrawn": len(ds) > 1,
		"names": gin.H{"teams": list(names.Teams), "contestants": list(names.Contestants)}})
	return nil
}

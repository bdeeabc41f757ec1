package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena"
	"skillarena/exam"
	"skillarena/scoring"
)

// rankedStage is a provincial stage of the six demo counties with locked
// rosters (county n enters eng(n-1)1..eng(n-1)8, nominee the first), the
// draw performed, and a written exam every written contestant submitted
// except each county's eighth, who is absent. It returns the stage and the
// written exam.
func rankedStage(t *testing.T, e *testEnv, admin *client) (int64, int64) {
	t.Helper()
	id := newStage(t, e, admin)
	scores := map[int64]skillarena.Points{}
	for i, code := range []string{"C1", "C2", "C3", "C4", "C5", "C6"} {
		from := 1 + 10*i
		written := e.engineers(from, from+7)
		r := admin.send(http.MethodPut, fmt.Sprintf("/api/v1/stages/%d/rosters/%d", id, e.unit(code).ID),
			map[string]any{"written": written, "nominee": written[0]})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		for k, u := range written[:7] {
			scores[u] = skillarena.Points(6000 + 250*i + 137*k) // distinct, with hundredths
		}
	}
	require.Equal(t, http.StatusNoContent, admin.post(fmt.Sprintf("/api/v1/stages/%d/rosters/lock", id), nil).status)
	require.Equal(t, http.StatusOK, admin.post(fmt.Sprintf("/api/v1/stages/%d/draws/commit", id), map[string]any{}).status)
	require.Equal(t, http.StatusOK, admin.post(fmt.Sprintf("/api/v1/stages/%d/draws/perform", id), map[string]any{"entropy": "7 7 7"}).status)

	now := e.clock.Now()
	admin0 := e.userID("admin")
	bp := exam.Blueprint{OrgUnitID: e.unit("PROV").ID, Name: "笔试卷", SectionsJSON: "[]", CreatedBy: admin0, CreatedAt: now, UpdatedAt: now}
	require.NoError(t, e.db.Create(&bp).Error)
	x := exam.Exam{OrgUnitID: bp.OrgUnitID, Title: "省决赛笔试", Kind: exam.KindCompetition, OpensAt: now.Add(-3 * time.Hour), ClosesAt: now.Add(-time.Hour),
		DurationSeconds: 3600, BlueprintID: bp.ID, PaperMode: exam.PaperFixed, MaxAttempts: 1, ResultsVisibility: exam.ResultsManual,
		CreatedBy: admin0, CreatedAt: now, UpdatedAt: now}
	require.NoError(t, e.db.Create(&x).Error)
	paper := exam.Paper{ExamID: x.ID, Seed: "00", ItemsJSON: "[]", CreatedAt: now}
	require.NoError(t, e.db.Create(&paper).Error)
	for u, sc := range scores {
		sc := sc
		sub := now.Add(-2 * time.Hour)
		require.NoError(t, e.db.Create(&exam.Attempt{ExamID: x.ID, UserID: u, Number: 1, PaperID: paper.ID, Status: exam.AttemptSubmitted,
			StartedAt: now.Add(-3 * time.Hour), Deadline: sub, AcceptUntil: sub, SubmittedAt: &sub, SubmittedBy: "contestant",
			Score: &sc, Graded: true, CreatedAt: now, UpdatedAt: now}).Error)
	}
	require.NoError(t, e.db.Model(&scoring.Stage{}).Where("id = ?", id).Update("written_exam_id", x.ID).Error)
	return id, x.ID
}

func decimal(t *testing.T, v any) *big.Rat {
	t.Helper()
	s, ok := v.(string)
	require.True(t, ok, "%v is a decimal string", v)
	r, ok := new(big.Rat).SetString(s)
	require.True(t, ok, "%q is a decimal", s)
	return r
}

// recomputeTeams recomputes every team's total from the members and stage
// shown in a rankings answer, as API.md tells a reader to, and rounds it
// half up at the stage's precision.
func recomputeTeams(t *testing.T, m map[string]any) {
	t.Helper()
	st := m["stage"].(map[string]any)
	prec := int(st["precision"].(float64))
	w := st["weights"].(map[string]any)
	ww, wp := decimal(t, w["written"]), decimal(t, w["practical"])
	size, psize := st["written_roster_size"].(float64), st["practical_size"].(float64)
	require.Equal(t, true, st["absent_counts_as_zero"])
	items := m["items"].([]any)
	require.NotEmpty(t, items)
	for _, it := range items {
		row := it.(map[string]any)
		sw, sp := new(big.Rat), new(big.Rat)
		for _, mm := range row["members"].([]any) {
			mem := mm.(map[string]any)
			if mem["in_written"] == true && mem["written"] != nil {
				sw.Add(sw, decimal(t, mem["written"]))
			}
			if mem["practical_role"] != nil && mem["practical"] != nil {
				sp.Add(sp, decimal(t, mem["practical"]))
			}
		}
		sw.Quo(sw, new(big.Rat).SetFloat64(size))
		sp.Quo(sp, new(big.Rat).SetFloat64(psize))
		total := new(big.Rat).Add(new(big.Rat).Mul(sw, ww), new(big.Rat).Mul(sp, wp))
		// Half up: add half a unit of the last place, then cut.
		scale := new(big.Rat).SetInt64(100)
		if prec == 1 {
			scale.SetInt64(10)
		} else if prec == 0 {
			scale.SetInt64(1)
		}
		v := new(big.Rat).Mul(total, scale)
		v.Add(v, big.NewRat(1, 2))
		q := new(big.Int).Quo(v.Num(), v.Denom())
		assert.Equal(t, new(big.Rat).SetFrac(q, scale.Num()).FloatString(prec), row["total"], "team %v", row["team"])
	}
}

// The organiser's draft, publication, a correction as version 2 with version
// 1 still readable by organisers, and the public results without sign-in
// showing only the latest.
func TestRankingAPI_PublishAndPublicResultsWithoutSignIn(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		id, examID := rankedStage(t, e, admin)
		anon := e.client()
		county1 := e.login("county1")
		path := fmt.Sprintf("/api/v1/stages/%d", id)

		r := admin.get(path + "/rankings?kind=team")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		m := r.json(t)
		assert.Nil(t, m["published_version"], "the draft")
		assert.Len(t, m["items"], 6)
		assert.Equal(t, "0.40", m["stage"].(map[string]any)["weights"].(map[string]any)["written"])
		recomputeTeams(t, m)
		assert.Positive(t, m["pending"], "no practical marks yet")

		assert.Equal(t, http.StatusNotFound, anon.get(fmt.Sprintf("/api/v1/public/stages/%d/results", id)).status, "nothing published")
		assert.Equal(t, http.StatusNotFound, county1.get(path+"/rankings").status, "a team organiser sees published versions only")
		assert.Equal(t, http.StatusForbidden, county1.post(path+"/publications", map[string]any{"allow_pending": true}).status)
		r = admin.post(path+"/publications", map[string]any{})
		assert.Equal(t, http.StatusConflict, r.status, "pending figures")
		r = admin.post(path+"/publications", map[string]any{"allow_pending": true, "appeal_hours": 48})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		assert.Equal(t, float64(1), r.json(t)["version"])

		r = anon.get(fmt.Sprintf("/api/v1/public/stages/%d/results?kind=team", id))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, float64(1), r.json(t)["published_version"])
		assert.Equal(t, "客维服务劳动竞赛", r.json(t)["competition"])
		recomputeTeams(t, r.json(t))
		r = anon.get(fmt.Sprintf("/api/v1/public/stages/%d/results?kind=individual&unit_id=%d", id, e.unit("R1").ID))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Len(t, r.json(t)["items"], 24, "region 1's three counties, eight each")

		// A correction: a re-marked written score, published with a note.
		eng001 := e.userID("eng001")
		require.NoError(t, e.db.Model(&exam.Attempt{}).Where("exam_id = ? AND user_id = ?", examID, eng001).Update("score", 9999).Error)
		r = admin.post(path+"/publications", map[string]any{"allow_pending": true})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, "a correction needs a note")
		r = admin.post(path+"/publications", map[string]any{"allow_pending": true, "note": "eng001 笔试复核更正"})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		assert.Equal(t, float64(2), r.json(t)["version"])

		written := func(m map[string]any) any {
			for _, it := range m["items"].([]any) {
				row := it.(map[string]any)
				if row["contestant"].(map[string]any)["id"] == float64(eng001) {
					return row["written"]
				}
			}
			return nil
		}
		r = admin.get(path + "/rankings?kind=individual&version=1")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "60.00", written(r.json(t)), "version 1 as published")
		r = county1.get(path + "/rankings?kind=individual")
		assert.Equal(t, float64(2), r.json(t)["published_version"])
		assert.Equal(t, "99.99", written(r.json(t)))
		for _, c := range []*client{admin, county1} {
			r = c.get(path + "/rankings/versions")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.Len(t, r.json(t)["items"], 2, "older versions stay visible to organisers")
		}
		r = anon.get(fmt.Sprintf("/api/v1/public/stages/%d/results?kind=individual&version=1", id))
		assert.Equal(t, float64(2), r.json(t)["published_version"], "the public sees the latest only")
		assert.Equal(t, "99.99", written(r.json(t)))
		assert.Equal(t, http.StatusUnauthorized, anon.get(path+"/rankings/versions").status)
		assert.Equal(t, http.StatusForbidden, e.login("eng001").get(path+"/rankings").status, "contestants read the public results")

		// Exports.
		r = admin.get(path + "/rankings/export?kind=team&format=xlsx&version=2")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.header.Get("Content-Type"))
		assert.Contains(t, r.header.Get("Content-Disposition"), "ranking-team-")
		r = admin.get(path + "/score-sheets?format=xlsx")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		r = admin.get(path + "/rankings/export?format=doc")
		assert.Equal(t, http.StatusUnprocessableEntity, r.status)
		if pdfAvailable() == nil {
			r = admin.get(path + "/certificates?kind=individual&top=3")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.Equal(t, "application/pdf", r.header.Get("Content-Type"))
			r = county1.get(path + "/rankings/export?kind=individual&format=pdf")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		}
		assert.Equal(t, 2, e.auditActions(t, "ranking.publish"))
	})
}

// Only a contestant appeals, only their own result (the body names no one
// else), and sees only their own appeals; organisers assign and resolve.
func TestAppealAPI_AContestantAppealsOnlyTheirOwnResult(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		id, _ := rankedStage(t, e, admin)
		path := fmt.Sprintf("/api/v1/stages/%d", id)
		require.Equal(t, http.StatusCreated, admin.post(path+"/publications", map[string]any{"allow_pending": true}).status)
		eng001, eng011 := e.login("eng001"), e.login("eng011")
		mine := eng001.get("/api/v1/me/results")
		require.Equal(t, http.StatusOK, mine.status, "%s", mine.body)
		items := mine.json(t)["items"].([]any)
		require.NotEmpty(t, items, "the contestant finds the stage they were entered in")
		row := items[0].(map[string]any)
		assert.EqualValues(t, id, row["stage_id"])
		assert.Equal(t, "eng001", fmt.Sprint(e.usernameOf(t, int64(row["row"].(map[string]any)["contestant"].(map[string]any)["id"].(float64)))), "their own row only")
		assert.NotNil(t, row["appeal_until"])
		assert.Empty(t, e.login("eng060").get("/api/v1/me/results").json(t)["items"], "nothing for someone never entered")

		r := eng001.post(path+"/appeals", map[string]any{"reason": "第 12 题评分有误", "user_id": e.userID("eng011")})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, "no appealing for someone else")
		r = eng001.post(path+"/appeals", map[string]any{"reason": "第 12 题评分有误"})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		ap := r.json(t)
		assert.Equal(t, "eng001", ap["contestant"].(map[string]any)["username"])
		assert.Equal(t, "open", ap["status"])
		apID := int64(ap["id"].(float64))
		assert.Equal(t, http.StatusConflict, eng001.post(path+"/appeals", map[string]any{"reason": "再来一次"}).status)
		assert.Equal(t, http.StatusNotFound, e.login("eng060").post(path+"/appeals", map[string]any{"reason": "我不在名单"}).status,
			"no result of theirs")
		assert.Equal(t, http.StatusForbidden, admin.post(path+"/appeals", map[string]any{"reason": "x"}).status, "organisers do not appeal")

		assert.Len(t, eng001.get("/api/v1/me/appeals").json(t)["items"], 1)
		assert.Len(t, eng011.get("/api/v1/me/appeals").json(t)["items"], 0, "only their own")
		assert.Equal(t, http.StatusForbidden, eng011.get(fmt.Sprintf("/api/v1/appeals/%d", apID)).status)
		assert.Equal(t, http.StatusForbidden, eng011.get(path+"/appeals").status)
		assert.Equal(t, http.StatusNotFound, e.login("county2").get(fmt.Sprintf("/api/v1/appeals/%d", apID)).status)

		r = admin.get(path + "/appeals")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Len(t, r.json(t)["items"], 1)
		r = admin.post(fmt.Sprintf("/api/v1/appeals/%d/assignment", apID), map[string]any{"assignee_id": e.userID("judge1"), "note": "请复评"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "judge1", r.json(t)["assignee"].(map[string]any)["username"])
		r = admin.post(fmt.Sprintf("/api/v1/appeals/%d/outcome", apID), map[string]any{"outcome": "changed", "note": "加分"})
		assert.Equal(t, http.StatusConflict, r.status, "nothing was re-marked")
		r = admin.post(fmt.Sprintf("/api/v1/appeals/%d/outcome", apID), map[string]any{"outcome": "unchanged", "note": "复评维持原分"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "resolved", r.json(t)["status"])
		assert.Equal(t, "unchanged", r.json(t)["outcome"])
		assert.Equal(t, 1, e.auditActions(t, "appeal.resolve"))
	})
}

// The selection takes each county's best two; confirmed, it is the next
// stage's candidate pool.
func TestSelectionAPI_TopKPerUnitIntoTheNextStage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		id, _ := rankedStage(t, e, admin)
		path := fmt.Sprintf("/api/v1/stages/%d", id)
		assert.Equal(t, http.StatusNotFound, admin.get(path+"/selection").status)
		require.Equal(t, http.StatusCreated, admin.post(path+"/publications", map[string]any{"allow_pending": true}).status)
		r := admin.send(http.MethodPut, path+"/selection", map[string]any{"rule": map[string]any{"kind": "top_per_unit", "k": 2}})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, float64(12), r.json(t)["selected"], "two of each of six counties")
		r = admin.send(http.MethodPut, path+"/selection", map[string]any{"rule": map[string]any{"kind": "top_per_unit", "k": 2},
			"choices": []map[string]any{{"user_id": e.userID("eng003"), "selected": true, "reason": "组委会特批"}}})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, float64(13), r.json(t)["selected"])
		assert.Equal(t, http.StatusForbidden, e.login("county1").post(path+"/selection/confirm", nil).status)
		r = admin.post(path+"/selection/confirm", nil)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.NotNil(t, r.json(t)["confirmed_at"])

		competition := admin.get(path).json(t)["competition_id"]
		r = admin.post("/api/v1/stages", map[string]any{"competition_id": competition, "org_unit_id": e.unit("PROV").ID, "name": "省集训",
			"kind": "individuals", "previous_stage_id": id})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		next := int64(r.json(t)["id"].(float64))
		r = admin.get(fmt.Sprintf("/api/v1/stages/%d/candidates", next))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, float64(13), r.json(t)["total"])
	})
}

// The live board needs no sign-in and streams signed-off scores as
// server-sent events.
func TestRankingAPI_LiveBoardStreamsWithoutSignIn(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		id, _ := rankedStage(t, e, admin)
		assert.Equal(t, http.StatusNotFound, e.client().get("/api/v1/public/stages/999999/live").status)

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/api/v1/public/stages/%d/live", e.ts.URL, id), nil)
		require.NoError(t, err)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode)
		assert.Contains(t, res.Header.Get("Content-Type"), "text/event-stream")
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var event, data string
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				event = v
			} else if v, ok := strings.CutPrefix(line, "data: "); ok {
				data = v
				break
			}
		}
		assert.Equal(t, "board", event)
		var b map[string]any
		require.NoError(t, json.Unmarshal([]byte(data), &b))
		assert.Len(t, b["contestants"], 12, "each county's nominee and drawn contestant")
		assert.Equal(t, float64(0), b["scored"], "no judge has signed off")
	})
}

// The public results are rendered once per published version and kept;
// every request still reads which version is the latest, so a correction
// published through another server (sharing the database) is served at
// once, by every server.
func TestRankingAPI_PublicResultsAreKeptPerVersionAndANewVersionShowsOnEveryServer(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		id, examID := rankedStage(t, e, admin)
		path := fmt.Sprintf("/api/v1/stages/%d", id)
		public := fmt.Sprintf("/api/v1/public/stages/%d/results?kind=team", id)
		r := admin.post(path+"/publications", map[string]any{"allow_pending": true})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)

		anon := e.client()
		first := anon.get(public)
		require.Equal(t, http.StatusOK, first.status, "%s", first.body)
		kept, ok := e.srv.resultsCache.get(id, 1, "team")
		require.True(t, ok, "version 1 is kept once rendered")
		assert.Equal(t, first.body, kept)
		assert.Equal(t, first.body, anon.get(public).body, "served as kept")
		assert.Equal(t, float64(1), first.json(t)["published_version"])

		// A second server on the same database publishes a correction.
		other := *e
		srv, err := New(e.cfg, e.clock, slog.New(slog.NewTextHandler(io.Discard, nil)), Deps{Org: e.org, Content: e.srv.content, Exam: e.exam,
			Scoring: scoring.NewService(e.db, e.clock, e.org.Audit(), e.exam), Ready: func(context.Context) error { return nil }})
		require.NoError(t, err)
		other.srv = srv
		other.ts = httptest.NewServer(srv.Handler())
		t.Cleanup(other.ts.Close)
		require.NoError(t, e.db.Model(&exam.Attempt{}).Where("exam_id = ? AND user_id = ?", examID, e.userID("eng001")).Update("score", 9999).Error)
		r = other.login("admin").post(path+"/publications", map[string]any{"allow_pending": true, "note": "eng001 笔试复核更正"})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)

		r = anon.get(public)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, float64(2), r.json(t)["published_version"], "the first server serves the new version at once")
		_, ok = e.srv.resultsCache.get(id, 1, "team")
		assert.False(t, ok, "the old version is no longer kept")
		r = anon.get(fmt.Sprintf("/api/v1/public/stages/%d/results?kind=team&unit_id=%d", id, e.unit("R1").ID))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Len(t, r.json(t)["items"], 3, "a unit filter is applied on every request")
		assert.Equal(t, http.StatusUnprocessableEntity, anon.get(fmt.Sprintf("/api/v1/public/stages/%d/results?kind=team&version=x", id)).status)
	})
}

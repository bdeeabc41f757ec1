package server

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type resultBody struct {
	AttemptID  int64  `json:"attempt_id"`
	Score      string `json:"score"`
	MaxScore   string `json:"max_score"`
	Graded     bool   `json:"graded"`
	KeysShown  bool   `json:"keys_shown"`
	Contestant *struct {
		Username string `json:"username"`
	} `json:"contestant"`
	ByTopic []struct {
		TopicID int64  `json:"topic_id"`
		Topic   string `json:"topic"`
		Score   string `json:"score"`
		Max     string `json:"max"`
	} `json:"by_topic"`
	ByType []struct {
		Type string `json:"type"`
	} `json:"by_type"`
	Items []struct {
		ID         int            `json:"id"`
		Type       string         `json:"type"`
		CorrectKey map[string]any `json:"correct_key"`
	} `json:"items"`
}

// sitAndSubmit starts c's attempt at examID, answers its first single-choice
// item with "A" and submits it.
func sitAndSubmit(t *testing.T, c *client, examID int64) attemptBody {
	t.Helper()
	a := start(t, c, examID)
	item := firstItemOfType(t, a, "single_choice")
	r := c.send(http.MethodPut, fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.ID, item), map[string]any{"response": "A", "seq": 1})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r = c.post(fmt.Sprintf("/api/v1/attempts/%d/submit", a.ID), nil)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	return a
}

// keysIn counts the items of a result that carry a correct key.
func keysIn(r resultBody) int {
	n := 0
	for _, it := range r.Items {
		if it.CorrectKey != nil {
			n++
		}
	}
	return n
}

func TestResultsAPI_AnotherContestantsResultIsNotFound(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		eng := e.login("eng001")
		examID := mockExam(t, eng)
		a := sitAndSubmit(t, eng, examID)

		r := eng.get(fmt.Sprintf("/api/v1/attempts/%d/result", a.ID))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		mine := decode[resultBody](t, r)
		assert.Equal(t, a.ID, mine.AttemptID)
		assert.Equal(t, "41.00", mine.MaxScore, "the demo mock paper: 21 × 1 + 3 × 2 + 2 × 2 + 10")
		assert.NotEmpty(t, mine.ByTopic)
		assert.NotEmpty(t, mine.ByType)
		assert.False(t, mine.KeysShown, "the mock exam is open for a year yet")
		assert.Zero(t, keysIn(mine))
		assert.Nil(t, mine.Contestant, "contestants are not told who they are")

		for _, who := range []string{"eng002", "eng011"} {
			r = e.login(who).get(fmt.Sprintf("/api/v1/attempts/%d/result", a.ID))
			assert.Equal(t, http.StatusNotFound, r.status, "%s reads eng001's result: %s", who, r.body)
		}
		r = eng.get(fmt.Sprintf("/api/v1/exams/%d/results", examID))
		assert.Equal(t, http.StatusForbidden, r.status, "a contestant lists no one's results")
		r = eng.get(fmt.Sprintf("/api/v1/exams/%d/results/%d", examID, a.ID))
		assert.Equal(t, http.StatusForbidden, r.status)

		// The province's organiser sees every result, keys included; a
		// county's organiser does not see a provincial exam at all.
		admin := e.login("admin")
		r = admin.get(fmt.Sprintf("/api/v1/exams/%d/results?page_size=10", examID))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		list := decode[struct {
			Items []struct {
				AttemptID   int64  `json:"attempt_id"`
				Username    string `json:"username"`
				OrgUnitName string `json:"org_unit_name"`
			} `json:"items"`
			Total int `json:"total"`
		}](t, r)
		require.Equal(t, 1, list.Total)
		assert.Equal(t, "eng001", list.Items[0].Username)
		assert.Equal(t, "东江城区分局", list.Items[0].OrgUnitName)
		r = admin.get(fmt.Sprintf("/api/v1/exams/%d/results/%d", examID, a.ID))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		theirs := decode[resultBody](t, r)
		require.NotNil(t, theirs.Contestant)
		assert.Equal(t, "eng001", theirs.Contestant.Username)
		assert.True(t, theirs.KeysShown)
		assert.Equal(t, 26, keysIn(theirs), "every objective item of the mock paper (its one short answer has none)")
		assert.Equal(t, mine.Score, theirs.Score)

		county1 := e.login("county1")
		for _, path := range []string{"/results", fmt.Sprintf("/results/%d", a.ID), "/statistics"} {
			r = county1.get(fmt.Sprintf("/api/v1/exams/%d%s", examID, path))
			assert.Equal(t, http.StatusNotFound, r.status, "county1 GET %s: %s", path, r.body)
		}
		r = admin.get(fmt.Sprintf("/api/v1/exams/%d/results/%d", examID, a.ID+1000))
		assert.Equal(t, http.StatusNotFound, r.status)
	})
}

// An exam whose results are released by hand: nothing shows until an
// organiser of the exam's unit releases them (audited, once); the keys come
// only when the exam closes, on the server's clock.
func TestResultsAPI_ManualResultsShowOnceReleasedAndKeysOnceClosed(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		bp := admin.get("/api/v1/blueprints").json(t)["items"].([]any)[0].(map[string]any)["id"]
		var bank any
		for _, b := range admin.get("/api/v1/banks").json(t)["items"].([]any) {
			if b.(map[string]any)["org_unit_id"].(float64) == float64(e.unit("PROV").ID) {
				bank = b.(map[string]any)["id"]
			}
		}
		now := e.clock.Now()
		r := admin.post("/api/v1/exams", map[string]any{"org_unit_id": e.unit("PROV").ID, "title": "手动发布", "opens_at": now.Add(-time.Minute),
			"closes_at": now.Add(30 * time.Minute), "duration_minutes": 20, "blueprint_id": bp, "bank_ids": []any{bank},
			"results_visibility": "manual"})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		examID := int64(r.json(t)["id"].(float64))
		r = admin.post(fmt.Sprintf("/api/v1/exams/%d/enrolments", examID), map[string]any{"user_ids": []int64{e.userID("eng001")}})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)

		eng := e.login("eng001")
		eng.lang = "en"
		a := start(t, eng, examID)
		r = eng.get(fmt.Sprintf("/api/v1/attempts/%d/result", a.ID))
		assert.Equal(t, "conflict", r.errorCode(t))
		assert.Contains(t, string(r.body), "has not been submitted yet")
		r = eng.post(fmt.Sprintf("/api/v1/attempts/%d/submit", a.ID), nil)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		r = eng.get(fmt.Sprintf("/api/v1/attempts/%d/result", a.ID))
		assert.Equal(t, "conflict", r.errorCode(t))
		assert.Contains(t, string(r.body), "when the organisers release them")

		r = e.login("county1").post(fmt.Sprintf("/api/v1/exams/%d/results/release", examID), nil)
		assert.Equal(t, http.StatusNotFound, r.status, "a county organiser cannot release a provincial exam")
		r = eng.post(fmt.Sprintf("/api/v1/exams/%d/results/release", examID), nil)
		assert.Equal(t, http.StatusForbidden, r.status)
		r = admin.post(fmt.Sprintf("/api/v1/exams/%d/results/release", examID), map[string]any{"reason": "阅卷完成"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		released := r.json(t)["results_released_at"]
		require.NotNil(t, released)
		e.clock.Advance(time.Minute)
		r = admin.post(fmt.Sprintf("/api/v1/exams/%d/results/release", examID), nil)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, released, r.json(t)["results_released_at"], "releasing again changes nothing")
		assert.Equal(t, 1, e.auditActions(t, "exam.results_release"))

		r = eng.get(fmt.Sprintf("/api/v1/attempts/%d/result", a.ID))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		res := decode[resultBody](t, r)
		assert.Equal(t, "0.00", res.Score, "nothing answered")
		assert.False(t, res.KeysShown, "the exam is still open")
		assert.Zero(t, keysIn(res))
		e.clock.Advance(30 * time.Minute)
		res = decode[resultBody](t, eng.get(fmt.Sprintf("/api/v1/attempts/%d/result", a.ID)))
		assert.True(t, res.KeysShown, "the exam has closed")
		assert.NotZero(t, keysIn(res))

		r = admin.post(fmt.Sprintf("/api/v1/exams/%d/results/release", mockExam(t, eng)), nil)
		assert.Equal(t, "conflict", r.errorCode(t), "the mock exam shows results at once: nothing to release")
	})
}

func TestStatisticsAPI_AnalysesTheSubmittedAttemptsForOrganisersInScope(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		var examID int64
		for _, who := range []string{"eng001", "eng002", "eng021"} {
			c := e.login(who)
			examID = mockExam(t, c)
			sitAndSubmit(t, c, examID)
		}
		start(t, e.login("eng003"), examID) // in progress: not counted

		admin := e.login("admin")
		r := admin.get(fmt.Sprintf("/api/v1/exams/%d/statistics", examID))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		st := decode[struct {
			Attempts     int    `json:"attempts"`
			PaperMode    string `json:"paper_mode"`
			MaxScore     string `json:"max_score"`
			Distribution struct {
				N    int   `json:"n"`
				Bins []any `json:"bins"`
			} `json:"distribution"`
			Reliability struct {
				Alpha *float64 `json:"alpha"`
				Note  *string  `json:"note"`
			} `json:"reliability"`
			Items []struct {
				Position *int `json:"position"`
				Seen     int  `json:"seen"`
				Options  []struct {
					Key   string `json:"key"`
					Count int    `json:"count"`
				} `json:"options"`
			} `json:"items"`
		}](t, r)
		assert.Equal(t, 3, st.Attempts)
		assert.Equal(t, "drawn", st.PaperMode)
		assert.Equal(t, "41.00", st.MaxScore)
		assert.Equal(t, 3, st.Distribution.N)
		assert.Len(t, st.Distribution.Bins, 10)
		seen := 0
		for _, it := range st.Items {
			assert.Nil(t, it.Position, "drawn papers are analysed per question")
			seen += it.Seen
		}
		assert.Equal(t, 3*27, seen, "27 items on each of three papers")
		if st.Reliability.Alpha == nil {
			require.NotNil(t, st.Reliability.Note, "a missing alpha says why")
			assert.NotEmpty(t, *st.Reliability.Note)
		}

		r = admin.get(fmt.Sprintf("/api/v1/exams/%d/statistics?bins=4", examID))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Len(t, r.json(t)["distribution"].(map[string]any)["bins"], 4)
		for _, bad := range []string{"0", "101", "x"} {
			r = admin.get(fmt.Sprintf("/api/v1/exams/%d/statistics?bins=%s", examID, bad))
			assert.Equal(t, http.StatusUnprocessableEntity, r.status, "bins=%s", bad)
		}
		r = e.login("eng001").get(fmt.Sprintf("/api/v1/exams/%d/statistics", examID))
		assert.Equal(t, http.StatusForbidden, r.status)
		r = e.login("region1").get(fmt.Sprintf("/api/v1/exams/%d/statistics", examID))
		assert.Equal(t, http.StatusNotFound, r.status, "a region's organiser does not see a provincial exam")
	})
}

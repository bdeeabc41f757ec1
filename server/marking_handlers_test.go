package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena"
	"skillarena/content"
	"skillarena/demo"
	"skillarena/exam"
	"skillarena/org"
)

// markingExam is a competition exam of county 1 with a fixed, unshuffled
// paper: item 1 single choice (1.00), item 2 short answer (10.00), item 3
// essay (20.00); eng001 and eng002 are enrolled.
type markingExam struct {
	id       int64
	single   int64 // question ids
	short    int64
	essay    int64
	singleV  int64 // the single choice's version
	attempts map[string]int64
}

func newMarkingExam(t *testing.T, e *testEnv) *markingExam {
	t.Helper()
	ctx := skillarena.WithActor(context.Background(), skillarena.Actor{UserID: e.userID("county1"), Username: "county1"})
	c1 := e.unit("C1")
	sc := org.Scope{Paths: []string{c1.Path}}
	var bank int64
	require.NoError(t, e.db.Table("banks").Where("name = ?", demo.ProvinceBank).Pluck("id", &bank).Error)
	bp, err := e.exam.CreateBlueprint(ctx, sc, exam.BlueprintInput{OrgUnitID: c1.ID, Name: "县赛笔试", Sections: []exam.Section{
		{Title: "单选", TopicID: 1, Type: content.SingleChoice, Count: 1, PointsEach: 100},
		{Title: "简答", TopicID: 5, Type: content.ShortAnswer, Count: 1, PointsEach: 1000},
		{Title: "论述", TopicID: 4, Type: content.Essay, Count: 1, PointsEach: 2000},
	}})
	require.NoError(t, err)
	now := e.clock.Now()
	x, err := e.exam.CreateExam(ctx, sc, exam.ExamInput{OrgUnitID: c1.ID, Title: "县局选拔笔试", OpensAt: now.Add(-time.Minute),
		ClosesAt: now.Add(3 * time.Hour), Duration: time.Hour, BlueprintID: bp.ID, BankIDs: []int64{bank}, PaperMode: exam.PaperFixed})
	require.NoError(t, err)
	require.NoError(t, e.exam.Enrol(ctx, x.ID, []int64{e.userID("eng001"), e.userID("eng002")}))
	m := &markingExam{id: x.ID, attempts: map[string]int64{}}
	return m
}

// sit has a contestant start, answer and submit over HTTP; answers maps the
// item type to the JSON response.
func (m *markingExam) sit(t *testing.T, e *testEnv, username string, answers map[string]string) {
	t.Helper()
	c := e.login(username)
	a := start(t, c, m.id)
	for _, it := range a.Items {
		r, ok := answers[it.Type]
		if !ok {
			continue
		}
		res := c.send(http.MethodPut, fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.ID, it.ID), map[string]any{"response": json.RawMessage(r), "seq": 1})
		require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	}
	res := c.post(fmt.Sprintf("/api/v1/attempts/%d/submit", a.ID), nil)
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	m.attempts[username] = a.ID
	if m.single == 0 {
		var itemsJSON string
		require.NoError(t, e.db.Table("papers").Where("exam_id = ?", m.id).Pluck("items_json", &itemsJSON).Error)
		var items []exam.Item
		require.NoError(t, json.Unmarshal([]byte(itemsJSON), &items))
		m.single, m.singleV, m.short, m.essay = items[0].QuestionID, items[0].VersionID, items[1].QuestionID, items[2].QuestionID
	}
}

func (m *markingExam) assign(t *testing.T, org *client, judges map[string]string, e *testEnv) {
	t.Helper()
	for username, role := range judges {
		r := org.post(fmt.Sprintf("/api/v1/exams/%d/markers", m.id), map[string]any{"user_id": e.userID(username), "role": role})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	}
}

type answersPage struct {
	Items []struct {
		ID       string  `json:"id"`
		Response *string `json:"response"`
		MyMark   *struct {
			Points string `json:"points"`
		} `json:"my_mark"`
	} `json:"items"`
	Total int `json:"total"`
}

func (m *markingExam) answersPath(q int64) string {
	return fmt.Sprintf("/api/v1/marking/exams/%d/questions/%d/answers", m.id, q)
}

// jsonKeys collects every object key in a JSON document.
func jsonKeys(t *testing.T, body []byte) map[string]bool {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(body, &v))
	keys := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, vv := range x {
				keys[k] = true
				walk(vv)
			}
		case []any:
			for _, vv := range x {
				walk(vv)
			}
		}
	}
	walk(v)
	return keys
}

func TestMarkingAPI_OrganiserAssignsJudgesInScope(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		m := newMarkingExam(t, e)
		county1 := e.login("county1")
		path := fmt.Sprintf("/api/v1/exams/%d/markers", m.id)
		m.assign(t, county1, map[string]string{"judge1": "marker", "judge2": "marker"}, e)
		r := county1.post(path, map[string]any{"user_id": e.userID("judge1"), "role": "chief"})
		require.Equal(t, http.StatusOK, r.status, "a role change: %s", r.body)
		assert.Equal(t, "chief", r.json(t)["role"])
		r = county1.post(path, map[string]any{"user_id": e.userID("eng003"), "role": "marker"})
		require.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Equal(t, "marking.not_a_judge", fieldMessageID(t, e, r, "user_id"))
		r = county1.get(path)
		require.Equal(t, http.StatusOK, r.status)
		assert.EqualValues(t, 2, r.json(t)["total"])

		assert.Equal(t, http.StatusNotFound, e.login("county2").get(path).status, "another county's exam does not exist for it")
		assert.Equal(t, http.StatusForbidden, e.login("judge1").get(path).status, "judges do not assign")
		r = county1.delete(fmt.Sprintf("%s/%d", path, e.userID("judge2")))
		assert.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		assert.Equal(t, http.StatusNotFound, county1.delete(fmt.Sprintf("%s/%d", path, e.userID("judge2"))).status)
	})
}

// fieldMessageID returns the message id whose zh-CN text (points of a
// 10.00 item) a field error shows, or the text itself when none matches.
func fieldMessageID(t *testing.T, e *testEnv, r response, field string) string {
	t.Helper()
	fields, _ := r.json(t)["error"].(map[string]any)["fields"].(map[string]any)
	got, _ := fields[field].(string)
	for _, id := range []string{"marking.not_a_judge", "marking.points_range", "marking.points_format", "marking.key_invalid", "marking.not_objective"} {
		if got == e.srv.tr.T("zh-CN", id, map[string]any{"Max": "10.00"}) {
			return id
		}
	}
	return got
}

func TestMarking_JudgeNeverSeesContestantName(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		m := newMarkingExam(t, e)
		m.assign(t, e.login("county1"), map[string]string{"judge1": "marker", "judge2": "marker", "judge3": "chief"}, e)
		m.sit(t, e, "eng001", map[string]string{"single_choice": `"A"`, "short_answer": `"先抢通后修复，再查明原因"`, "essay": `"组网方案"`})
		m.sit(t, e, "eng002", map[string]string{"short_answer": `"联系客户，说明时限"`})
		var identities []string
		for _, u := range []string{"eng001", "eng002"} {
			user, err := e.org.UserByID(context.Background(), e.userID(u))
			require.NoError(t, err)
			identities = append(identities, u, user.Name)
		}
		j1, j2, chief := e.login("judge1"), e.login("judge2"), e.login("judge3")
		r := j1.get("/api/v1/marking/queue")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		bodies := [][]byte{r.body}
		r = j1.get(m.answersPath(m.short))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		bodies = append(bodies, r.body)
		page := decode[answersPage](t, r)
		require.Len(t, page.Items, 2, "the question's answers across contestants")
		for _, it := range page.Items {
			r := j1.send(http.MethodPut, "/api/v1/marking/answers/"+it.ID, map[string]any{"points": "9.00", "comment": "好"})
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			bodies = append(bodies, r.body)
			r = j2.send(http.MethodPut, "/api/v1/marking/answers/"+it.ID, map[string]any{"points": "3.00", "comment": "差"})
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		}
		r = j1.get(m.answersPath(m.short) + "?status=marked")
		require.Equal(t, http.StatusOK, r.status)
		bodies = append(bodies, r.body)
		r = chief.get("/api/v1/marking/adjudications")
		require.Equal(t, http.StatusOK, r.status)
		assert.EqualValues(t, 2, r.json(t)["total"])
		bodies = append(bodies, r.body)

		attemptIDs := []string{strconv.FormatInt(m.attempts["eng001"], 10), strconv.FormatInt(m.attempts["eng002"], 10)}
		for _, b := range bodies {
			keys := jsonKeys(t, b)
			for _, k := range []string{"user_id", "username", "attempt_id", "contestant", "org_unit_id", "org_unit_name"} {
				assert.False(t, keys[k], "a judge's answer carries %q: %s", k, b)
			}
			for _, s := range identities {
				assert.NotContains(t, string(b), s, "a judge sees no contestant identity")
			}
			for _, id := range attemptIDs {
				assert.NotContains(t, string(b), `"id":`+id+`,`, "no attempt id")
			}
		}
	})
}

func TestMarkingAPI_JudgeSeesOnlyAssignedExams(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		m := newMarkingExam(t, e)
		m.assign(t, e.login("county1"), map[string]string{"judge1": "marker"}, e)
		m.sit(t, e, "eng001", map[string]string{"short_answer": `"答"`})
		page := decode[answersPage](t, e.login("judge1").get(m.answersPath(m.short)))
		require.Len(t, page.Items, 1)

		other := e.login("judge4")
		r := other.get("/api/v1/marking/queue")
		require.Equal(t, http.StatusOK, r.status)
		assert.EqualValues(t, 0, r.json(t)["total"], "no exam assigned, an empty queue")
		assert.Equal(t, http.StatusNotFound, other.get(m.answersPath(m.short)).status)
		r = other.send(http.MethodPut, "/api/v1/marking/answers/"+page.Items[0].ID, map[string]any{"points": "1.00"})
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.Equal(t, http.StatusForbidden, e.login("eng001").get("/api/v1/marking/queue").status, "contestants are no judges")
	})
}

func TestMarkingAPI_TwoMarksThenTheChiefsMarkIsFinal(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		m := newMarkingExam(t, e)
		county1 := e.login("county1")
		m.assign(t, county1, map[string]string{"judge1": "marker", "judge2": "marker", "judge3": "chief"}, e)
		m.sit(t, e, "eng001", map[string]string{"short_answer": `"简答"`})
		j1, j2, chief := e.login("judge1"), e.login("judge2"), e.login("judge3")
		ref := decode[answersPage](t, j1.get(m.answersPath(m.short))).Items[0].ID
		put := func(c *client, path, points string) response {
			return c.send(http.MethodPut, path, map[string]any{"points": points, "comment": "评语"})
		}
		r := put(j1, "/api/v1/marking/answers/"+ref, "10.01")
		require.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Equal(t, "marking.points_range", fieldMessageID(t, e, r, "points"))
		r = put(j1, "/api/v1/marking/answers/"+ref, "七分")
		require.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Equal(t, "marking.points_format", fieldMessageID(t, e, r, "points"))
		require.Equal(t, http.StatusOK, put(j1, "/api/v1/marking/answers/"+ref, "9.00").status)
		page := decode[answersPage](t, j2.get(m.answersPath(m.short)))
		require.Len(t, page.Items, 1)
		assert.Nil(t, page.Items[0].MyMark, "never the other judge's mark")
		r = put(j2, "/api/v1/marking/answers/"+ref, "5.00")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "5.00", r.json(t)["points"])
		r = put(j1, "/api/v1/marking/answers/"+ref, "8.00")
		assert.Equal(t, http.StatusConflict, r.status)

		// 9.00 and 5.00 differ by more than 2.00: the chief decides.
		assert.Equal(t, http.StatusNotFound, put(j1, "/api/v1/marking/adjudications/"+ref, "7.00").status, "a marker does not adjudicate")
		r = chief.get(fmt.Sprintf("/api/v1/marking/adjudications?exam_id=%d", m.id))
		require.Equal(t, http.StatusOK, r.status)
		items := r.json(t)["items"].([]any)
		require.Len(t, items, 1)
		assert.Equal(t, "4.00", items[0].(map[string]any)["difference"])
		r = put(chief, "/api/v1/marking/adjudications/"+ref, "7.50")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "7.50", r.json(t)["score"])

		r = county1.get(fmt.Sprintf("/api/v1/exams/%d/marking", m.id))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		p := r.json(t)
		assert.EqualValues(t, 1, p["attempts_final"], "every item marked: the score is final")
		assert.Equal(t, "2.00", p["marking_threshold"])
		var scores []skillarena.Points
		require.NoError(t, e.db.Table("attempts").Where("id = ?", m.attempts["eng001"]).Pluck("score", &scores).Error)
		assert.Equal(t, []skillarena.Points{750}, scores, "0 + 7.50 + 0 (blank essay)")
	})
}

func TestRegradeAPI_CorrectedKeyRegradesEveryAffectedAttempt(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		m := newMarkingExam(t, e)
		// Learn the single choice's key from a first sitting, then answer it
		// right (eng001) and wrong (eng002).
		m.sit(t, e, "eng001", nil)
		var keyJSON string
		require.NoError(t, e.db.Table("question_versions").Where("id = ?", m.singleV).Pluck("key_json", &keyJSON).Error)
		var key content.Key
		require.NoError(t, json.Unmarshal([]byte(keyJSON), &key))
		right := key.Choices[0]
		wrong := "A"
		if right == "A" {
			wrong = "B"
		}
		// eng001 already submitted with no answer; eng002 answers the wrong
		// letter, which the correction makes right.
		m.sit(t, e, "eng002", map[string]string{"single_choice": `"` + wrong + `"`})
		county1 := e.login("county1")
		path := fmt.Sprintf("/api/v1/exams/%d/regrade", m.id)
		r := county1.post(path, map[string]any{"question_id": m.single, "key": map[string]any{"choices": []string{wrong}}, "reason": "标准答案更正"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.EqualValues(t, 2, r.json(t)["regraded"])
		assert.EqualValues(t, 1, r.json(t)["changed"])
		var scores []skillarena.Points
		require.NoError(t, e.db.Table("attempts").Where("id = ?", m.attempts["eng002"]).Pluck("score", &scores).Error)
		assert.Equal(t, []skillarena.Points{100}, scores, "the wrong letter is now the key")

		r = county1.get(fmt.Sprintf("/api/v1/exams/%d/key-corrections", m.id))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.EqualValues(t, 1, r.json(t)["total"])
		r = county1.get("/api/v1/audit?action=exam.regrade")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.EqualValues(t, 1, r.json(t)["total"], "the score change is audited")
		assert.Contains(t, string(r.body), "标准答案更正")

		r = county1.post(path, map[string]any{"question_id": m.short, "key": map[string]any{}, "reason": "x"})
		require.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Equal(t, "marking.not_objective", fieldMessageID(t, e, r, "question_id"))
		assert.Equal(t, http.StatusNotFound, e.login("county2").post(path, map[string]any{"question_id": m.single,
			"key": map[string]any{"choices": []string{right}}, "reason": "x"}).status)
		assert.Equal(t, http.StatusForbidden, e.login("judge1").post(path, map[string]any{"question_id": m.single,
			"key": map[string]any{"choices": []string{right}}, "reason": "x"}).status)
	})
}

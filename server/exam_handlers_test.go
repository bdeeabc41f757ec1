package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena/demo"
)

// mockExam returns the id of the demo's always-open mock exam as c lists it.
func mockExam(t *testing.T, c *client) int64 {
	t.Helper()
	r := c.get("/api/v1/exams?open=true")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	for _, it := range r.json(t)["items"].([]any) {
		m := it.(map[string]any)
		if m["title"] == demo.MockExam {
			return int64(m["id"].(float64))
		}
	}
	t.Fatalf("the demo mock exam is not listed: %s", r.body)
	return 0
}

type attemptBody struct {
	ID               int64     `json:"id"`
	Status           string    `json:"status"`
	Deadline         time.Time `json:"deadline"`
	RemainingSeconds int       `json:"remaining_seconds"`
	Score            *string   `json:"score"`
	Items            []struct {
		ID      int    `json:"id"`
		Type    string `json:"type"`
		Options []struct {
			Key string `json:"key"`
		} `json:"options"`
	} `json:"items"`
	Answers []struct {
		ItemID   int             `json:"item_id"`
		Response json.RawMessage `json:"response"`
		Seq      int64           `json:"seq"`
	} `json:"answers"`
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(r.body, &v), "body: %s", r.body)
	return v
}

func start(t *testing.T, c *client, examID int64) attemptBody {
	t.Helper()
	r := c.post(fmt.Sprintf("/api/v1/exams/%d/attempts", examID), nil)
	require.Contains(t, []int{http.StatusOK, http.StatusCreated}, r.status, "%s", r.body)
	return decode[attemptBody](t, r)
}

func firstItemOfType(t *testing.T, a attemptBody, typ string) int {
	t.Helper()
	for _, it := range a.Items {
		if it.Type == typ {
			return it.ID
		}
	}
	t.Fatalf("no %s item", typ)
	return 0
}

// The contestant's whole sitting over HTTP: start (201), resume (200) with
// the same deadline, save with sequence numbers, submit twice.
func TestAttemptAPI_StartResumeSaveSubmit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		eng := e.login("eng001")
		id := mockExam(t, eng)
		r := eng.post(fmt.Sprintf("/api/v1/exams/%d/attempts", id), nil)
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		assert.NotContains(t, string(r.body), `"key":{`, "never the answer key")
		assert.NotContains(t, string(r.body), "accepted")
		a := decode[attemptBody](t, r)
		assert.Equal(t, "in_progress", a.Status)
		assert.Equal(t, 3600, a.RemainingSeconds)

		e.clock.Advance(10 * time.Minute)
		r = eng.post(fmt.Sprintf("/api/v1/exams/%d/attempts", id), nil)
		require.Equal(t, http.StatusOK, r.status, "a second start resumes: %s", r.body)
		b := decode[attemptBody](t, r)
		assert.Equal(t, a.ID, b.ID)
		assert.True(t, a.Deadline.Equal(b.Deadline), "the deadline is stored, never reset")
		assert.Equal(t, 3000, b.RemainingSeconds)

		item := firstItemOfType(t, a, "single_choice")
		path := fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.ID, item)
		r = eng.send(http.MethodPut, path, map[string]any{"response": "B", "seq": 2})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.EqualValues(t, 2, r.json(t)["seq"])
		r = eng.send(http.MethodPut, path, map[string]any{"response": "C", "seq": 2})
		assert.Equal(t, http.StatusConflict, r.status)
		assert.Equal(t, "stale_write", r.errorCode(t))

		got := decode[attemptBody](t, eng.get(fmt.Sprintf("/api/v1/attempts/%d", a.ID)))
		for _, an := range got.Answers {
			if an.ItemID == item {
				assert.JSONEq(t, `"B"`, string(an.Response))
				assert.EqualValues(t, 2, an.Seq)
			}
		}

		r = eng.post(fmt.Sprintf("/api/v1/attempts/%d/submit", a.ID), nil)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		s1 := decode[attemptBody](t, r)
		assert.Equal(t, "submitted", s1.Status)
		require.NotNil(t, s1.Score, "the demo mock shows results immediately")
		e.clock.Advance(time.Minute)
		s2 := decode[attemptBody](t, eng.post(fmt.Sprintf("/api/v1/attempts/%d/submit", a.ID), nil))
		assert.Equal(t, *s1.Score, *s2.Score, "submitting again answers the same")
		r = eng.send(http.MethodPut, path, map[string]any{"response": "D", "seq": 3})
		assert.Equal(t, "deadline_passed", r.errorCode(t), "a submitted attempt takes no more answers")
	})
}

// A save after the deadline plus the exam's grace answers deadline_passed;
// one inside the grace is accepted.
func TestAttemptAPI_DeadlinePlusGraceOverHTTP(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		eng := e.login("eng002")
		a := start(t, eng, mockExam(t, eng))
		path := fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.ID, a.Items[0].ID)
		e.clock.Set(a.Deadline.Add(29 * time.Second))
		r := eng.send(http.MethodPut, path, map[string]any{"response": nil, "seq": 1})
		require.Equal(t, http.StatusOK, r.status, "inside the 30 s grace: %s", r.body)
		e.clock.Set(a.Deadline.Add(31 * time.Second))
		r = eng.send(http.MethodPut, path, map[string]any{"response": nil, "seq": 2})
		assert.Equal(t, http.StatusConflict, r.status)
		assert.Equal(t, "deadline_passed", r.errorCode(t))
	})
}

// Another contestant's attempt answers 404 on every attempt endpoint.
func TestAttemptAPI_AnotherContestantsAttemptIsNotFound(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		owner := e.login("eng001")
		a := start(t, owner, mockExam(t, owner))
		other := e.login("eng011")
		base := fmt.Sprintf("/api/v1/attempts/%d", a.ID)
		for _, r := range []response{
			other.get(base),
			other.send(http.MethodPut, fmt.Sprintf("%s/answers/%d", base, a.Items[0].ID), map[string]any{"response": "A", "seq": 1}),
			other.post(base+"/heartbeat", map[string]any{"focus_lost": 0, "visible": true}),
			other.post(base+"/submit", nil),
		} {
			assert.Equal(t, http.StatusNotFound, r.status, "%s", r.body)
		}
		got := decode[attemptBody](t, owner.get(base))
		assert.Equal(t, "in_progress", got.Status, "the owner's attempt is untouched")
	})
}

// One active browser per attempt: a second browser is refused until an
// invigilator unlocks the attempt; signing in again on the first browser
// keeps it.
func TestAttemptAPI_SecondBrowserIsRefusedUntilAnInvigilatorUnlocks(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		first := e.login("eng003")
		id := mockExam(t, first)
		a := start(t, first, id)
		second := e.login("eng003")
		r := second.post(fmt.Sprintf("/api/v1/exams/%d/attempts", id), nil)
		require.Equal(t, http.StatusConflict, r.status, "%s", r.body)
		assert.Equal(t, "conflict", r.errorCode(t))
		path := fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.ID, a.Items[0].ID)
		r = second.send(http.MethodPut, path, map[string]any{"response": nil, "seq": 5})
		assert.Equal(t, http.StatusConflict, r.status, "%s", r.body)
		assert.Equal(t, "conflict", r.errorCode(t))

		// Signing in again on the first browser keeps its device.
		again := first.post("/api/v1/auth/login", map[string]string{"username": "eng003", "password": demo.Password})
		require.Equal(t, http.StatusOK, again.status)
		r = first.send(http.MethodPut, path, map[string]any{"response": nil, "seq": 1})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)

		proctor := e.login("proctor1")
		r = proctor.post(fmt.Sprintf("/api/v1/exams/%d/unlock", id), map[string]any{"user_id": e.userID("eng003"), "reason": "电脑故障，换机"})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		r = second.send(http.MethodPut, path, map[string]any{"response": nil, "seq": 6})
		require.Equal(t, http.StatusOK, r.status, "after the unlock the new browser takes over: %s", r.body)
		r = first.send(http.MethodPut, path, map[string]any{"response": nil, "seq": 7})
		assert.Equal(t, http.StatusConflict, r.status, "and the old one is refused")

		entries := e.auditActions(t, "exam.unlock")
		assert.Equal(t, 1, entries)
	})
}

type monitorBody struct {
	Rows []struct {
		Username         string `json:"username"`
		State            string `json:"state"`
		Answered         int    `json:"answered"`
		ItemCount        int    `json:"item_count"`
		FocusLosses      int    `json:"focus_losses"`
		Locked           bool   `json:"locked"`
		RemainingSeconds *int   `json:"remaining_seconds"`
		SubmittedBy      string `json:"submitted_by"`
	} `json:"rows"`
}

func (m monitorBody) row(t *testing.T, username string) (out struct {
	State            string
	Answered         int
	FocusLosses      int
	Locked           bool
	RemainingSeconds *int
	SubmittedBy      string
}) {
	t.Helper()
	for _, r := range m.Rows {
		if r.Username == username {
			out.State, out.Answered, out.FocusLosses, out.Locked, out.RemainingSeconds, out.SubmittedBy =
				r.State, r.Answered, r.FocusLosses, r.Locked, r.RemainingSeconds, r.SubmittedBy
			return out
		}
	}
	t.Fatalf("%s is not on the console", username)
	return out
}

// The console shows every enrolled contestant's state; extra time, a message
// and a forced submission reach the contestant, and each is audited.
func TestInvigilation_ConsoleShowsStatesAndEveryActionIsAudited(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		eng := e.login("eng004")
		id := mockExam(t, eng)
		a := start(t, eng, id)
		// One answer given and one cleared: the console counts one.
		var given any = "已抢通"
		switch it := a.Items[0]; it.Type {
		case "single_choice":
			given = it.Options[0].Key
		case "multiple_choice":
			given = []string{it.Options[0].Key}
		case "true_false":
			given = true
		case "fill_blank":
			given = []string{"抢通"}
		}
		eng.send(http.MethodPut, fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.ID, a.Items[0].ID), map[string]any{"response": given, "seq": 1})
		eng.send(http.MethodPut, fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.ID, a.Items[1].ID), map[string]any{"response": nil, "seq": 1})
		r := eng.post(fmt.Sprintf("/api/v1/attempts/%d/heartbeat", a.ID), map[string]any{"focus_lost": 2, "visible": false})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)

		proctor := e.login("proctor1")
		m := decode[monitorBody](t, proctor.get(fmt.Sprintf("/api/v1/exams/%d/monitor", id)))
		assert.Len(t, m.Rows, 60, "every demo engineer is enrolled")
		row := m.row(t, "eng004")
		assert.Equal(t, "in_progress", row.State)
		assert.Equal(t, 1, row.Answered)
		assert.Equal(t, 2, row.FocusLosses)
		assert.True(t, row.Locked)
		assert.Equal(t, "not_started", m.row(t, "eng005").State)

		r = proctor.post(fmt.Sprintf("/api/v1/exams/%d/extra-time", id), map[string]any{"user_ids": []int64{e.userID("eng004")}, "minutes": 10, "reason": "停电"})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		b := decode[attemptBody](t, eng.get(fmt.Sprintf("/api/v1/attempts/%d", a.ID)))
		assert.Equal(t, a.RemainingSeconds+600, b.RemainingSeconds, "extra time reaches the running attempt")

		r = proctor.post(fmt.Sprintf("/api/v1/exams/%d/messages", id), map[string]any{"text": "还剩十分钟，请注意保存"})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		beat := eng.post(fmt.Sprintf("/api/v1/attempts/%d/heartbeat", a.ID), map[string]any{"focus_lost": 0, "visible": true}).json(t)
		assert.Contains(t, fmt.Sprint(beat["messages"]), "还剩十分钟")

		r = proctor.post(fmt.Sprintf("/api/v1/exams/%d/force-submit", id), map[string]any{"user_ids": []int64{e.userID("eng004")}, "reason": "违纪"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.EqualValues(t, 1, r.json(t)["submitted"])
		m = decode[monitorBody](t, proctor.get(fmt.Sprintf("/api/v1/exams/%d/monitor", id)))
		assert.Equal(t, "submitted", m.row(t, "eng004").State)
		assert.Equal(t, "invigilator", m.row(t, "eng004").SubmittedBy)

		for _, action := range []string{"exam.extra_time", "exam.message", "exam.force_submit"} {
			assert.Equal(t, 1, e.auditActions(t, action), action)
		}
		// A reason is required.
		r = proctor.post(fmt.Sprintf("/api/v1/exams/%d/force-submit", id), map[string]any{"user_ids": []int64{e.userID("eng005")}, "reason": " "})
		assert.Equal(t, "invalid", r.errorCode(t))
	})
}

// The live console sends the snapshot as a server-sent event at once.
func TestInvigilation_StreamSendsTheSnapshot(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		eng := e.login("eng006")
		id := mockExam(t, eng)
		start(t, eng, id)
		proctor := e.login("proctor1")
		req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/exams/%d/monitor/stream", e.ts.URL, id), nil)
		require.NoError(t, err)
		res, err := proctor.http.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode)
		assert.Contains(t, res.Header.Get("Content-Type"), "text/event-stream")
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		var event, data string
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				event = v
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok {
				data = v
				break
			}
		}
		assert.Equal(t, "snapshot", event)
		m := decode[monitorBody](t, response{body: []byte(data)})
		assert.Equal(t, "in_progress", m.row(t, "eng006").State)
	})
}

// Exams and their consoles are scoped by unit: another county's organiser
// and a contestant get 404 or 403, never the exam.
func TestExamAPI_ScopedByUnit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		county1 := e.login("county1")
		r := county1.get("/api/v1/banks")
		require.Equal(t, http.StatusOK, r.status)
		var provBank float64
		for _, b := range r.json(t)["items"].([]any) {
			if b.(map[string]any)["org_unit_id"].(float64) == float64(e.unit("PROV").ID) {
				provBank = b.(map[string]any)["id"].(float64)
			}
		}
		require.NotZero(t, provBank)
		r = county1.post("/api/v1/blueprints", map[string]any{"org_unit_id": e.unit("C1").ID, "name": "县选拔",
			"sections": []map[string]any{{"title": "单选", "topic_id": 1, "type": "single_choice", "count": 3, "points_each": "2.00"}}})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		bp := r.json(t)["id"]
		now := e.clock.Now()
		r = county1.post("/api/v1/exams", map[string]any{"org_unit_id": e.unit("C1").ID, "title": "一县笔试", "opens_at": now, "closes_at": now.Add(3 * time.Hour),
			"duration_minutes": 60, "blueprint_id": bp, "bank_ids": []any{provBank}})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		examID := int64(r.json(t)["id"].(float64))
		assert.Equal(t, "30", fmt.Sprint(r.json(t)["grace_seconds"]), "the default grace is stated")

		// Only people of county 1 can be enrolled by county 1.
		r = county1.post(fmt.Sprintf("/api/v1/exams/%d/enrolments", examID), map[string]any{"user_ids": []int64{e.userID("eng001"), e.userID("eng011")}})
		assert.Equal(t, "invalid", r.errorCode(t), "eng011 is in county 2")
		r = county1.post(fmt.Sprintf("/api/v1/exams/%d/enrolments", examID), map[string]any{"user_ids": []int64{e.userID("eng001"), e.userID("eng002")}})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		r = county1.post(fmt.Sprintf("/api/v1/exams/%d/papers", examID), nil)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.EqualValues(t, 2, r.json(t)["prepared"])
		r = county1.get(fmt.Sprintf("/api/v1/exams/%d/preview", examID))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Len(t, r.json(t)["items"], 3)

		county2 := e.login("county2")
		for _, path := range []string{"", "/monitor", "/enrolments", "/preview"} {
			r = county2.get(fmt.Sprintf("/api/v1/exams/%d%s", examID, path))
			assert.Equal(t, http.StatusNotFound, r.status, "county2 GET %s: %s", path, r.body)
		}
		r = county2.post(fmt.Sprintf("/api/v1/exams/%d/force-submit", examID), map[string]any{"user_ids": []int64{e.userID("eng001")}, "reason": "x"})
		assert.Equal(t, http.StatusNotFound, r.status)

		// The enrolled contestant sees it; an engineer of county 2 does not.
		eng := e.login("eng001")
		found := false
		for _, it := range eng.get("/api/v1/exams?open=true").json(t)["items"].([]any) {
			found = found || int64(it.(map[string]any)["id"].(float64)) == examID
		}
		assert.True(t, found)
		r = e.login("eng011").post(fmt.Sprintf("/api/v1/exams/%d/attempts", examID), nil)
		assert.Equal(t, http.StatusNotFound, r.status)
		r = eng.get(fmt.Sprintf("/api/v1/exams/%d/monitor", examID))
		assert.Equal(t, http.StatusForbidden, r.status, "a contestant has no console")
	})
}

// A blueprint the banks cannot fill is refused with the missing counts.
func TestExamAPI_ShortBlueprintIsRefusedWithMissingCounts(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		r := admin.post("/api/v1/blueprints", map[string]any{"org_unit_id": e.unit("PROV").ID, "name": "太大",
			"sections": []map[string]any{{"title": "单选", "topic_id": 1, "type": "single_choice", "count": 400, "points_each": "1.00"}}})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		bp := r.json(t)["id"]
		var bank any
		for _, b := range admin.get("/api/v1/banks").json(t)["items"].([]any) {
			if b.(map[string]any)["org_unit_id"].(float64) == float64(e.unit("PROV").ID) {
				bank = b.(map[string]any)["id"]
			}
		}
		now := e.clock.Now()
		r = admin.post("/api/v1/exams", map[string]any{"org_unit_id": e.unit("PROV").ID, "title": "x", "opens_at": now, "closes_at": now.Add(time.Hour),
			"duration_minutes": 30, "blueprint_id": bp, "bank_ids": []any{bank}})
		assert.Equal(t, "invalid", r.errorCode(t))
		assert.Contains(t, string(r.body), "/400", "the message names have/want per section")
		assert.Contains(t, r.json(t)["error"].(map[string]any)["fields"], "sections.0", "and the short section's field says so")
	})
}

// auditActions counts the audit entries with action.
func (e *testEnv) auditActions(t *testing.T, action string) int {
	t.Helper()
	var n int64
	require.NoError(t, e.db.Table("audit_entries").Where("action = ?", action).Count(&n).Error)
	return int(n)
}

// usernameOf returns the username of the user with id.
func (e *testEnv) usernameOf(t *testing.T, id int64) string {
	t.Helper()
	var name string
	require.NoError(t, e.db.Table("users").Where("id = ?", id).Pluck("username", &name).Error)
	return name
}

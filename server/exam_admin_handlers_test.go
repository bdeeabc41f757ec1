package server

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena/scoring"
)

// countyExam has county 1's organiser create a blueprint and an exam of
// county 1 from the province's bank (3 single choice) and enrol eng001 and
// eng002; it returns the blueprint's id and the exam's.
func countyExam(t *testing.T, e *testEnv, county1 *client) (int64, int64) {
	t.Helper()
	var bank float64
	for _, b := range county1.get("/api/v1/banks").json(t)["items"].([]any) {
		if b.(map[string]any)["org_unit_id"].(float64) == float64(e.unit("PROV").ID) {
			bank = b.(map[string]any)["id"].(float64)
		}
	}
	require.NotZero(t, bank)
	r := county1.post("/api/v1/blueprints", map[string]any{"org_unit_id": e.unit("C1").ID, "name": "县选拔",
		"sections": []map[string]any{{"title": "单选", "topic_id": 1, "type": "single_choice", "count": 3, "points_each": "2.00"}}})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	bp := int64(r.json(t)["id"].(float64))
	now := e.clock.Now()
	r = county1.post("/api/v1/exams", map[string]any{"org_unit_id": e.unit("C1").ID, "title": "一县笔试", "opens_at": now.Add(-time.Minute),
		"closes_at": now.Add(3 * time.Hour), "duration_minutes": 60, "blueprint_id": bp, "bank_ids": []any{bank}, "shuffle_options": true})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	id := int64(r.json(t)["id"].(float64))
	r = county1.post(fmt.Sprintf("/api/v1/exams/%d/enrolments", id), map[string]any{"user_ids": []int64{e.userID("eng001"), e.userID("eng002")}})
	require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
	return bp, id
}

// Before anyone starts every setting changes (paper settings discard the
// prepared papers); afterwards only the safe ones, and the refusal names
// the setting in the caller's language.
func TestExamAPI_EditExamEverySettingBeforeStartOnlySafeOnesAfter(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		county1 := e.login("county1")
		_, id := countyExam(t, e, county1)
		path := fmt.Sprintf("/api/v1/exams/%d", id)
		r := county1.post(path+"/papers", nil)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)

		r = county1.patch(path, map[string]any{"title": "一县笔试（改）", "duration_minutes": 45})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		got := r.json(t)
		assert.Equal(t, "一县笔试（改）", got["title"])
		assert.EqualValues(t, 2700, got["duration_seconds"])
		assert.EqualValues(t, 2, got["papers_ready"], "papers stay when nothing they hold changes")
		assert.Equal(t, true, got["shuffle_options"], "what the body leaves out keeps its value")

		r = county1.patch(path, map[string]any{"shuffle_options": false, "marking_threshold": "3.00"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.EqualValues(t, 0, r.json(t)["papers_ready"], "papers drawn with the old shuffle are discarded")
		assert.Equal(t, "3.00", r.json(t)["marking_threshold"])

		r = county1.patch(path, map[string]any{"duration_minutes": 0, "color": "red"})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, "unknown fields and wrong values are refused")

		start(t, e.login("eng001"), id)
		r = county1.patch(path, map[string]any{"duration_minutes": 90})
		require.Equal(t, http.StatusConflict, r.status, "%s", r.body)
		assert.Equal(t, "conflict", r.errorCode(t))
		assert.Contains(t, r.json(t)["error"].(map[string]any)["fields"], "duration_minutes")
		assert.Contains(t, r.json(t)["error"].(map[string]any)["message"], "考试时长", "zh-CN by default")
		county1.lang = "en"
		r = county1.patch(path, map[string]any{"duration_minutes": 90})
		assert.Contains(t, r.json(t)["error"].(map[string]any)["message"], "duration can no longer change")
		r = county1.patch(path, map[string]any{"closes_at": e.clock.Now().Add(-10 * time.Second)})
		assert.Equal(t, http.StatusConflict, r.status, "never closed before now: %s", r.body)
		r = county1.patch(path, map[string]any{"closes_at": e.clock.Now().Add(30 * time.Minute)})
		assert.Equal(t, http.StatusConflict, r.status, "never before eng001's deadline: %s", r.body)
		r = county1.patch(path, map[string]any{"title": "一县笔试（定稿）", "instructions": "闭卷", "closes_at": e.clock.Now().Add(4 * time.Hour)})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "一县笔试（定稿）", r.json(t)["title"])
		assert.Equal(t, 3, e.auditActions(t, "exam.update"))

		r = e.login("county2").patch(path, map[string]any{"title": "x"})
		assert.Equal(t, http.StatusNotFound, r.status, "another county's exam does not exist for them")
		r = e.login("eng001").patch(path, map[string]any{"title": "x"})
		assert.Equal(t, http.StatusForbidden, r.status)
	})
}

// An exam is deleted with its roster and papers while nobody has started;
// once someone has, or when it is a stage's written exam, it is refused.
func TestExamAPI_DeleteOnlyUnstartedExamsThatNoStageHolds(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		county1 := e.login("county1")
		_, id := countyExam(t, e, county1)
		path := fmt.Sprintf("/api/v1/exams/%d", id)
		require.Equal(t, http.StatusOK, county1.post(path+"/papers", nil).status)
		assert.Equal(t, http.StatusNotFound, e.login("county2").delete(path).status)
		r := county1.delete(path)
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		assert.Equal(t, http.StatusNotFound, county1.get(path).status)
		assert.Equal(t, 1, e.auditActions(t, "exam.delete"))

		_, started := countyExam(t, e, county1)
		start(t, e.login("eng002"), started)
		r = county1.delete(fmt.Sprintf("/api/v1/exams/%d", started))
		assert.Equal(t, http.StatusConflict, r.status)
		assert.Contains(t, r.json(t)["error"].(map[string]any)["message"], "已有考生开始作答")

		admin := e.login("admin")
		stage := newStage(t, e, admin)
		_, held := countyExam(t, e, county1)
		require.NoError(t, e.db.Model(&scoring.Stage{}).Where("id = ?", stage).Update("written_exam_id", held).Error)
		admin.lang = "en"
		r = admin.delete(fmt.Sprintf("/api/v1/exams/%d", held))
		assert.Equal(t, http.StatusConflict, r.status)
		assert.Contains(t, r.json(t)["error"].(map[string]any)["message"], "stage's written exam")
		r = admin.get(fmt.Sprintf("/api/v1/stages/%d", stage))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	})
}

// A blueprint's sections change until an exam draws from them, checked as on
// creation against the banks of the exams using it; it is deleted only when
// no exam uses it.
func TestBlueprintAPI_EditUntilDrawnDeleteWhenUnused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		county1 := e.login("county1")
		bp, id := countyExam(t, e, county1)
		path := fmt.Sprintf("/api/v1/blueprints/%d", bp)
		r := county1.patch(path, map[string]any{"sections": []map[string]any{{"title": "单选", "topic_id": 1, "type": "single_choice", "count": 400, "points_each": "1.00"}}})
		require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
		assert.Contains(t, r.json(t)["error"].(map[string]any)["fields"], "sections.0", "the short section says have and want")
		assert.Contains(t, string(r.body), "/400")

		r = county1.patch(path, map[string]any{"name": "县选拔（四题）",
			"sections": []map[string]any{{"title": "单选", "topic_id": 1, "type": "single_choice", "count": 4, "points_each": "2.50"}}})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "县选拔（四题）", r.json(t)["name"])
		r = county1.get(fmt.Sprintf("/api/v1/exams/%d", id))
		assert.EqualValues(t, 4, r.json(t)["item_count"], "the exam draws from the new sections")

		require.Equal(t, http.StatusOK, county1.post(fmt.Sprintf("/api/v1/exams/%d/papers", id), nil).status)
		r = county1.patch(path, map[string]any{"sections": []map[string]any{{"title": "单选", "topic_id": 1, "type": "single_choice", "count": 2, "points_each": "2.50"}}})
		assert.Equal(t, http.StatusConflict, r.status, "papers were drawn: %s", r.body)
		r = county1.patch(path, map[string]any{"name": "县选拔"})
		assert.Equal(t, http.StatusOK, r.status, "the name may always change: %s", r.body)

		r = county1.delete(path)
		assert.Equal(t, http.StatusConflict, r.status, "an exam uses it")
		assert.Equal(t, http.StatusNotFound, e.login("county2").delete(path).status)
		require.Equal(t, http.StatusNoContent, county1.delete(fmt.Sprintf("/api/v1/exams/%d", id)).status)
		require.Equal(t, http.StatusNoContent, county1.delete(path).status)
		assert.Equal(t, http.StatusNotFound, county1.get(path).status)
		assert.Equal(t, 2, e.auditActions(t, "blueprint.update"))
		assert.Equal(t, 1, e.auditActions(t, "blueprint.delete"))
	})
}

// The chief corrects an adjudication with a reason while the contestant
// cannot see the result; the attempt's score follows.
func TestMarkingAPI_ChiefCorrectsAnAdjudicationWithAReason(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		m := newMarkingExam(t, e)
		county1 := e.login("county1")
		m.assign(t, county1, map[string]string{"judge1": "marker", "judge2": "marker", "judge3": "chief"}, e)
		m.sit(t, e, "eng001", map[string]string{"short_answer": `"简答"`})
		j1, j2, chief := e.login("judge1"), e.login("judge2"), e.login("judge3")
		ref := decode[answersPage](t, j1.get(m.answersPath(m.short))).Items[0].ID
		require.Equal(t, http.StatusOK, j1.send(http.MethodPut, "/api/v1/marking/answers/"+ref, map[string]any{"points": "9.00"}).status)
		require.Equal(t, http.StatusOK, j2.send(http.MethodPut, "/api/v1/marking/answers/"+ref, map[string]any{"points": "5.00"}).status)
		adj := "/api/v1/marking/adjudications/" + ref
		require.Equal(t, http.StatusOK, chief.send(http.MethodPut, adj, map[string]any{"points": "7.50"}).status)

		r := chief.get(fmt.Sprintf("/api/v1/marking/adjudications?exam_id=%d&status=adjudicated", m.id))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		items := r.json(t)["items"].([]any)
		require.Len(t, items, 1)
		it := items[0].(map[string]any)
		assert.Equal(t, "7.50", it["adjudicated"].(map[string]any)["points"])
		assert.Equal(t, true, it["correctable"])
		assert.Equal(t, http.StatusUnprocessableEntity, chief.get("/api/v1/marking/adjudications?status=done").status)

		r = chief.send(http.MethodPut, adj, map[string]any{"points": "6.00"})
		require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
		assert.Contains(t, r.json(t)["error"].(map[string]any)["fields"], "reason")
		r = chief.send(http.MethodPut, adj, map[string]any{"points": "6.00", "comment": "复核", "reason": "漏看扣分点"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "6.00", r.json(t)["score"])
		r = county1.get(fmt.Sprintf("/api/v1/exams/%d/results/%d", m.id, m.attempts["eng001"]))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "6.00", r.json(t)["score"], "0 + 6.00 + 0 (blank essay)")
		assert.Equal(t, 1, e.auditActions(t, "marking.adjudication_correct"))

		// Once contestants see results (the window closed), no more corrections.
		e.clock.Advance(4 * time.Hour)
		chief = e.login("judge3")
		r = chief.send(http.MethodPut, adj, map[string]any{"points": "7.00", "reason": "再议"})
		assert.Equal(t, http.StatusConflict, r.status, "%s", r.body)
	})
}

// GET /blueprints?usable_for_unit= offers exactly what an exam of the unit
// may use: county 1's organiser sees the province's blueprint for a county
// 1 exam (but not in their own list), never county 2's; the exam made from
// the province's blueprint names it; another county's unit is not found.
func TestExamAPI_BlueprintsUsableForAnExamOfTheUnit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin, county1 := e.login("admin"), e.login("county1")
		section := []map[string]any{{"title": "单选", "topic_id": 1, "type": "single_choice", "count": 3, "points_each": "2.00"}}
		bps := map[string]int64{}
		for name, unit := range map[string]string{"省统一卷": "PROV", "二县卷": "C2"} {
			r := admin.post("/api/v1/blueprints", map[string]any{"org_unit_id": e.unit(unit).ID, "name": name, "sections": section})
			require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
			bps[name] = int64(r.json(t)["id"].(float64))
		}
		own, _ := countyExam(t, e, county1)
		ids := func(r response) []int64 {
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			var out []int64
			for _, b := range r.json(t)["items"].([]any) {
				out = append(out, int64(b.(map[string]any)["id"].(float64)))
			}
			return out
		}
		mine := ids(county1.get("/api/v1/blueprints"))
		assert.Contains(t, mine, own)
		assert.NotContains(t, mine, bps["省统一卷"], "not county 1's own")
		usable := ids(county1.get(fmt.Sprintf("/api/v1/blueprints?usable_for_unit=%d", e.unit("C1").ID)))
		assert.Contains(t, usable, own)
		assert.Contains(t, usable, bps["省统一卷"], "a province blueprint serves its counties")
		assert.NotContains(t, usable, bps["二县卷"])

		assert.Equal(t, http.StatusNotFound, county1.get(fmt.Sprintf("/api/v1/blueprints?usable_for_unit=%d", e.unit("C2").ID)).status)
		assert.Equal(t, "invalid", county1.get("/api/v1/blueprints?usable_for_unit=x").errorCode(t))

		var bank float64
		for _, b := range county1.get("/api/v1/banks").json(t)["items"].([]any) {
			if b.(map[string]any)["org_unit_id"].(float64) == float64(e.unit("PROV").ID) {
				bank = b.(map[string]any)["id"].(float64)
			}
		}
		now := e.clock.Now()
		exam := func(bp int64) response {
			return county1.post("/api/v1/exams", map[string]any{"org_unit_id": e.unit("C1").ID, "title": "一县模拟", "opens_at": now,
				"closes_at": now.Add(3 * time.Hour), "duration_minutes": 60, "blueprint_id": bp, "bank_ids": []any{bank}})
		}
		r := exam(bps["二县卷"])
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, "not offered, so refused: %s", r.body)
		r = exam(bps["省统一卷"])
		require.Equal(t, http.StatusCreated, r.status, "offered, so accepted: %s", r.body)
		r = county1.get(fmt.Sprintf("/api/v1/exams/%v", r.json(t)["id"]))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "省统一卷", r.json(t)["blueprint_name"], "the edit page names a blueprint its editor could not list as their own")
	})
}

package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena/demo"
	"skillarena/org"
)

// practicalStage is a provincial stage of the six demo counties, drawn, with
// one task (measurement up to 60, judgement on 0/10/20/30/40) and one station
// whose judges are judge1..judge5 (judge1 the chief) and judgec1, a judge of
// county 1; every county's nominee and drawn contestant are placed at it.
type practicalStage struct {
	id, station    int64
	nominee, drawn map[string]int64 // by county code
}

func newPracticalStage(t *testing.T, e *testEnv) practicalStage {
	t.Helper()
	admin := e.login("admin")
	p := practicalStage{id: newStage(t, e, admin), nominee: map[string]int64{}, drawn: map[string]int64{}}
	codes := []string{"C1", "C2", "C3", "C4", "C5", "C6"}
	for i, code := range codes {
		from := 1 + 10*i
		r := admin.send(http.MethodPut, fmt.Sprintf("/api/v1/stages/%d/rosters/%d", p.id, e.unit(code).ID),
			map[string]any{"written": e.engineers(from, from+7), "nominee": e.userID(fmt.Sprintf("eng%03d", from))})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
	}
	require.Equal(t, http.StatusNoContent, admin.post(fmt.Sprintf("/api/v1/stages/%d/rosters/lock", p.id), nil).status)
	require.Equal(t, http.StatusOK, admin.post(fmt.Sprintf("/api/v1/stages/%d/draws/commit", p.id), map[string]any{}).status)
	r := admin.post(fmt.Sprintf("/api/v1/stages/%d/draws/perform", p.id), map[string]any{"entropy": "7 3 9"})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)

	ctx := context.Background()
	us, err := e.org.SeedUsers(ctx, []org.UserInput{{Username: "judgec1", Name: "一县评委", OrgUnitID: e.unit("C1").ID}}, demo.Password)
	require.NoError(t, err)
	_, err = e.org.CreateGrant(ctx, nil, org.GrantInput{UserID: us[0].ID, Role: org.RoleJudge, OrgUnitID: e.unit("C1").ID})
	require.NoError(t, err)

	r = admin.post(fmt.Sprintf("/api/v1/stages/%d/tasks", p.id), map[string]any{"name": "政企专线故障排查", "description": "30 分钟内定位并排除故障",
		"criteria": []map[string]any{
			{"name": "操作规范", "kind": "measurement", "max_points": "60"},
			{"name": "服务沟通", "kind": "judgement", "max_points": "40", "scale": []string{"0", "10", "20", "30", "40"}},
		}})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	assert.Equal(t, "100.00", r.json(t)["max_total"])
	task := int64(r.json(t)["id"].(float64))
	r = admin.post(fmt.Sprintf("/api/v1/stages/%d/stations", p.id), map[string]any{"name": "一号工位", "task_id": task})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	p.station = int64(r.json(t)["id"].(float64))
	judges := []int64{e.userID("judge1"), e.userID("judge2"), e.userID("judge3"), e.userID("judge4"), e.userID("judge5"), us[0].ID}
	r = admin.send(http.MethodPut, fmt.Sprintf("/api/v1/stations/%d/judges", p.station), map[string]any{"judge_ids": judges, "chief_id": judges[0]})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Len(t, r.json(t)["judges"], 6)

	r = admin.get(fmt.Sprintf("/api/v1/stages/%d/rosters", p.id))
	require.Equal(t, http.StatusOK, r.status)
	var contestants []int64
	for i, item := range r.json(t)["items"].([]any) {
		ro := item.(map[string]any)
		n := int64(ro["nominee"].(map[string]any)["user_id"].(float64))
		d := int64(ro["drawn"].(map[string]any)["user_id"].(float64))
		p.nominee[codes[i]], p.drawn[codes[i]] = n, d
		contestants = append(contestants, n, d)
	}
	r = admin.send(http.MethodPut, fmt.Sprintf("/api/v1/stations/%d/contestants", p.station), map[string]any{"user_ids": contestants})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Len(t, r.json(t)["contestants"], 12)
	return p
}

func (p practicalStage) marksPath(contestant int64) string {
	return fmt.Sprintf("/api/v1/judging/stages/%d/contestants/%d/marks", p.id, contestant)
}

// markBody splits a whole-point total over the two criteria.
func markBody(total int, comment string) map[string]any {
	j := 30
	if total-j > 60 {
		j = 40
	}
	return map[string]any{"marks": []map[string]any{
		{"criterion_id": 1, "points": fmt.Sprint(total - j), "comment": comment},
		{"criterion_id": 2, "points": fmt.Sprint(j)},
	}}
}

// mark has judge mark contestant with total and sign off.
func (p practicalStage) mark(t *testing.T, judge *client, contestant int64, total int) {
	t.Helper()
	r := judge.send(http.MethodPut, p.marksPath(contestant), markBody(total, ""))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r = judge.post(fmt.Sprintf("/api/v1/judging/stages/%d/contestants/%d/sign-off", p.id, contestant), nil)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
}

// Only the stage organiser sets the round up; a county organiser neither
// adds tasks nor assigns judges, and a judge cannot use the set-up routes.
func TestPracticalAPI_OnlyTheStageOrganiserSetsUp(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		p := newPracticalStage(t, e)
		county1 := e.login("county1")
		r := county1.post(fmt.Sprintf("/api/v1/stages/%d/tasks", p.id), map[string]any{"name": "x",
			"criteria": []map[string]any{{"name": "a", "kind": "measurement", "max_points": "10"}}})
		assert.Equal(t, http.StatusForbidden, r.status, "a team organiser")
		r = county1.send(http.MethodPut, fmt.Sprintf("/api/v1/stations/%d/judges", p.station), map[string]any{"judge_ids": []int64{}})
		assert.Equal(t, http.StatusNotFound, r.status, "a station of a stage county1 does not run")
		assert.Equal(t, http.StatusForbidden, e.login("judge1").get(fmt.Sprintf("/api/v1/stages/%d/tasks", p.id)).status)

		admin := e.login("admin")
		r = admin.post(fmt.Sprintf("/api/v1/stages/%d/tasks", p.id), map[string]any{"name": "x",
			"criteria": []map[string]any{{"name": "a", "kind": "judgement", "max_points": "10", "scale": []string{"0", "5"}}}})
		require.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Contains(t, r.json(t)["error"].(map[string]any)["fields"], "criteria[0].scale")
		r = admin.get(fmt.Sprintf("/api/v1/stages/%d/stations", p.id))
		require.Equal(t, http.StatusOK, r.status)
		st := r.json(t)["items"].([]any)[0].(map[string]any)
		assert.Len(t, st["judges"], 6)
		r = admin.send(http.MethodPut, fmt.Sprintf("/api/v1/stations/%d/judges", p.station),
			map[string]any{"judge_ids": []int64{e.userID("judge1"), e.userID("eng001")}})
		require.Equal(t, http.StatusUnprocessableEntity, r.status, "eng001 is no judge")
	})
}

// A judge cannot mark a contestant of their own unit: county 1's judge does
// not see county 1's contestants and is refused their marks.
func TestPracticalAPI_JudgeCannotMarkTheirOwnUnit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		p := newPracticalStage(t, e)
		jc1 := e.login("judgec1")
		r := jc1.get("/api/v1/judging")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		st := r.json(t)["items"].([]any)[0].(map[string]any)
		assert.Len(t, st["contestants"], 10, "the other five counties' two each")
		for _, c := range st["contestants"].([]any) {
			id := int64(c.(map[string]any)["id"].(float64))
			assert.NotEqual(t, p.nominee["C1"], id)
			assert.NotEqual(t, p.drawn["C1"], id)
		}
		r = jc1.send(http.MethodPut, p.marksPath(p.nominee["C1"]), markBody(80, ""))
		require.Equal(t, http.StatusForbidden, r.status, "%s", r.body)
		assert.Equal(t, e.srv.tr.T("zh-CN", "practical.conflict_of_interest", nil), r.json(t)["error"].(map[string]any)["message"])
		assert.Equal(t, http.StatusForbidden, jc1.get(p.marksPath(p.nominee["C1"])).status)
		r = jc1.send(http.MethodPut, p.marksPath(p.nominee["C2"]), markBody(80, ""))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)

		r = e.login("judge2").get("/api/v1/judging")
		assert.Len(t, r.json(t)["items"].([]any)[0].(map[string]any)["contestants"], 12, "a province judge marks every county")
	})
}

// A judge cannot read another judge's marks of a contestant before signing
// off: not in their sheet, not in their list, not in the organiser's scores.
func TestPracticalAPI_JudgeCannotReadAnotherJudgesMarksBeforeSignOff(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		p := newPracticalStage(t, e)
		c := p.nominee["C3"]
		judge2, judge3 := e.login("judge2"), e.login("judge3")
		r := judge2.send(http.MethodPut, p.marksPath(c), markBody(88, "J2-SIGNED-COMMENT"))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		require.Equal(t, http.StatusOK, judge2.post(fmt.Sprintf("/api/v1/judging/stages/%d/contestants/%d/sign-off", p.id, c), nil).status)

		r = judge3.send(http.MethodPut, p.marksPath(c), markBody(70, "J3-DRAFT-COMMENT"))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Empty(t, r.json(t)["others"])
		for _, path := range []string{p.marksPath(c), "/api/v1/judging"} {
			r = judge3.get(path)
			require.Equal(t, http.StatusOK, r.status)
			assert.NotContains(t, string(r.body), "J2-SIGNED-COMMENT", path)
			assert.NotContains(t, string(r.body), "58.00", path)
		}
		r = judge2.get(p.marksPath(c))
		assert.NotContains(t, string(r.body), "J3-DRAFT-COMMENT", "a signed-off judge sees no draft")
		r = e.login("admin").get(fmt.Sprintf("/api/v1/stages/%d/practical/%d", p.id, c))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.NotContains(t, string(r.body), "J3-DRAFT-COMMENT")
		for _, jt := range r.json(t)["totals"].([]any) {
			if int64(jt.(map[string]any)["judge_id"].(float64)) == e.userID("judge3") {
				assert.Nil(t, jt.(map[string]any)["total"])
			}
		}

		require.Equal(t, http.StatusOK, judge3.post(fmt.Sprintf("/api/v1/judging/stages/%d/contestants/%d/sign-off", p.id, c), nil).status)
		r = judge3.get(p.marksPath(c))
		others := r.json(t)["others"].([]any)
		require.Len(t, others, 1)
		assert.Equal(t, "88.00", others[0].(map[string]any)["total"])
		assert.Contains(t, string(r.body), "J2-SIGNED-COMMENT")
	})
}

// After sign-off a judge cannot change their marks; a correction needs the
// chief judge and a reason; every mark change is audited.
func TestPracticalAPI_LockedMarksChangeOnlyByTheChiefWithAReasonAudited(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		p := newPracticalStage(t, e)
		c := p.drawn["C4"]
		judge2 := e.login("judge2")
		r := judge2.send(http.MethodPut, p.marksPath(c), map[string]any{"marks": []map[string]any{{"criterion_id": 2, "points": "25"}}})
		require.Equal(t, http.StatusUnprocessableEntity, r.status, "not on the scale")
		assert.Contains(t, r.json(t)["error"].(map[string]any)["fields"], "marks[0].points")
		r = judge2.post(fmt.Sprintf("/api/v1/judging/stages/%d/contestants/%d/sign-off", p.id, c), nil)
		assert.Equal(t, http.StatusConflict, r.status, "nothing marked")
		p.mark(t, judge2, c, 80)
		r = judge2.send(http.MethodPut, p.marksPath(c), markBody(90, ""))
		require.Equal(t, http.StatusConflict, r.status)
		assert.Equal(t, e.srv.tr.T("zh-CN", "practical.marks_locked", nil), r.json(t)["error"].(map[string]any)["message"])
		r = judge2.post(fmt.Sprintf("/api/v1/judging/stages/%d/contestants/%d/sign-off", p.id, c), nil)
		assert.Equal(t, http.StatusConflict, r.status, "signed off already")

		sheet := judge2.get(p.marksPath(c)).json(t)
		markID := int64(sheet["marks"].([]any)[0].(map[string]any)["id"].(float64))
		correct := fmt.Sprintf("/api/v1/stages/%d/marks/%d/correct", p.id, markID)
		r = judge2.post(correct, map[string]any{"points": "45", "reason": "改分"})
		assert.Equal(t, http.StatusForbidden, r.status, "a judge who is not the chief")
		judge1 := e.login("judge1")
		r = judge1.post(correct, map[string]any{"points": "45", "reason": " "})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, "a reason is required")
		r = judge1.post(correct, map[string]any{"points": "45", "reason": "录入错误，按原始记录更正"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "45.00", r.json(t)["points"])
		assert.Equal(t, "75.00", judge2.get(p.marksPath(c)).json(t)["total"])

		assert.Equal(t, 2, e.auditActions(t, "practical.mark"), "two criteria marked")
		assert.Equal(t, 1, e.auditActions(t, "practical.sign_off"))
		assert.Equal(t, 1, e.auditActions(t, "practical.correct"))
		r = e.login("admin").get("/api/v1/audit?action=practical.correct")
		require.Equal(t, http.StatusOK, r.status)
		assert.Contains(t, string(r.body), "录入错误，按原始记录更正")
	})
}

// DOMAIN.md's worked example through the API: five judges give the nominee
// 88, 92, 85, 90 and 79; the highest and lowest are dropped and the score is
// 87.67. The marks spread 13 points, more than the threshold of 10, so the
// chief judge sees a discrepancy and accepts it; other judges do not see it.
func TestPracticalAPI_TrimmedMeanWorkedExampleAndTheChiefResolvesTheDiscrepancy(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		p := newPracticalStage(t, e)
		c := p.nominee["C1"]
		for i, total := range []int{88, 92, 85, 90, 79} {
			p.mark(t, e.login(fmt.Sprintf("judge%d", i+1)), c, total)
		}
		admin := e.login("admin")
		r := admin.get(fmt.Sprintf("/api/v1/stages/%d/practical/%d", p.id, c))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		res := r.json(t)
		assert.Equal(t, "87.67", res["score"])
		assert.Equal(t, "263/3", res["exact"])
		assert.Equal(t, true, res["discrepancy"])
		assert.Equal(t, false, res["complete"])
		assert.Len(t, res["judges"], 5, "the signed-off marks behind the score")
		assert.Empty(t, res["pending"], "judgec1 is not on county 1's panel")

		disc := fmt.Sprintf("/api/v1/stages/%d/discrepancies", p.id)
		assert.Equal(t, http.StatusNotFound, e.login("judge2").get(disc).status, "not the chief")
		judge1 := e.login("judge1")
		r = judge1.get(disc)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		items := r.json(t)["items"].([]any)
		require.Len(t, items, 1)
		assert.Equal(t, "13.00", items[0].(map[string]any)["spread"])
		assert.Equal(t, "10.00", items[0].(map[string]any)["threshold"])

		resolve := fmt.Sprintf("/api/v1/stages/%d/discrepancies/%d/resolve", p.id, c)
		r = judge1.post(resolve, map[string]any{"action": "shrug", "note": "x"})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status)
		r = judge1.post(resolve, map[string]any{"action": "accept", "note": "评分依据充分，予以认可"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, true, r.json(t)["complete"])
		assert.Equal(t, "87.67", r.json(t)["score"])
		assert.Empty(t, judge1.get(disc).json(t)["items"])
		r = judge1.post(resolve, map[string]any{"action": "accept", "note": "again"})
		assert.Equal(t, http.StatusConflict, r.status)
		assert.Equal(t, 1, e.auditActions(t, "practical.resolve"))
		assert.Equal(t, 10, e.auditActions(t, "practical.mark"), "five judges, two criteria each")

		r = admin.get(fmt.Sprintf("/api/v1/stages/%d/practical", p.id))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Len(t, r.json(t)["items"], 12)
	})
}

// The chief judge can send one judge back to re-mark; the stage organiser
// may resolve too.
func TestPracticalAPI_ChiefSendsAJudgeBackToReMark(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		p := newPracticalStage(t, e)
		c := p.drawn["C2"]
		totals := []int{80, 82, 81, 98, 79, 80}
		judges := []string{"judge1", "judge2", "judge3", "judge4", "judge5", "judgec1"}
		for i, total := range totals {
			p.mark(t, e.login(judges[i]), c, total)
		}
		admin := e.login("admin")
		r := admin.get(fmt.Sprintf("/api/v1/stages/%d/discrepancies", p.id))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		require.Len(t, r.json(t)["items"], 1, "the stage organiser sees discrepancies")
		r = admin.post(fmt.Sprintf("/api/v1/stages/%d/discrepancies/%d/resolve", p.id, c),
			map[string]any{"action": "remark", "judge_id": e.userID("judge4"), "note": "请复核操作规范项"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, false, r.json(t)["complete"])
		assert.Len(t, r.json(t)["pending"], 1)
		judge4 := e.login("judge4")
		p.mark(t, judge4, c, 82)
		r = admin.get(fmt.Sprintf("/api/v1/stages/%d/practical/%d", p.id, c))
		assert.Equal(t, true, r.json(t)["complete"])
		assert.Equal(t, "80.75", r.json(t)["score"], "(80 + 82 + 81 + 80) / 4 without 82 and 79")
		assert.Equal(t, 1, e.auditActions(t, "practical.remark"))
		assert.Equal(t, 14, e.auditActions(t, "practical.mark"), "six judges' two criteria, then two re-marked")
		assert.False(t, strings.Contains(string(r.body), "98.00"), "the re-marked total is gone")
	})
}

// A station's chief judge resolves the discrepancies of the contestants at
// that station only; every discrepancy row, for the organiser as for the
// chief, names the criteria of the station's rubric.
func TestPracticalAPI_EachStationsChiefSeesItsDiscrepanciesWithTheCriteriaNamed(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		p := newPracticalStage(t, e)
		admin := e.login("admin")
		tasks := admin.get(fmt.Sprintf("/api/v1/stages/%d/tasks", p.id)).json(t)["items"].([]any)
		r := admin.post(fmt.Sprintf("/api/v1/stages/%d/stations", p.id), map[string]any{"name": "二号工位", "task_id": tasks[0].(map[string]any)["id"]})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		two := int64(r.json(t)["id"].(float64))
		judges := []int64{e.userID("judge1"), e.userID("judge2"), e.userID("judge3"), e.userID("judge4"), e.userID("judge5")}
		r = admin.send(http.MethodPut, fmt.Sprintf("/api/v1/stations/%d/judges", two), map[string]any{"judge_ids": judges, "chief_id": judges[1]})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		r = admin.send(http.MethodPut, fmt.Sprintf("/api/v1/stations/%d/contestants", two), map[string]any{"user_ids": []int64{p.nominee["C2"]}})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		for _, c := range []int64{p.nominee["C1"], p.nominee["C2"]} {
			for i, total := range []int{80, 82, 81, 95, 79} {
				p.mark(t, e.login(fmt.Sprintf("judge%d", i+1)), c, total)
			}
		}
		disc := fmt.Sprintf("/api/v1/stages/%d/discrepancies", p.id)
		rows := func(c *client) map[float64][]string {
			r := c.get(disc)
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			out := map[float64][]string{}
			for _, item := range r.json(t)["items"].([]any) {
				d := item.(map[string]any)
				var names []string
				for _, cr := range d["criteria"].([]any) {
					names = append(names, cr.(map[string]any)["name"].(string))
				}
				out[d["contestant"].(map[string]any)["id"].(float64)] = names
			}
			return out
		}
		named := []string{"操作规范", "服务沟通"}
		c1, c2 := float64(p.nominee["C1"]), float64(p.nominee["C2"])
		assert.Equal(t, map[float64][]string{c1: named, c2: named}, rows(admin), "the organiser sees both, criteria named")
		assert.Equal(t, map[float64][]string{c1: named}, rows(e.login("judge1")), "station one's chief")
		assert.Equal(t, map[float64][]string{c2: named}, rows(e.login("judge2")), "station two's chief")
		r = e.login("judge1").post(fmt.Sprintf("%s/%d/resolve", disc, p.nominee["C2"]), map[string]any{"action": "accept", "note": "认可"})
		assert.Equal(t, http.StatusNotFound, r.status, "another station's contestant")
	})
}

// The judge sent back to re-mark reads the reason on their sheet until they
// sign off again.
func TestPracticalAPI_TheJudgeAskedToReMarkReadsWhyOnTheirSheet(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		p := newPracticalStage(t, e)
		c := p.nominee["C3"]
		for i, judge := range []string{"judge1", "judge2", "judge3", "judge4", "judge5", "judgec1"} {
			p.mark(t, e.login(judge), c, []int{80, 82, 81, 98, 79, 80}[i])
		}
		r := e.login("judge1").post(fmt.Sprintf("/api/v1/stages/%d/discrepancies/%d/resolve", p.id, c),
			map[string]any{"action": "remark", "judge_id": e.userID("judge4"), "note": "操作规范项偏高，请对照评分表复核"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		judge4 := e.login("judge4")
		r = judge4.get(p.marksPath(c))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "操作规范项偏高，请对照评分表复核", r.json(t)["remark_reason"])
		assert.Nil(t, e.login("judge2").get(p.marksPath(c)).json(t)["remark_reason"], "only the judge asked")
		p.mark(t, judge4, c, 84)
		assert.Nil(t, judge4.get(p.marksPath(c)).json(t)["remark_reason"], "answered by signing off again")
	})
}

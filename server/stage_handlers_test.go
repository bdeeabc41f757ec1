package server

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newStage creates, as admin, a competition and a provincial stage whose
// teams are the six demo counties; it returns the stage id.
func newStage(t *testing.T, e *testEnv, admin *client) int64 {
	t.Helper()
	r := admin.post("/api/v1/competitions", map[string]any{"org_unit_id": e.unit("PROV").ID, "name": "客维服务劳动竞赛", "year": 2026})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	comp := r.json(t)["id"]
	r = admin.get("/api/v1/competitions")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.NotEmpty(t, r.json(t)["items"])
	var teams []int64
	for _, code := range []string{"C1", "C2", "C3", "C4", "C5", "C6"} {
		teams = append(teams, e.unit(code).ID)
	}
	deadline := e.clock.Now().Add(48 * time.Hour)
	r = admin.post("/api/v1/stages", map[string]any{"competition_id": comp, "org_unit_id": e.unit("PROV").ID, "name": "省决赛（测试）",
		"team_unit_ids": teams, "roster_deadline": deadline})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	m := r.json(t)
	assert.Equal(t, "0.40", m["settings"].(map[string]any)["weights"].(map[string]any)["written"], "DOMAIN.md's default weights")
	return int64(m["id"].(float64))
}

// engineers returns the user ids of eng<from>..eng<to>.
func (e *testEnv) engineers(from, to int) []int64 {
	var out []int64
	for i := from; i <= to; i++ {
		out = append(out, e.userID(fmt.Sprintf("eng%03d", i)))
	}
	return out
}

// County organisers see and change only their own team's roster; after the
// lock the draw is committed, performed with public entropy, and anyone can
// fetch everything needed to re-run it without signing in.
func TestStageAPI_RostersByCountyThenThePublicDraw(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		id := newStage(t, e, admin)
		c1, c2 := e.unit("C1").ID, e.unit("C2").ID
		county1 := e.login("county1")
		r := county1.send(http.MethodPut, fmt.Sprintf("/api/v1/stages/%d/rosters/%d", id, c1), map[string]any{"written": e.engineers(1, 8), "nominee": e.userID("eng001")})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		r = county1.send(http.MethodPut, fmt.Sprintf("/api/v1/stages/%d/rosters/%d", id, c1), map[string]any{"written": append(e.engineers(1, 7), e.userID("county1")), "nominee": e.userID("eng001")})
		assert.Equal(t, "invalid", r.errorCode(t), "an organiser is staff, not a contestant")
		assert.Contains(t, string(r.body), "工作人员", "refused as staff: %s", r.body)
		r = county1.send(http.MethodPut, fmt.Sprintf("/api/v1/stages/%d/rosters/%d", id, c2), map[string]any{"written": e.engineers(11, 18), "nominee": e.userID("eng011")})
		assert.Equal(t, http.StatusNotFound, r.status, "county 2's team")
		r = county1.get(fmt.Sprintf("/api/v1/stages/%d/rosters", id))
		require.Equal(t, http.StatusOK, r.status)
		assert.Len(t, r.json(t)["items"], 1, "county1 sees only its own team")
		r = county1.post(fmt.Sprintf("/api/v1/stages/%d/rosters/lock", id), nil)
		assert.Equal(t, http.StatusForbidden, r.status, "only the stage organiser locks")
		r = e.login("county3").get(fmt.Sprintf("/api/v1/stages/%d/rosters", id))
		assert.Len(t, r.json(t)["items"], 1)

		for i, code := range []string{"C2", "C3", "C4", "C5", "C6"} {
			from := 11 + 10*i
			r = admin.send(http.MethodPut, fmt.Sprintf("/api/v1/stages/%d/rosters/%d", id, e.unit(code).ID),
				map[string]any{"written": e.engineers(from, from+7), "nominee": e.userID(fmt.Sprintf("eng%03d", from))})
			require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		}
		anon := e.client()
		assert.Equal(t, http.StatusNotFound, anon.get(fmt.Sprintf("/api/v1/public/stages/%d/draw", id)).status, "no draw yet")
		r = admin.post(fmt.Sprintf("/api/v1/stages/%d/draws/commit", id), map[string]any{})
		assert.Equal(t, http.StatusConflict, r.status, "rosters first")
		require.Equal(t, http.StatusNoContent, admin.post(fmt.Sprintf("/api/v1/stages/%d/rosters/lock", id), nil).status)
		r = admin.post(fmt.Sprintf("/api/v1/stages/%d/draws/commit", id), map[string]any{})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		commitment := r.json(t)["commitment"]
		assert.Nil(t, r.json(t)["seed"], "the seed stays secret until the draw")
		pub := anon.get(fmt.Sprintf("/api/v1/public/stages/%d/draw", id))
		require.Equal(t, http.StatusOK, pub.status, "%s", pub.body)
		assert.Equal(t, commitment, pub.json(t)["draw"].(map[string]any)["commitment"], "the commitment is public before the draw")
		assert.Nil(t, pub.json(t)["draw"].(map[string]any)["seed"])

		r = admin.post(fmt.Sprintf("/api/v1/stages/%d/draws/perform", id), map[string]any{"entropy": "37 82 5"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		pub = anon.get(fmt.Sprintf("/api/v1/public/stages/%d/draw", id))
		d := pub.json(t)["draw"].(map[string]any)
		assert.NotNil(t, d["seed"])
		assert.Equal(t, "37 82 5", d["entropy"])
		assert.Len(t, d["result"], 6)
		assert.Len(t, d["teams"], 6)
		assert.Equal(t, false, pub.json(t)["redrawn"])
		assert.Len(t, pub.json(t)["names"].(map[string]any)["teams"], 6, "the teams are named")
		assert.Len(t, pub.json(t)["names"].(map[string]any)["contestants"], 42, "and everyone in a pool: 7 per team")
		// The standalone script re-runs the public answer and agrees.
		if py, err := exec.LookPath("python3"); err == nil {
			cmd := exec.Command(py, "../docs/draw.py")
			cmd.Stdin = bytes.NewReader(pub.body)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), "the published result matches")
		} else if os.Getenv("CI") == "true" {
			t.Fatal("python3 is required under CI")
		}

		r = county1.get(fmt.Sprintf("/api/v1/stages/%d/rosters", id))
		drawn := r.json(t)["items"].([]any)[0].(map[string]any)["drawn"]
		require.NotNil(t, drawn, "the drawn contestant is on the roster")

		// After the lock a county changes its roster only by a substitution.
		r = county1.post(fmt.Sprintf("/api/v1/stages/%d/rosters/%d/substitutions", id, c1),
			map[string]any{"out": e.userID("eng008"), "in": e.userID("eng009"), "slot": "written", "reason": "住院"})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		assert.Equal(t, 1, e.auditActions(t, "roster.substitute"))
	})
}

// The stage organiser changes a stage with PATCH, field by field: a team
// organiser is refused, a unit outside the stage does not find it, and once
// the rosters are locked a roster size is refused with a 409 naming the
// setting in the caller's language. Audited.
func TestStageAPI_OrganiserChangesSettingsUntilTheyAreFixed(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		r := admin.post("/api/v1/competitions", map[string]any{"org_unit_id": e.unit("R1").ID, "name": "区赛", "year": 2026})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		r = admin.post("/api/v1/stages", map[string]any{"competition_id": r.json(t)["id"], "org_unit_id": e.unit("R1").ID, "name": "一区选拔",
			"team_unit_ids": []int64{e.unit("C1").ID, e.unit("C2").ID, e.unit("C3").ID}})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		path := fmt.Sprintf("/api/v1/stages/%v", r.json(t)["id"])

		r = e.login("county1").patch(path, map[string]any{"name": "改名"})
		assert.Equal(t, http.StatusForbidden, r.status, "a team organiser")
		r = e.login("county4").patch(path, map[string]any{"name": "改名"})
		assert.Equal(t, http.StatusNotFound, r.status, "a county outside the stage")
		r = e.login("region1").patch(path, map[string]any{"settings": map[string]any{"colour": "red"}})
		assert.Equal(t, "invalid", r.errorCode(t), "unknown settings are refused")

		r = e.login("region1").patch(path, map[string]any{"name": "一区选拔赛", "settings": map[string]any{"precision": 1, "weights": map[string]any{"written": "0.50", "practical": "0.50"}}})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		set := r.json(t)["settings"].(map[string]any)
		assert.Equal(t, "一区选拔赛", r.json(t)["name"])
		assert.Equal(t, float64(1), set["precision"])
		assert.Equal(t, "0.50", set["weights"].(map[string]any)["written"])
		assert.Equal(t, float64(8), set["written_roster_size"], "a setting left out keeps its value")

		require.Equal(t, http.StatusNoContent, admin.post(path+"/rosters/lock", nil).status)
		r = admin.patch(path, map[string]any{"settings": map[string]any{"written_roster_size": 6}})
		require.Equal(t, http.StatusConflict, r.status, "%s", r.body)
		assert.Contains(t, r.json(t)["error"].(map[string]any)["message"], "笔试名单人数")
		assert.Contains(t, r.json(t)["error"].(map[string]any)["fields"], "settings.written_roster_size")
		admin.lang = "en"
		r = admin.patch(path, map[string]any{"settings": map[string]any{"written_roster_size": 6}})
		assert.Contains(t, r.json(t)["error"].(map[string]any)["message"], "written roster size")
		r = admin.patch(path, map[string]any{"roster_deadline": nil, "settings": map[string]any{"written_roster_size": 8}})
		require.Equal(t, http.StatusOK, r.status, "an unchanged size is no change: %s", r.body)
		assert.Equal(t, 1, e.auditActions(t, "stage.update"))
	})
}

// A stage read on its own says which settings are fixed and why, by the
// rule PATCH refuses them by: none at first; the roster sizes once the
// rosters are locked, for the stage organiser and a team organiser alike.
// A list leaves it out; a unit outside the stage does not find it.
func TestStageAPI_StageSaysWhichSettingsAreFixedAndWhy(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		r := admin.post("/api/v1/competitions", map[string]any{"org_unit_id": e.unit("R1").ID, "name": "区赛", "year": 2026})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		r = admin.post("/api/v1/stages", map[string]any{"competition_id": r.json(t)["id"], "org_unit_id": e.unit("R1").ID, "name": "一区选拔",
			"team_unit_ids": []int64{e.unit("C1").ID, e.unit("C2").ID}})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		assert.Equal(t, map[string]any{}, r.json(t)["fixed_settings"], "a new stage: nothing fixed")
		path := fmt.Sprintf("/api/v1/stages/%v", r.json(t)["id"])

		r = admin.get("/api/v1/stages")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		for _, item := range r.json(t)["items"].([]any) {
			assert.NotContains(t, item, "fixed_settings", "not in lists")
		}

		require.Equal(t, http.StatusNoContent, admin.post(path+"/rosters/lock", nil).status)
		locked := map[string]any{"written_roster_size": "rosters_locked", "practical_size": "rosters_locked"}
		for _, who := range []string{"region1", "county1"} {
			r = e.login(who).get(path)
			require.Equal(t, http.StatusOK, r.status, "%s: %s", who, r.body)
			assert.Equal(t, locked, r.json(t)["fixed_settings"], who)
		}
		assert.Equal(t, http.StatusNotFound, e.login("county4").get(path).status, "a county outside the stage")

		region1 := e.login("region1")
		r = region1.patch(path, map[string]any{"settings": map[string]any{"practical_size": 3}})
		require.Equal(t, http.StatusConflict, r.status, "what shows as fixed is refused: %s", r.body)
		assert.Contains(t, r.json(t)["error"].(map[string]any)["fields"], "settings.practical_size")
		r = region1.patch(path, map[string]any{"settings": map[string]any{"draw_pool": "written"}})
		require.Equal(t, http.StatusOK, r.status, "what does not show as fixed changes: %s", r.body)
		assert.Equal(t, locked, r.json(t)["fixed_settings"], "the stage as changed")
	})
}

// A stage of individuals keeps one roster (team 0) without a nominee: a
// nominee is refused, and the roster lists none.
func TestStageAPI_IndividualsRosterHasNoNominee(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		r := admin.post("/api/v1/competitions", map[string]any{"org_unit_id": e.unit("PROV").ID, "name": "个人赛", "year": 2026})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		r = admin.post("/api/v1/stages", map[string]any{"competition_id": r.json(t)["id"], "org_unit_id": e.unit("PROV").ID, "name": "个人选拔", "kind": "individuals"})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		path := fmt.Sprintf("/api/v1/stages/%v/rosters", r.json(t)["id"])
		r = admin.send(http.MethodPut, path+"/0", map[string]any{"written": e.engineers(1, 4), "nominee": e.userID("eng001")})
		require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
		assert.Contains(t, r.json(t)["error"].(map[string]any)["fields"], "nominee")
		r = admin.send(http.MethodPut, path+"/0", map[string]any{"written": e.engineers(1, 4)})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		items := admin.get(path).json(t)["items"].([]any)
		require.Len(t, items, 1)
		assert.Nil(t, items[0].(map[string]any)["nominee"])
		assert.Len(t, items[0].(map[string]any)["written"], 4)
	})
}

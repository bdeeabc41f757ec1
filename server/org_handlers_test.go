package server

import (
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsers_CreateEditDisableReset(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.login("county1")
		r := c.post("/api/v1/users", map[string]any{"username": "newbie", "name": "新人", "employee_no": "E1001",
			"phone": "13800138000", "org_unit_id": e.unit("C1").ID, "password": "Start1234"})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		u := r.json(t)
		assert.Equal(t, "newbie", u["username"])
		assert.Equal(t, true, u["active"])
		assert.NotContains(t, string(r.body), "argon2")
		id := int64(u["id"].(float64))

		dup := c.post("/api/v1/users", map[string]any{"username": "newbie", "name": "X", "org_unit_id": e.unit("C1").ID, "password": "Start1234"})
		assert.Equal(t, http.StatusUnprocessableEntity, dup.status)
		assert.Contains(t, string(dup.body), "该用户名已被使用")

		r = c.patch(fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"name": "新人甲", "phone": "13900139000"})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "新人甲", r.json(t)["name"])

		require.Equal(t, http.StatusNoContent, c.post(fmt.Sprintf("/api/v1/users/%d/password", id), map[string]any{"new_password": "Reset5678"}).status)
		newbie := e.client()
		assert.Equal(t, http.StatusOK, newbie.post("/api/v1/auth/login", map[string]string{"username": "newbie", "password": "Reset5678"}).status)

		require.Equal(t, http.StatusOK, c.patch(fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"active": false}).status)
		assert.Equal(t, http.StatusUnauthorized, newbie.get("/api/v1/me").status)

		self := c.patch(fmt.Sprintf("/api/v1/users/%d", e.userID("county1")), map[string]any{"active": false})
		assert.Equal(t, http.StatusConflict, self.status, "nobody disables themselves")

		audit := c.get("/api/v1/audit?object_type=user").json(t)
		actions := []string{}
		for _, it := range audit["items"].([]any) {
			actions = append(actions, it.(map[string]any)["action"].(string))
		}
		assert.Subset(t, actions, []string{"user.create", "user.update", "user.password_reset", "user.disable"})
	})
}

func TestUnits_CreateRenameDelete(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.login("county1")
		r := c.post("/api/v1/org-units", map[string]any{"parent_id": e.unit("C1").ID, "name": "城区一班", "code": "C1-T1"})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		id := int64(r.json(t)["id"].(float64))
		assert.EqualValues(t, 3, r.json(t)["depth"])
		r = c.patch(fmt.Sprintf("/api/v1/org-units/%d", id), map[string]any{"name": "城区维护一班"})
		require.Equal(t, http.StatusOK, r.status)
		assert.Equal(t, "城区维护一班", r.json(t)["name"])
		bad := c.patch(fmt.Sprintf("/api/v1/org-units/%d", id), map[string]any{"code": "has space"})
		assert.Equal(t, http.StatusUnprocessableEntity, bad.status)
		assert.Equal(t, http.StatusConflict, c.delete(fmt.Sprintf("/api/v1/org-units/%d", e.unit("C1").ID)).status)
		assert.Equal(t, http.StatusNoContent, c.delete(fmt.Sprintf("/api/v1/org-units/%d", id)).status)
	})
}

// The import is all-or-nothing: a dry run shows what would happen, a real run
// writes every row or none.
func TestUsers_ImportDryRunThenCommit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		data, err := os.ReadFile("../frontend/e2e/fixtures/users-3.xlsx")
		require.NoError(t, err)
		c := e.login("county1")
		r := c.upload("/api/v1/users/import?dry_run=true", "users.xlsx", data)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		res := r.json(t)
		assert.EqualValues(t, 3, res["imported"])
		assert.Empty(t, res["errors"])
		assert.Equal(t, http.StatusNotFound, c.get(fmt.Sprintf("/api/v1/users/%d", 99999)).status)
		assert.EqualValues(t, 0, c.get("/api/v1/users?q=imp_").json(t)["total"], "a dry run writes nothing")

		r = c.upload("/api/v1/users/import?dry_run=false", "users.xlsx", data)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.EqualValues(t, 3, r.json(t)["imported"])
		assert.EqualValues(t, 3, c.get("/api/v1/users?q=imp_").json(t)["total"])

		// Importing again: every row now collides; nothing is written.
		r = c.upload("/api/v1/users/import?dry_run=false", "users.xlsx", data)
		require.Equal(t, http.StatusOK, r.status)
		errs := r.json(t)["errors"].([]any)
		require.Len(t, errs, 3)
		first := errs[0].(map[string]any)
		assert.EqualValues(t, 2, first["row"])
		assert.Equal(t, "A", first["column"])
		assert.Contains(t, first["message"], "已被使用")

		// Another county cannot import into C1 (the unit code is unknown to them).
		r = e.login("county2").upload("/api/v1/users/import?dry_run=true", "users.xlsx", data)
		require.Equal(t, http.StatusOK, r.status)
		assert.NotEmpty(t, r.json(t)["errors"])

		// A file that is not what it claims.
		r = c.upload("/api/v1/users/import?dry_run=true", "users.xlsx", []byte("this is not a workbook"))
		assert.Equal(t, http.StatusUnprocessableEntity, r.status)
		c.lang = "en"
		r = c.upload("/api/v1/users/import?dry_run=true", "users.pdf", []byte("%PDF-1.4"))
		assert.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Contains(t, string(r.body), "Only Excel workbooks")

		tpl := c.get("/api/v1/users/import/template")
		assert.Equal(t, http.StatusOK, tpl.status)
		assert.Equal(t, "PK", string(tpl.body[:2]))
	})
}

func TestAudit_EndpointListsAndVerifies(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin")
		v := admin.get("/api/v1/audit/verify").json(t)
		assert.Equal(t, true, v["ok"])
		assert.Greater(t, v["checked"].(float64), 80.0)

		county := e.login("county2")
		list := county.get("/api/v1/audit?page_size=500").json(t)
		for _, it := range list["items"].([]any) {
			assert.EqualValues(t, e.unit("C2").ID, it.(map[string]any)["org_unit_id"], "a county sees only its own entries")
		}

		require.NoError(t, e.db.Exec("UPDATE audit_entries SET actor_username = 'someone-else' WHERE id = 5").Error)
		v = admin.get("/api/v1/audit/verify").json(t)
		assert.Equal(t, false, v["ok"])
		assert.EqualValues(t, 5, v["first_broken_id"])
		assert.Contains(t, v["problem"], "5")
	})
}

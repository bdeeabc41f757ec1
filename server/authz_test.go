package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every registered route has a line in the policy file: a route nobody
// thought about is a route nobody may call, and this test names it.
func TestEveryRouteHasAPolicy(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		routes := e.srv.Engine().Routes()
		require.NotEmpty(t, routes)
		for _, r := range routes {
			assert.NotEmpty(t, e.srv.authz.routeRoles(r.Path, r.Method), "route %s %s has no line in authz/policy.csv", r.Method, r.Path)
		}
		// And no policy line names a route that does not exist.
		have := map[string]bool{}
		for _, r := range routes {
			have[r.Method+" "+r.Path] = true
		}
		for _, l := range policyLines() {
			assert.True(t, have[l[2]+" "+l[1]], "policy line for %s %s matches no route", l[2], l[1])
		}
	})
}

// A request a role may not make at all answers 403; a resource outside the
// caller's units answers 404, so its existence does not leak.
func TestAuthorization_RoleByRouteByScope(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c1, c2, r1 := e.unit("C1"), e.unit("C2"), e.unit("R1")
		eng001 := e.userID("eng001") // in C1
		eng011 := e.userID("eng011") // in C2
		type req struct {
			method, path string
			body         any
		}
		get := func(p string) req { return req{"GET", p, nil} }
		cases := []struct {
			who  string
			name string
			r    req
			want int
		}{
			// county1: organiser of C1.
			{"county1", "list users", get("/api/v1/users"), 200},
			{"county1", "same county user", get(fmt.Sprintf("/api/v1/users/%d", eng001)), 200},
			{"county1", "other county user", get(fmt.Sprintf("/api/v1/users/%d", eng011)), 404},
			{"county1", "parent region unit", get(fmt.Sprintf("/api/v1/org-units/%d", r1.ID)), 404},
			{"county1", "own unit", get(fmt.Sprintf("/api/v1/org-units/%d", c1.ID)), 200},
			{"county1", "other county unit", get(fmt.Sprintf("/api/v1/org-units/%d", c2.ID)), 404},
			{"county1", "edit other county user", req{"PATCH", fmt.Sprintf("/api/v1/users/%d", eng011), map[string]any{"name": "x"}}, 404},
			{"county1", "reset other county password", req{"POST", fmt.Sprintf("/api/v1/users/%d/password", eng011), map[string]any{"new_password": "Newpass123"}}, 404},
			{"county1", "create user in other county", req{"POST", "/api/v1/users", map[string]any{"username": "zz1", "name": "Z", "org_unit_id": c2.ID, "password": "Newpass123"}}, 422},
			{"county1", "grant in parent region", req{"POST", "/api/v1/grants", map[string]any{"user_id": eng001, "role": "judge", "org_unit_id": r1.ID}}, 422},
			{"county1", "audit", get("/api/v1/audit"), 200},
			// region1: organiser of R1 (C1-C3).
			{"region1", "user in county below", get(fmt.Sprintf("/api/v1/users/%d", eng011)), 200},
			{"region1", "own region unit", get(fmt.Sprintf("/api/v1/org-units/%d", r1.ID)), 200},
			{"region1", "other region's county", get(fmt.Sprintf("/api/v1/org-units/%d", e.unit("C4").ID)), 404},
			{"region1", "province unit", get(fmt.Sprintf("/api/v1/org-units/%d", e.unit("PROV").ID)), 404},
			// admin: organiser of the province.
			{"admin", "any user", get(fmt.Sprintf("/api/v1/users/%d", eng011)), 200},
			{"admin", "verify audit", get("/api/v1/audit/verify"), 200},
			// A contestant is no organiser anywhere.
			{"eng001", "list users", get("/api/v1/users"), 403},
			{"eng001", "org units (their own)", get("/api/v1/org-units"), 200},
			{"eng001", "create unit", req{"POST", "/api/v1/org-units", map[string]any{"parent_id": c1.ID, "name": "x", "code": "X8"}}, 403},
			{"proctor1", "list users", get("/api/v1/users"), 200},
			{"proctor1", "edit user", req{"PATCH", fmt.Sprintf("/api/v1/users/%d", eng001), map[string]any{"name": "x"}}, 403},
			{"eng001", "grants", get("/api/v1/grants"), 403},
			{"eng001", "audit", get("/api/v1/audit"), 403},
			{"eng001", "own profile", get("/api/v1/me"), 200},
			// Judges, authors and invigilators of the province are no organisers either.
			{"judge1", "list users", get("/api/v1/users"), 403},
			{"author1", "create unit", req{"POST", "/api/v1/org-units", map[string]any{"parent_id": c1.ID, "name": "x", "code": "X9"}}, 403},
			{"proctor1", "grants", get("/api/v1/grants"), 403},
		}
		clients := map[string]*client{}
		for _, tc := range cases {
			c, ok := clients[tc.who]
			if !ok {
				c = e.login(tc.who)
				clients[tc.who] = c
			}
			r := c.send(tc.r.method, tc.r.path, tc.r.body)
			assert.Equal(t, tc.want, r.status, "%s: %s (%s %s): %s", tc.who, tc.name, tc.r.method, tc.r.path, r.body)
		}
	})
}

// Lists never include anything outside the caller's units.
func TestAuthorization_ListsAreScoped(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.login("county1")
		units := c.get("/api/v1/org-units").json(t)["items"].([]any)
		require.Len(t, units, 1)
		assert.Equal(t, "C1", units[0].(map[string]any)["code"])
		users := c.get("/api/v1/users?page_size=500").json(t)
		assert.EqualValues(t, 11, users["total"], "county1 and eng001-eng010")
		for _, u := range users["items"].([]any) {
			assert.EqualValues(t, e.unit("C1").ID, u.(map[string]any)["org_unit_id"])
		}
		r := c.get("/api/v1/users?q=eng011").json(t)
		assert.EqualValues(t, 0, r["total"])
		other := c.get(fmt.Sprintf("/api/v1/users?org_unit_id=%d", e.unit("C2").ID))
		assert.Equal(t, http.StatusNotFound, other.status)

		eng := e.login("eng012")
		units = eng.get("/api/v1/org-units").json(t)["items"].([]any)
		require.Len(t, units, 1, "a contestant sees their own county")
		assert.Equal(t, "C2", units[0].(map[string]any)["code"])

		reg := e.login("region1")
		units = reg.get("/api/v1/org-units").json(t)["items"].([]any)
		assert.Len(t, units, 4, "R1 and its three counties")
	})
}

// A grant or revoke is in force from the very next request.
func TestAuthorization_GrantAndRevokeTakeEffectAtOnce(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		eng := e.login("eng002")
		require.Equal(t, http.StatusForbidden, eng.get("/api/v1/users").status)
		admin := e.login("county1")
		g := admin.post("/api/v1/grants", map[string]any{"user_id": e.userID("eng002"), "role": "organiser", "org_unit_id": e.unit("C1").ID})
		require.Equal(t, http.StatusCreated, g.status, "%s", g.body)
		assert.Equal(t, http.StatusOK, eng.get("/api/v1/users").status)
		id := int64(g.json(t)["id"].(float64))
		require.Equal(t, http.StatusNoContent, admin.delete(fmt.Sprintf("/api/v1/grants/%d", id)).status)
		assert.Equal(t, http.StatusForbidden, eng.get("/api/v1/users").status)
	})
}

func TestAuthorization_AnonymousNeedsSignIn(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.client()
		for _, p := range []string{"/api/v1/me", "/api/v1/users", "/api/v1/audit"} {
			r := c.get(p)
			assert.Equal(t, http.StatusUnauthorized, r.status, p)
			assert.Equal(t, "unauthorized", r.errorCode(t))
		}
		assert.Equal(t, http.StatusOK, c.get("/healthz").status)
		assert.True(t, strings.Contains(string(c.get("/metrics").body), "skillarena_http_requests_total"))
	})
}

package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena"
	"skillarena/database/dbtest"
)

// publicOperations are the operations open to anyone (policy role "anyone"):
// the document must override the global cookie security with [] on them.
func publicOperations() map[string]bool {
	out := map[string]bool{}
	for _, l := range policyLines() {
		if l[0] == roleAnyone {
			out[l[2]+" "+ginToOpenAPIPath(l[1])] = true
		}
	}
	return out
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// ginToOpenAPIPath turns Gin's /users/:id into OpenAPI's /users/{id}.
func ginToOpenAPIPath(p string) string { return ginParam.ReplaceAllString(p, "{$1}") }

func TestOpenAPI_DocumentIsValid(t *testing.T) {
	doc, err := OpenAPI()
	require.NoError(t, err, "openapi.yaml must load and validate")
	assert.True(t, strings.HasPrefix(doc.OpenAPI, "3.0."), "openapi: %q", doc.OpenAPI)

	require.NotNil(t, doc.Components)
	scheme := doc.Components.SecuritySchemes["sessionCookie"]
	require.NotNil(t, scheme, "the session cookie security scheme")
	assert.Equal(t, "apiKey", scheme.Value.Type)
	assert.Equal(t, "cookie", scheme.Value.In)
	assert.Equal(t, "skillarena_session", scheme.Value.Name)
	require.Len(t, doc.Security, 1, "the cookie applies globally")
	_, ok := doc.Security[0]["sessionCookie"]
	assert.True(t, ok, "the cookie applies globally")

	tags := map[string]bool{}
	for _, tag := range doc.Tags {
		tags[tag.Name] = true
	}
	public := publicOperations()
	errorRef := "#/components/schemas/Error"
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			name := method + " " + path
			assert.NotEmpty(t, op.OperationID, "%s: operationId", name)
			assert.NotEmpty(t, op.Summary, "%s: summary", name)
			assert.NotEmpty(t, op.Description, "%s: description", name)
			if assert.NotEmpty(t, op.Tags, "%s: tags", name) {
				for _, tag := range op.Tags {
					assert.True(t, tags[tag], "%s: tag %q is not declared at the top", name, tag)
				}
			}
			if public[name] {
				assert.True(t, op.Security != nil && len(*op.Security) == 0, "%s is public: it needs security: []", name)
			} else {
				assert.Nil(t, op.Security, "%s needs the session: it must not override security", name)
				assert.NotNil(t, op.Responses.Status(http.StatusUnauthorized), "%s needs the session: 401 must be documented", name)
			}
			assert.NotNil(t, op.Responses.Status(http.StatusInternalServerError), "%s: 500", name)
			assert.Nil(t, op.Responses.Default(), "%s: no default response; list the statuses", name)
			if method != http.MethodGet && method != http.MethodHead {
				assert.NotNil(t, op.Responses.Status(http.StatusForbidden), "%s: a refused cross-site request answers 403", name)
			}
			if op.RequestBody != nil {
				for mt, c := range op.RequestBody.Value.Content {
					s := c.Schema.Value
					require.NotNil(t, s, "%s: %s request schema", name, mt)
					if s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
						t.Errorf("%s: the %s request body must have additionalProperties: false (unknown fields are refused)", name, mt)
					}
				}
				if op.RequestBody.Value.Content.Get("application/json") != nil {
					assert.NotNil(t, op.Responses.Status(http.StatusUnprocessableEntity), "%s: a bad body answers 422", name)
					assert.NotNil(t, op.Responses.Status(http.StatusRequestEntityTooLarge), "%s: an oversize body answers 413", name)
				}
			}
			for code, resp := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				require.NoError(t, err, "%s: response %q", name, code)
				if status < 400 || (path == "/readyz" && status == http.StatusServiceUnavailable) {
					continue
				}
				c := resp.Value.Content.Get("application/json")
				if assert.NotNil(t, c, "%s %d: JSON error body", name, status) {
					assert.Equal(t, errorRef, c.Schema.Ref, "%s %d: the shared Error schema", name, status)
				}
				if status == http.StatusTooManyRequests {
					h := resp.Value.Headers["Retry-After"]
					assert.True(t, h != nil && h.Value.Required, "%s 429: Retry-After", name)
				}
			}
		}
	}
}

// routeEnv is a server over a fresh SQLite database with the demo loaded.
func routeEnv(t *testing.T) *testEnv {
	clock := skillarena.NewFixedClock(time.Now())
	return newEnv(t, dbtest.SQLite(t, clock), clock)
}

func TestOpenAPI_EveryRouteIsDocumented(t *testing.T) {
	doc, err := OpenAPI()
	require.NoError(t, err)
	e := routeEnv(t)

	served := map[string]bool{}
	for _, r := range e.srv.Engine().Routes() {
		path := ginToOpenAPIPath(r.Path)
		served[r.Method+" "+path] = true
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("route %s %s (%s) is not in openapi.yaml", r.Method, r.Path, path)
		}
	}
	require.NotEmpty(t, served)
	for _, path := range doc.Paths.InMatchingOrder() {
		for method := range doc.Paths.Value(path).Operations() {
			if !served[method+" "+path] {
				t.Errorf("openapi.yaml documents %s %s, which the server does not serve", method, path)
			}
		}
	}
}

func TestOpenAPI_ServedAtEndpoint(t *testing.T) {
	e := routeEnv(t)
	r := e.client().get("/api/openapi.json")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.True(t, isJSONMediaType(r.header.Get("Content-Type")), "content type %q", r.header.Get("Content-Type"))

	var served struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(r.body, &served))
	assert.Regexp(t, `^3\.0\.\d+$`, served.OpenAPI)

	// The served JSON is the embedded document, whole.
	doc, err := OpenAPI()
	require.NoError(t, err)
	assert.Len(t, served.Paths, doc.Paths.Len())
	back, err := openapi3.NewLoader().LoadFromData(r.body)
	require.NoError(t, err, "the served document loads")
	require.NoError(t, back.Validate(t.Context()), "the served document validates")
	want, err := json.Marshal(doc)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(r.body))
}

// TestOpenAPI_CheckCatchesMismatches makes sure the hook every test client
// runs does fail on answers the document does not allow.
func TestOpenAPI_CheckCatchesMismatches(t *testing.T) {
	req := func(method, target string) *http.Request {
		return httptest.NewRequest(method, "http://127.0.0.1:45678"+target, nil)
	}
	jsonHdr := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	unit := `{"id":4,"parent_id":2,"name":"x","code":"C1","depth":2,"user_count":0,
		"created_at":"2026-11-24T08:00:00Z","updated_at":"2026-11-24T08:00:00Z"}`
	notFound := `{"error":{"code":"not_found","message":"Not found."}}`
	questionRow := `{"items":[{"id":1,"bank_id":1,"bank_name":"b","status":"draft","version":1,"type":"single_choice",
		"topic_id":1,"topic_name":"t","difficulty":3,"points":"1.50","tags":[],"stem":"x","last_editor_id":2,
		"last_editor_name":"n","editable":true,"approvable":false,"updated_at":"2026-11-24T08:00:00Z"}],"total":1}`

	cases := []struct {
		name    string
		req     *http.Request
		resp    response
		wantErr string
	}{
		{"documented answer", req("GET", "/api/v1/org-units/4"), response{200, jsonHdr, []byte(unit)}, ""},
		{"top-level unit", req("GET", "/api/v1/org-units/1"),
			response{200, jsonHdr, []byte(strings.Replace(unit, `"parent_id":2`, `"parent_id":null`, 1))}, ""},
		{"documented error", req("GET", "/api/v1/org-units/999"), response{404, jsonHdr, []byte(notFound)}, ""},
		{"undocumented status", req("GET", "/api/v1/org-units/4"), response{409, jsonHdr, []byte(notFound)}, "not documented"},
		{"missing property", req("GET", "/api/v1/org-units/4"),
			response{200, jsonHdr, []byte(strings.Replace(unit, `"code":"C1",`, "", 1))}, "code"},
		{"extra property", req("GET", "/api/v1/org-units/4"),
			response{200, jsonHdr, []byte(strings.Replace(unit, `"id":4`, `"id":4,"path":"/1/2/4/"`, 1))}, "path"},
		{"bad time", req("GET", "/api/v1/org-units/4"),
			response{200, jsonHdr, []byte(strings.Replace(unit, `"created_at":"2026-11-24T08:00:00Z"`, `"created_at":"yesterday"`, 1))}, "created_at"},
		{"unknown error code", req("GET", "/api/v1/org-units/999"),
			response{404, jsonHdr, []byte(`{"error":{"code":"missing","message":"x"}}`)}, "code"},
		{"not JSON", req("GET", "/api/v1/org-units/4"),
			response{200, http.Header{"Content-Type": {"text/html"}}, []byte("<p>")}, "text/html"},
		{"429 without Retry-After", req("POST", "/api/v1/auth/login"),
			response{429, jsonHdr, []byte(`{"error":{"code":"too_many_requests","message":"x"}}`)}, "Retry-After"},
		{"429 with Retry-After", req("POST", "/api/v1/auth/login"),
			response{429, http.Header{"Content-Type": {"application/json"}, "Retry-After": {"3"}},
				[]byte(`{"error":{"code":"too_many_requests","message":"x"}}`)}, ""},
		{"body on 204", req("DELETE", "/api/v1/grants/3"), response{204, jsonHdr, []byte(`{}`)}, "no documented body"},
		{"204", req("DELETE", "/api/v1/grants/3"), response{204, http.Header{}, nil}, ""},
		{"undocumented route", req("GET", "/api/v1/secrets"), response{200, jsonHdr, []byte(`{}`)}, "not in the OpenAPI document"},
		{"undocumented method", req("PUT", "/api/v1/grants/3"), response{200, jsonHdr, []byte(`{}`)}, "not in the OpenAPI document"},
		{"unknown API path answers 404", req("GET", "/api/v1/secrets"), response{404, jsonHdr, []byte(notFound)}, ""},
		{"unknown API path, bad 404", req("GET", "/api/v1/secrets"), response{404, jsonHdr, []byte(`{}`)}, "error shape"},
		{"browser app", req("GET", "/competitions/3"), response{200, http.Header{"Content-Type": {"text/html"}}, []byte("<html>")}, ""},
		{"metrics", req("GET", "/metrics"),
			response{200, http.Header{"Content-Type": {"text/plain; version=0.0.4; charset=utf-8"}}, []byte("# HELP\n")}, ""},
		{"metrics as JSON", req("GET", "/metrics"), response{200, jsonHdr, []byte(`{}`)}, "application/json"},
		{"template", req("GET", "/api/v1/users/import/template"),
			response{200, http.Header{"Content-Type": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
				"Content-Disposition": {`attachment; filename="users-template.xlsx"`}}, []byte("PK\x03\x04")}, ""},
		{"template as CSV", req("GET", "/api/v1/users/import/template"),
			response{200, http.Header{"Content-Type": {"text/csv"}, "Content-Disposition": {"attachment"}}, []byte("a,b")}, "text/csv"},
		{"image", req("GET", "/api/v1/assets/"+strings.Repeat("ab", 32)),
			response{200, http.Header{"Content-Type": {"image/png"}, "Cache-Control": {"private"}}, []byte("\x89PNG")}, ""},
		{"image as HTML", req("GET", "/api/v1/assets/"+strings.Repeat("ab", 32)),
			response{200, http.Header{"Content-Type": {"text/html"}, "Cache-Control": {"private"}}, []byte("<p>")}, "text/html"},
		{"export as XML", req("GET", "/api/v1/questions/export?format=moodlexml"),
			response{200, http.Header{"Content-Type": {"application/xml; charset=utf-8"}, "Content-Disposition": {"attachment"}}, []byte("<quiz/>")}, ""},
		{"points as a number", req("GET", "/api/v1/questions?bank_id=1"),
			response{200, jsonHdr, []byte(strings.Replace(questionRow, `"points":"1.50"`, `"points":1.5`, 1))}, "points"},
		{"points with one place", req("GET", "/api/v1/questions?bank_id=1"),
			response{200, jsonHdr, []byte(strings.Replace(questionRow, `"points":"1.50"`, `"points":"1.5"`, 1))}, "points"},
		{"question row", req("GET", "/api/v1/questions?bank_id=1"), response{200, jsonHdr, []byte(questionRow)}, ""},
		{"key in a row", req("GET", "/api/v1/questions?bank_id=1"),
			response{200, jsonHdr, []byte(strings.Replace(questionRow, `"stem":"x"`, `"stem":"x","key":{"choices":["B"]}`, 1))}, "key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := openapiMismatch(tc.req, tc.resp)
			if tc.wantErr == "" {
				assert.NoError(t, err)
			} else if assert.Error(t, err) {
				assert.Contains(t, err.Error(), tc.wantErr)
			}
		})
	}
}

// TestOpenAPI_ResponsesMatchDocument calls every endpoint, in success and in
// its documented failures, so that the client's hook checks each answer
// against the document.
func TestOpenAPI_ResponsesMatchDocument(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		want := func(r response, status int) response {
			t.Helper()
			require.Equal(t, status, r.status, "%s", r.body)
			return r
		}
		id := func(r response) int64 {
			t.Helper()
			return int64(r.json(t)["id"].(float64))
		}
		str := func(id int64) string { return strconv.FormatInt(id, 10) }

		anon := e.client()
		for _, p := range []string{"/healthz", "/readyz", "/metrics", "/api/openapi.json"} {
			want(anon.get(p), http.StatusOK)
		}
		want(anon.get("/api/v1/me"), http.StatusUnauthorized)
		want(anon.post("/api/v1/auth/logout", nil), http.StatusNoContent)
		want(anon.get("/api/v1/users"), http.StatusUnauthorized)
		want(anon.post("/api/v1/auth/login", map[string]string{"username": "admin", "password": "wrong-pass1"}), http.StatusUnauthorized)
		want(anon.post("/api/v1/auth/login", map[string]string{"username": "admin"}), http.StatusUnprocessableEntity)
		want(anon.post("/api/v1/auth/login", `{"username":"admin","password":"x","remember":true}`), http.StatusUnprocessableEntity)
		want(anon.post("/api/v1/auth/login", `{"username":`), http.StatusUnprocessableEntity)
		want(anon.get("/api/v1/no-such-thing"), http.StatusNotFound)

		admin := e.login("admin")
		me := want(admin.get("/api/v1/me"), http.StatusOK).json(t)
		assert.Equal(t, "admin", me["username"])

		// Org units.
		r1 := e.unit("R1")
		want(admin.get("/api/v1/org-units"), http.StatusOK)
		unitID := id(want(admin.post("/api/v1/org-units", map[string]any{"parent_id": r1.ID, "name": "新区", "code": "R1-NEW"}), http.StatusCreated))
		want(admin.post("/api/v1/org-units", map[string]any{"parent_id": r1.ID, "name": "重复", "code": "R1-NEW"}), http.StatusUnprocessableEntity)
		want(admin.get("/api/v1/org-units/"+str(unitID)), http.StatusOK)
		want(admin.patch("/api/v1/org-units/"+str(unitID), map[string]any{"name": "新区二"}), http.StatusOK)
		want(admin.patch("/api/v1/org-units/"+str(unitID), map[string]any{"colour": "red"}), http.StatusUnprocessableEntity)
		want(admin.delete("/api/v1/org-units/"+str(r1.ID)), http.StatusConflict)
		want(admin.get("/api/v1/org-units/abc"), http.StatusNotFound)
		want(admin.post("/api/v1/org-units", fmt.Sprintf(`{"name":%q}`, strings.Repeat("a", 1<<20+16))), http.StatusRequestEntityTooLarge)

		// Users.
		want(admin.get("/api/v1/users?page=1&page_size=5&q=eng&active=true&org_unit_id="+str(e.unit("C1").ID)), http.StatusOK)
		want(admin.get("/api/v1/users?page=0"), http.StatusUnprocessableEntity)
		want(admin.get("/api/v1/users?page_size=501"), http.StatusUnprocessableEntity)
		want(admin.get("/api/v1/users?active=maybe"), http.StatusUnprocessableEntity)
		userID := id(want(admin.post("/api/v1/users", map[string]any{"username": "newbie", "name": "新人",
			"org_unit_id": unitID, "password": "secret123"}), http.StatusCreated))
		want(admin.post("/api/v1/users", map[string]any{"username": "newbie", "name": "新人",
			"org_unit_id": unitID, "password": "secret123"}), http.StatusUnprocessableEntity)
		want(admin.get("/api/v1/users/"+str(userID)), http.StatusOK)
		want(admin.patch("/api/v1/users/"+str(userID), map[string]any{"phone": "138 0000 0000", "active": false}), http.StatusOK)
		want(admin.patch("/api/v1/users/"+str(userID), map[string]any{"active": true}), http.StatusOK)
		want(admin.patch("/api/v1/users/"+str(e.userID("admin")), map[string]any{"active": false}), http.StatusConflict)
		want(admin.post("/api/v1/users/"+str(userID)+"/password", map[string]any{"new_password": "another123"}), http.StatusNoContent)
		want(admin.post("/api/v1/users/"+str(userID)+"/password", map[string]any{"new_password": "short"}), http.StatusUnprocessableEntity)
		want(admin.post("/api/v1/users/999999/password", map[string]any{"new_password": "another123"}), http.StatusNotFound)
		want(admin.delete("/api/v1/org-units/"+str(unitID)), http.StatusConflict)

		// Import.
		tpl := want(admin.get("/api/v1/users/import/template"), http.StatusOK)
		assert.True(t, strings.HasPrefix(string(tpl.body), "PK"), "an xlsx file")
		csv := "username,name,employee_no,phone,org_unit_code,password\n" +
			"imp001,导入甲,,,C1,\nimp002,导入乙,E-2,,C2,secret123\n"
		dry := want(admin.upload("/api/v1/users/import", "users.csv", []byte(csv)), http.StatusOK).json(t)
		assert.EqualValues(t, 2, dry["imported"])
		bad := want(admin.upload("/api/v1/users/import", "users.csv",
			[]byte("username,name,org_unit_code\nx,,NOPE\n")), http.StatusOK).json(t)
		assert.NotEmpty(t, bad["errors"])
		done := want(admin.upload("/api/v1/users/import?dry_run=false", "users.csv", []byte(csv)), http.StatusOK).json(t)
		assert.Len(t, done["passwords"], 1)
		want(admin.upload("/api/v1/users/import", "users.txt", []byte("hello")), http.StatusUnprocessableEntity)
		want(admin.upload("/api/v1/users/import?dry_run=perhaps", "users.csv", []byte(csv)), http.StatusUnprocessableEntity)
		want(admin.post("/api/v1/users/import", map[string]string{"file": "x"}), http.StatusUnprocessableEntity)

		// Grants.
		want(admin.get("/api/v1/grants?page_size=10&q=county&org_unit_id="+str(r1.ID)), http.StatusOK)
		want(admin.get("/api/v1/grants?user_id="+str(userID)), http.StatusOK)
		grant := map[string]any{"user_id": userID, "role": "judge", "org_unit_id": unitID}
		grantID := id(want(admin.post("/api/v1/grants", grant), http.StatusCreated))
		want(admin.post("/api/v1/grants", grant), http.StatusConflict)
		want(admin.post("/api/v1/grants", map[string]any{"user_id": userID, "role": "king", "org_unit_id": unitID}), http.StatusUnprocessableEntity)
		want(admin.delete("/api/v1/grants/"+str(grantID)), http.StatusNoContent)
		want(admin.delete("/api/v1/grants/"+str(grantID)), http.StatusNotFound)

		// Scope: outside answers 404; without an organiser grant, 403.
		county1 := e.login("county1")
		want(county1.get("/api/v1/users/"+str(e.userID("eng060"))), http.StatusNotFound)
		want(county1.get("/api/v1/org-units/"+str(r1.ID)), http.StatusNotFound)
		want(county1.get("/api/v1/users?org_unit_id="+str(r1.ID)), http.StatusNotFound)
		want(county1.get("/api/v1/grants?org_unit_id="+str(r1.ID)), http.StatusNotFound)
		want(county1.get("/api/v1/audit"), http.StatusOK)
		contestant := e.login("eng001")
		want(contestant.get("/api/v1/org-units"), http.StatusOK)
		want(contestant.get("/api/v1/users"), http.StatusForbidden)
		want(contestant.get("/api/v1/audit/verify"), http.StatusForbidden)
		want(contestant.get("/api/v1/me"), http.StatusOK)
		want(contestant.post("/api/v1/me/password", map[string]string{"old_password": "wrong1234", "new_password": "better123"}), http.StatusUnprocessableEntity)
		want(contestant.post("/api/v1/me/password", map[string]string{"old_password": "x"}), http.StatusUnprocessableEntity)
		want(contestant.post("/api/v1/me/password", map[string]string{"old_password": "demo12345", "new_password": "better123"}), http.StatusNoContent)
		want(contestant.get("/api/v1/me"), http.StatusOK)

		// A browser's cross-site request is refused.
		cross := e.login("eng002")
		cross.hdr.Set("Sec-Fetch-Site", "cross-site")
		want(cross.post("/api/v1/auth/logout", nil), http.StatusForbidden)
		want(cross.post("/api/v1/users", map[string]any{}), http.StatusForbidden)
		cross.hdr.Del("Sec-Fetch-Site")
		want(cross.post("/api/v1/auth/logout", nil), http.StatusNoContent)
		want(cross.get("/api/v1/me"), http.StatusUnauthorized)

		// Audit.
		want(admin.get("/api/v1/audit?page=1&page_size=3&action=user.create&object_type=user&actor=admin"), http.StatusOK)
		list := want(admin.get("/api/v1/audit?page_size=500"), http.StatusOK).json(t)
		assert.NotEmpty(t, list["items"])
		ok := want(admin.get("/api/v1/audit/verify"), http.StatusOK).json(t)
		assert.Equal(t, true, ok["ok"])
		assert.Nil(t, ok["first_broken_id"])
		require.NoError(t, e.db.Exec("UPDATE audit_entries SET reason = 'tampered' WHERE id = 3").Error)
		broken := want(admin.get("/api/v1/audit/verify"), http.StatusOK).json(t)
		assert.Equal(t, false, broken["ok"])
		assert.EqualValues(t, 3, broken["first_broken_id"])

		want(admin.post("/api/v1/auth/logout", nil), http.StatusNoContent)
	})
}

func TestOpenAPI_ThrottledLoginMatchesDocument(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.client()
		var last response
		for range 5 {
			last = c.post("/api/v1/auth/login", map[string]string{"username": "admin", "password": "wrong-pass1"})
			if last.status == http.StatusTooManyRequests {
				break
			}
		}
		require.Equal(t, http.StatusTooManyRequests, last.status, "%s", last.body)
		assert.NotEmpty(t, last.header.Get("Retry-After"))
		assert.Equal(t, "too_many_requests", last.errorCode(t))
	}, func(cfg *Config) { cfg.LoginRate, cfg.LoginBurst = 0.001, 2 })
}

// TestOpenAPI_ContentResponsesMatchDocument calls every content endpoint
// (topics, banks, questions, assets, materials) in success and in its
// documented failures, so that the client's hook checks each answer against
// the document.
func TestOpenAPI_ContentResponsesMatchDocument(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		want := func(r response, status int) response {
			t.Helper()
			require.Equal(t, status, r.status, "%s", r.body)
			return r
		}
		path := func(format string, args ...any) string { return fmt.Sprintf(format, args...) }
		f := newContentFixture(t, e)
		admin, anon := f.admin, e.client()
		author1, author2, eng := e.login("author1"), e.login("author2"), e.login("eng001")
		// county1 organises C1 and, from here on, also writes questions there.
		want(admin.post("/api/v1/grants", map[string]any{"user_id": e.userID("county1"), "role": "author", "org_unit_id": e.unit("C1").ID}), http.StatusCreated)
		county1 := e.login("county1")
		big := fmt.Sprintf(`{"name":%q}`, strings.Repeat("a", 1<<20+16))

		// Topics.
		want(anon.get("/api/v1/topics"), http.StatusUnauthorized)
		want(eng.get("/api/v1/topics"), http.StatusOK)
		topic := jsonID(t, want(admin.post("/api/v1/topics", map[string]any{"parent_id": f.network, "name": "IP 网络", "name_en": "IP networks"}), http.StatusCreated))
		want(admin.post("/api/v1/topics", map[string]any{"parent_id": f.network, "name": "IP 网络"}), http.StatusUnprocessableEntity)
		want(admin.post("/api/v1/topics", map[string]any{"parent_id": f.network}), http.StatusUnprocessableEntity)
		want(admin.post("/api/v1/topics", map[string]any{"parent_id": 999999, "name": "无父"}), http.StatusUnprocessableEntity)
		want(admin.post("/api/v1/topics", big), http.StatusRequestEntityTooLarge)
		want(county1.post("/api/v1/topics", map[string]any{"parent_id": f.network, "name": "县局主题"}), http.StatusForbidden)
		want(author1.post("/api/v1/topics", map[string]any{"parent_id": f.network, "name": "作者主题"}), http.StatusForbidden)
		want(anon.post("/api/v1/topics", map[string]any{"parent_id": f.network, "name": "匿名"}), http.StatusUnauthorized)
		want(admin.patch(path("/api/v1/topics/%d", topic), map[string]any{"name": "IP 与宽带", "name_en": "IP and broadband"}), http.StatusOK)
		want(admin.patch(path("/api/v1/topics/%d", topic), map[string]any{"name": "a/b"}), http.StatusUnprocessableEntity)
		want(admin.patch(path("/api/v1/topics/%d", topic), big), http.StatusRequestEntityTooLarge)
		want(admin.patch("/api/v1/topics/999999", map[string]any{"name": "无"}), http.StatusNotFound)
		want(county1.patch(path("/api/v1/topics/%d", topic), map[string]any{"name": "县局改名"}), http.StatusForbidden)

		// Banks.
		want(author1.get("/api/v1/banks"), http.StatusOK)
		want(county1.get("/api/v1/banks"), http.StatusOK)
		want(eng.get("/api/v1/banks"), http.StatusForbidden)
		want(anon.get("/api/v1/banks"), http.StatusUnauthorized)
		c1Bank := jsonID(t, want(county1.post("/api/v1/banks", map[string]any{"org_unit_id": e.unit("C1").ID, "name": "城区分局题库"}), http.StatusCreated))
		want(county1.post("/api/v1/banks", map[string]any{"org_unit_id": e.unit("C2").ID, "name": "越权"}), http.StatusUnprocessableEntity)
		want(county1.post("/api/v1/banks", map[string]any{"org_unit_id": e.unit("C1").ID, "name": "x", "colour": "red"}), http.StatusUnprocessableEntity)
		want(county1.post("/api/v1/banks", big), http.StatusRequestEntityTooLarge)
		want(author1.post("/api/v1/banks", map[string]any{"org_unit_id": e.unit("PROV").ID, "name": "作者题库"}), http.StatusForbidden)
		want(county1.patch(path("/api/v1/banks/%d", c1Bank), map[string]any{"description": "城区分局自用"}), http.StatusOK)
		want(county1.patch(path("/api/v1/banks/%d", c1Bank), map[string]any{"name": ""}), http.StatusUnprocessableEntity)
		want(county1.patch(path("/api/v1/banks/%d", c1Bank), big), http.StatusRequestEntityTooLarge)
		want(county1.patch(path("/api/v1/banks/%d", f.provBank), map[string]any{"name": "改名"}), http.StatusForbidden)
		want(county1.patch(path("/api/v1/banks/%d", f.c2Bank), map[string]any{"name": "改名"}), http.StatusNotFound)
		want(admin.patch("/api/v1/banks/abc", map[string]any{"name": "改名"}), http.StatusNotFound)

		// Study material first, so a question can point at a section.
		mat := map[string]any{"topic_id": f.network, "org_unit_id": e.unit("PROV").ID, "title": "IP 网络基础", "summary": "路由协议概述",
			"sections": []map[string]any{{"title": "OSPF", "body": "<p>链路状态协议。</p>"}, {"title": "BGP", "body": "<p>路径矢量协议。</p>"}}}
		m := want(author1.post("/api/v1/materials", mat), http.StatusCreated).json(t)
		matPath := path("/api/v1/materials/%d", int64(m["id"].(float64)))
		ospf := int64(m["sections"].([]any)[0].(map[string]any)["id"].(float64))
		want(author1.post("/api/v1/materials", map[string]any{"topic_id": f.network, "org_unit_id": e.unit("PROV").ID, "title": "空", "sections": []any{}}), http.StatusUnprocessableEntity)
		want(county1.post("/api/v1/materials", mat), http.StatusUnprocessableEntity)
		want(author1.post("/api/v1/materials", big), http.StatusRequestEntityTooLarge)
		want(eng.post("/api/v1/materials", mat), http.StatusForbidden)
		want(eng.get("/api/v1/materials"), http.StatusOK)
		want(eng.get(path("/api/v1/materials?topic_id=%d", f.network)), http.StatusOK)
		want(eng.get("/api/v1/materials?topic_id=999999"), http.StatusUnprocessableEntity)
		want(anon.get("/api/v1/materials"), http.StatusUnauthorized)
		want(eng.get(matPath), http.StatusOK)
		want(eng.get("/api/v1/materials/999999"), http.StatusNotFound)

		// Questions.
		q := singleChoice(f.provBank, f.network, "OSPF 属于哪一类路由协议？")
		q["material_section_id"] = ospf
		created := want(author1.post("/api/v1/questions", q), http.StatusCreated).json(t)
		qid := int64(created["id"].(float64))
		qPath := path("/api/v1/questions/%d", qid)
		tf := map[string]any{"bank_id": f.provBank, "topic_id": f.maintenance, "type": "true_false", "stem": "故障工单应在规定时限内闭环。", "key": map[string]any{"true": false}}
		want(author1.post("/api/v1/questions", tf), http.StatusCreated)
		for _, typ := range []map[string]any{
			{"type": "multiple_choice", "stem": "哪些是链路状态协议？", "options": []map[string]string{{"key": "A", "text": "OSPF"}, {"key": "B", "text": "IS-IS"}, {"key": "C", "text": "RIP"}},
				"key": map[string]any{"choices": []string{"A", "B"}}},
			{"type": "fill_blank", "stem": "IPv6 地址长度为 ___ 位。", "key": map[string]any{"blanks": []map[string]any{{"accepted": []string{"128"}}}},
				"normalization": map[string]any{"fold_width": true, "ignore_case": true, "trim_space": true}},
			{"type": "short_answer", "stem": "简述故障升级流程。", "reference_answer": "<p>超时升级。</p>", "rubric": "<p>要点各 1 分。</p>"},
			{"type": "essay", "stem": "设计一个小区宽带扩容方案。"},
		} {
			typ["bank_id"], typ["topic_id"] = f.c2Bank, topic
			want(author1.post("/api/v1/questions", typ), http.StatusCreated)
		}
		inC2 := f.question(t, author1, f.c2Bank, "临湖县局的题目")
		badKey := singleChoice(f.provBank, f.network, "坏答案")
		badKey["key"] = map[string]any{"choices": []string{"E"}}
		want(author1.post("/api/v1/questions", badKey), http.StatusUnprocessableEntity)
		want(author1.post("/api/v1/questions", singleChoice(0, f.network, "没有题库")), http.StatusUnprocessableEntity)
		want(author1.post("/api/v1/questions", `{"bank_id":1,"topic_id":1,"type":"essay","points":2}`), http.StatusUnprocessableEntity)
		want(author1.post("/api/v1/questions", big), http.StatusRequestEntityTooLarge)
		want(county1.post("/api/v1/questions", singleChoice(f.provBank, f.network, "只读题库")), http.StatusForbidden)
		want(county1.post("/api/v1/questions", singleChoice(f.c2Bank, f.network, "看不见的题库")), http.StatusNotFound)
		want(county1.post("/api/v1/questions", singleChoice(c1Bank, f.network, "城区分局的题目")), http.StatusCreated)
		want(admin.post("/api/v1/questions", singleChoice(f.provBank, f.network, "组织者不命题")), http.StatusForbidden)

		want(author1.get(path("/api/v1/questions?page=1&page_size=10&bank_id=%d&topic_id=%d&type=single_choice&difficulty=2&status=draft&tag=OSPF&q=OSPF", f.provBank, f.network)), http.StatusOK)
		want(county1.get("/api/v1/questions"), http.StatusOK)
		want(author1.get("/api/v1/questions?status=lost"), http.StatusUnprocessableEntity)
		want(author1.get("/api/v1/questions?type=riddle"), http.StatusUnprocessableEntity)
		want(author1.get("/api/v1/questions?difficulty=9"), http.StatusUnprocessableEntity)
		want(author1.get("/api/v1/questions?topic_id=999999"), http.StatusUnprocessableEntity)
		want(eng.get("/api/v1/questions"), http.StatusForbidden)
		want(anon.get("/api/v1/questions"), http.StatusUnauthorized)

		want(author1.get(qPath), http.StatusOK)
		want(county1.get(path("/api/v1/questions/%d", inC2)), http.StatusNotFound)
		want(author1.get("/api/v1/questions/abc"), http.StatusNotFound)
		want(eng.get(qPath), http.StatusForbidden)
		edit := singleChoice(0, f.network, "OSPF 属于哪一类动态路由协议？")
		edit["base_version"] = 1
		edit["material_section_id"] = ospf
		want(author1.put(qPath, edit), http.StatusOK)
		want(author2.put(qPath, edit), http.StatusConflict)
		want(author1.put(qPath, singleChoice(f.provBank, f.network, "换题库")), http.StatusUnprocessableEntity)
		want(author1.put(qPath, big), http.StatusRequestEntityTooLarge)
		want(county1.put(qPath, singleChoice(0, f.network, "只读")), http.StatusForbidden)
		want(county1.put(path("/api/v1/questions/%d", inC2), singleChoice(0, f.network, "看不见")), http.StatusNotFound)
		want(author1.get(qPath+"/versions"), http.StatusOK)
		want(county1.get(path("/api/v1/questions/%d/versions", inC2)), http.StatusNotFound)

		tr := qPath + "/transitions"
		want(author1.post(tr, map[string]any{"action": "submit"}), http.StatusOK)
		want(author1.post(tr, map[string]any{"action": "approve"}), http.StatusForbidden)
		want(author2.post(tr, map[string]any{"action": "reject"}), http.StatusUnprocessableEntity)
		want(author2.post(tr, map[string]any{"action": "publish"}), http.StatusUnprocessableEntity)
		want(author2.post(tr, big), http.StatusRequestEntityTooLarge)
		want(author2.post(tr, map[string]any{"action": "approve"}), http.StatusOK)
		want(author2.post(tr, map[string]any{"action": "submit"}), http.StatusConflict)
		want(county1.post(tr, map[string]any{"action": "retire"}), http.StatusForbidden)
		want(county1.post(path("/api/v1/questions/%d/transitions", inC2), map[string]any{"action": "submit"}), http.StatusNotFound)
		want(author2.post(qPath+"/comments", map[string]any{"comment": "可用于省赛"}), http.StatusCreated)
		want(author2.post(qPath+"/comments", map[string]any{"comment": ""}), http.StatusUnprocessableEntity)
		want(author2.post(qPath+"/comments", big), http.StatusRequestEntityTooLarge)
		want(county1.post(qPath+"/comments", map[string]any{"comment": "只读"}), http.StatusForbidden)
		want(county1.post(path("/api/v1/questions/%d/comments", inC2), map[string]any{"comment": "看不见"}), http.StatusNotFound)
		want(author1.get(qPath+"/events"), http.StatusOK)
		want(county1.get(path("/api/v1/questions/%d/events", inC2)), http.StatusNotFound)

		want(author1.get("/api/v1/questions/counts"), http.StatusOK)
		want(county1.get(path("/api/v1/questions/counts?bank_id=%d", f.provBank)), http.StatusOK)
		want(author1.get("/api/v1/questions/counts?bank_id=abc"), http.StatusUnprocessableEntity)
		want(eng.get("/api/v1/questions/counts"), http.StatusForbidden)

		// The section a question tests cannot be dropped.
		mat["sections"] = []map[string]any{{"title": "BGP", "body": "<p>路径矢量协议。</p>"}}
		want(author1.put(matPath, mat), http.StatusConflict)
		mat["sections"] = []map[string]any{{"id": ospf, "title": "OSPF", "body": "<p>链路状态路由协议。</p>"}}
		want(author1.put(matPath, mat), http.StatusOK)
		want(author1.put(matPath, map[string]any{"topic_id": f.network, "title": "无节", "sections": []any{}}), http.StatusUnprocessableEntity)
		want(author1.put(matPath, big), http.StatusRequestEntityTooLarge)
		want(county1.put(matPath, mat), http.StatusForbidden)
		want(author1.put("/api/v1/materials/999999", mat), http.StatusNotFound)

		// Import, template and export.
		tpl := want(author1.get("/api/v1/questions/import/template"), http.StatusOK)
		assert.True(t, strings.HasPrefix(string(tpl.body), "PK"), "an xlsx file")
		want(eng.get("/api/v1/questions/import/template"), http.StatusForbidden)
		csv := "题型,主题,题干,选项A,选项B,答案,难度\n单选题,全业务网络知识,RIP 的最大跳数是？,15,16,A,2\n判断题,维护流程,工单可不经回访直接闭环。,,,错,\n"
		imp := path("/api/v1/questions/import?format=csv&bank_id=%d", f.provBank)
		dry := want(author1.upload(imp, "q.csv", []byte(csv)), http.StatusOK).json(t)
		assert.EqualValues(t, 2, dry["imported"])
		bad := want(author1.upload(imp, "q.csv", []byte("题型,主题,题干,答案\n猜谜,无此主题,,\n")), http.StatusOK).json(t)
		assert.NotEmpty(t, bad["errors"])
		gift := "$CATEGORY: 全业务网络知识/新建子主题\n\n::Q1:: OSPF 是链路状态协议。 {TRUE}\n"
		created2 := want(author1.upload(path("/api/v1/questions/import?format=gift&bank_id=%d&create_topics=true&dry_run=false", f.provBank), "q.gift", []byte(gift)), http.StatusOK).json(t)
		assert.Empty(t, created2["errors"])
		assert.Equal(t, []any{"全业务网络知识/新建子主题"}, created2["created_topics"])
		want(county1.upload(path("/api/v1/questions/import?format=gift&bank_id=%d&create_topics=true", c1Bank), "q.gift", []byte(gift)), http.StatusForbidden)
		want(author1.upload(imp+"&dry_run=false", "q.csv", []byte(csv)), http.StatusOK)
		want(author1.upload(path("/api/v1/questions/import?format=pdf&bank_id=%d", f.provBank), "q.pdf", []byte(csv)), http.StatusUnprocessableEntity)
		want(author1.upload("/api/v1/questions/import?format=csv", "q.csv", []byte(csv)), http.StatusUnprocessableEntity)
		want(author1.upload(imp+"&dry_run=perhaps", "q.csv", []byte(csv)), http.StatusUnprocessableEntity)
		want(author1.post(imp, map[string]string{"file": "x"}), http.StatusUnprocessableEntity)
		want(county1.upload(imp, "q.csv", []byte(csv)), http.StatusForbidden)
		want(county1.upload(path("/api/v1/questions/import?format=csv&bank_id=%d", f.c2Bank), "q.csv", []byte(csv)), http.StatusNotFound)
		want(admin.upload(imp, "q.csv", []byte(csv)), http.StatusForbidden)
		want(author1.upload(imp, "q.csv", make([]byte, 20<<20+1)), http.StatusRequestEntityTooLarge)

		for _, format := range []string{"xlsx", "moodlexml", "gift"} {
			r := want(author1.get(path("/api/v1/questions/export?format=%s&bank_id=%d", format, f.provBank)), http.StatusOK)
			assert.NotEmpty(t, r.body, format)
		}
		want(county1.get("/api/v1/questions/export?format=xlsx&status=approved"), http.StatusOK)
		twoBlanks := map[string]any{"bank_id": c1Bank, "topic_id": f.network, "type": "fill_blank", "stem": "IPv4 为 ___ 位，IPv6 为 ___ 位。",
			"key": map[string]any{"blanks": []map[string]any{{"accepted": []string{"32"}}, {"accepted": []string{"128"}}}}}
		want(county1.post("/api/v1/questions", twoBlanks), http.StatusCreated)
		giftOut := want(county1.get(path("/api/v1/questions/export?format=gift&bank_id=%d", c1Bank)), http.StatusOK)
		assert.Contains(t, string(giftOut.body), "城区分局的题目")
		assert.NotContains(t, string(giftOut.body), "IPv6 为", "GIFT cannot hold several blanks: the question is left out")
		want(author1.get("/api/v1/questions/export?format=pdf"), http.StatusUnprocessableEntity)
		want(author1.get("/api/v1/questions/export"), http.StatusUnprocessableEntity)
		want(author1.get("/api/v1/questions/export?format=xlsx&status=lost"), http.StatusUnprocessableEntity)
		want(eng.get("/api/v1/questions/export?format=xlsx"), http.StatusForbidden)

		// Assets.
		img := pngBytes(t)
		asset := want(author1.upload("/api/v1/assets", "a.png", img), http.StatusCreated).json(t)
		want(admin.upload("/api/v1/assets", "a.png", img), http.StatusCreated)
		want(author1.upload("/api/v1/assets", "a.png", []byte("not an image")), http.StatusUnprocessableEntity)
		want(author1.upload("/api/v1/assets", "a.png", make([]byte, 2<<20+1)), http.StatusRequestEntityTooLarge)
		want(author1.post("/api/v1/assets", map[string]string{"file": "x"}), http.StatusUnprocessableEntity)
		want(eng.upload("/api/v1/assets", "a.png", img), http.StatusForbidden)
		want(anon.upload("/api/v1/assets", "a.png", img), http.StatusUnauthorized)
		want(eng.get(asset["url"].(string)), http.StatusOK)
		want(eng.get("/api/v1/assets/"+strings.Repeat("ab", 32)), http.StatusNotFound)
		want(eng.get("/api/v1/assets/nothex"), http.StatusNotFound)
		want(anon.get(asset["url"].(string)), http.StatusUnauthorized)

		// Without a session every content route answers 401; with a session
		// but no grant, 403 (except the routes open to any signed-in user).
		want(admin.post("/api/v1/users", map[string]any{"username": "nogrant", "name": "无授权",
			"org_unit_id": e.unit("C1").ID, "password": "secret123"}), http.StatusCreated)
		nogrant := e.client()
		want(nogrant.post("/api/v1/auth/login", map[string]string{"username": "nogrant", "password": "secret123"}), http.StatusOK)
		want(nogrant.get("/api/v1/topics"), http.StatusOK)
		for _, r := range []struct{ method, path string }{
			{"POST", "/api/v1/topics"}, {"PATCH", path("/api/v1/topics/%d", topic)},
			{"GET", "/api/v1/banks"}, {"POST", "/api/v1/banks"}, {"PATCH", path("/api/v1/banks/%d", c1Bank)},
			{"GET", "/api/v1/questions"}, {"POST", "/api/v1/questions"}, {"GET", "/api/v1/questions/counts"},
			{"POST", "/api/v1/questions/import"}, {"GET", "/api/v1/questions/import/template"}, {"GET", "/api/v1/questions/export"},
			{"GET", qPath}, {"PUT", qPath}, {"GET", qPath + "/versions"}, {"GET", qPath + "/events"},
			{"POST", qPath + "/transitions"}, {"POST", qPath + "/comments"}, {"POST", "/api/v1/assets"},
			{"GET", "/api/v1/materials"}, {"POST", "/api/v1/materials"}, {"GET", matPath}, {"PUT", matPath},
		} {
			want(anon.send(r.method, r.path, map[string]any{}), http.StatusUnauthorized)
			want(nogrant.send(r.method, r.path, map[string]any{}), http.StatusForbidden)
		}

		// A browser's cross-site request is refused on every kind of write.
		author1.hdr.Set("Sec-Fetch-Site", "cross-site")
		want(author1.post("/api/v1/questions", q), http.StatusForbidden)
		want(author1.put(qPath, edit), http.StatusForbidden)
		want(author1.upload("/api/v1/assets", "a.png", img), http.StatusForbidden)
		author1.hdr.Del("Sec-Fetch-Site")
	})
}

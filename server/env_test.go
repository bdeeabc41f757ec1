package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database/dbtest"
	"skillarena/demo"
	"skillarena/exam"
	"skillarena/org"
	"skillarena/scoring"
)

// cheapHash keeps tests fast; the stored hash carries its own parameters.
var cheapHash = org.Argon2Params{Memory: 64, Time: 1, Threads: 1}

// testEnv is a real server over a real database loaded with the demo province.
type testEnv struct {
	t     *testing.T
	db    *gorm.DB
	clock *skillarena.FixedClock
	org   *org.Service
	exam  *exam.Service
	srv   *Server
	ts    *httptest.Server
	cfg   Config
}

type envOption func(*Config)

func newEnv(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock, opts ...envOption) *testEnv {
	t.Helper()
	o := org.NewService(db, clock, org.Options{Hasher: org.NewHasher(cheapHash)})
	cs := content.NewService(db, clock, o.Audit())
	es := exam.NewService(db, clock, o.Audit(), cs)
	if _, err := demo.Load(context.Background(), clock, o, cs, es); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	cfg := DefaultConfig()
	cfg.LoginRate, cfg.LoginBurst = 1000, 1000
	for _, f := range opts {
		f(&cfg)
	}
	return serve(t, db, clock, cfg, o, cs, es)
}

// serve starts a server on the services.
func serve(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock, cfg Config, o *org.Service, cs *content.Service, es *exam.Service) *testEnv {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := New(cfg, clock, log, Deps{Org: o, Content: cs, Exam: es, Scoring: scoring.NewService(db, clock, o.Audit(), es), Ready: func(context.Context) error { return nil }})
	require.NoError(t, err)
	srv.tr.onMissing = recordMissing
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &testEnv{t: t, db: db, clock: clock, org: o, exam: es, srv: srv, ts: ts, cfg: cfg}
}

// another returns a second server over the same database, with services of
// its own, as behind a load balancer.
func (e *testEnv) another() *testEnv {
	o := org.NewService(e.db, e.clock, org.Options{Hasher: org.NewHasher(cheapHash)})
	cs := content.NewService(e.db, e.clock, o.Audit())
	return serve(e.t, e.db, e.clock, e.cfg, o, cs, exam.NewService(e.db, e.clock, o.Audit(), cs))
}

// eachEnv runs f against a fresh demo server on SQLite and, when configured,
// on MySQL. The clock starts at the real time so scs's own expiry stamps and
// the injected clock agree.
func eachEnv(t *testing.T, f func(t *testing.T, e *testEnv), opts ...envOption) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		clock.Set(time.Now())
		f(t, newEnv(t, db, clock, opts...))
	})
}

// client is one browser-like user agent with its own cookies.
type client struct {
	e    *testEnv
	http *http.Client
	lang string
	hdr  http.Header
}

func (e *testEnv) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}, hdr: http.Header{}}
}

// login signs username in with the demo password and fails the test if it
// does not work.
func (e *testEnv) login(username string) *client {
	e.t.Helper()
	c := e.client()
	r := c.post("/api/v1/auth/login", map[string]string{"username": username, "password": demo.Password})
	require.Equal(e.t, http.StatusOK, r.status, "login %s: %s", username, r.body)
	return c
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), "body: %s", r.body)
	return m
}

func (r response) errorCode(t *testing.T) string {
	t.Helper()
	m := r.json(t)
	e, ok := m["error"].(map[string]any)
	require.True(t, ok, "no error object in %s", r.body)
	return e["code"].(string)
}

func (c *client) do(method, path string, body io.Reader, contentType string) response {
	c.e.t.Helper()
	req, err := http.NewRequest(method, c.e.ts.URL+path, body)
	require.NoError(c.e.t, err)
	for k, v := range c.hdr {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.http.Do(req)
	require.NoError(c.e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(c.e.t, err)
	r := response{status: res.StatusCode, header: res.Header, body: b}
	checkAgainstOpenAPI(c.e.t, req, r)
	return r
}

func (c *client) get(path string) response { return c.do(http.MethodGet, path, nil, "") }

func (c *client) send(method, path string, v any) response {
	var body io.Reader
	if s, ok := v.(string); ok {
		body = strings.NewReader(s)
	} else if v != nil {
		b, err := json.Marshal(v)
		require.NoError(c.e.t, err)
		body = bytes.NewReader(b)
	}
	return c.do(method, path, body, "application/json")
}

func (c *client) post(path string, v any) response  { return c.send(http.MethodPost, path, v) }
func (c *client) patch(path string, v any) response { return c.send(http.MethodPatch, path, v) }
func (c *client) delete(path string) response       { return c.do(http.MethodDelete, path, nil, "") }

// upload posts a multipart form with one file in the field "file".
func (c *client) upload(path, filename string, data []byte) response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("file", filename)
	require.NoError(c.e.t, err)
	fw.Write(data)
	require.NoError(c.e.t, w.Close())
	return c.do(http.MethodPost, path, &buf, w.FormDataContentType())
}

// unit returns the demo unit with code.
func (e *testEnv) unit(code string) org.Unit {
	e.t.Helper()
	u, err := e.org.UnitByCode(context.Background(), code)
	require.NoError(e.t, err)
	return u
}

// userID returns the id of the user with username.
func (e *testEnv) userID(username string) int64 {
	e.t.Helper()
	users, _, err := e.org.ListUsers(context.Background(), org.Everything, org.UserFilter{Query: username})
	require.NoError(e.t, err)
	for _, u := range users {
		if u.Username == username {
			return u.ID
		}
	}
	e.t.Fatalf("no user %s", username)
	return 0
}

func scopeOfCodes(e *testEnv, codes ...string) org.Scope {
	var s org.Scope
	for _, c := range codes {
		s.Paths = append(s.Paths, e.unit(c).Path)
	}
	return s
}

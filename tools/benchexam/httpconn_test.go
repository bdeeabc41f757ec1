package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The generator's client keeps one connection for one contestant's
// requests in a row and sends the cookies the server set, as a browser
// does, dropping one the server deletes.
func TestConns_ReusesTheConnectionAndKeepsCookies(t *testing.T) {
	var opened atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/in":
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/"})
			http.SetCookie(w, &http.Cookie{Name: "hint", Value: "h", Path: "/"})
		case "/out":
			http.SetCookie(w, &http.Cookie{Name: "hint", Path: "/", MaxAge: -1})
		}
		fmt.Fprintf(w, "%s %s cookie=%q xff=%s", r.Method, r.URL.Path, r.Header.Get("Cookie"), r.Header.Get("X-Forwarded-For"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	p, err := newConns(srv.URL, 5*time.Second)
	require.NoError(t, err)
	c := newContestant(3, "u", p)
	ctx := context.Background()

	r := c.do(ctx, http.MethodGet, "/before", nil)
	require.NoError(t, r.err)
	assert.Equal(t, `GET /before cookie="" xff=10.0.0.3`, string(r.body))
	c.do(ctx, http.MethodPost, "/in", map[string]string{"a": "b"})
	r = c.do(ctx, http.MethodPut, "/after", map[string]int{"seq": 1})
	assert.Equal(t, `PUT /after cookie="hint=h; session=s1" xff=10.0.0.3`, string(r.body))
	c.do(ctx, http.MethodPost, "/out", nil)
	for range 10 {
		r = c.do(ctx, http.MethodGet, "/later", nil)
	}
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, `GET /later cookie="session=s1" xff=10.0.0.3`, string(r.body))
	assert.EqualValues(t, 1, opened.Load(), "14 requests in a row, one connection")
}

// A connection the server closed while it sat in the pool is not an error
// for the request that picks it up: it is sent again on a new one. A
// request the server never answers fails at the timeout and is not sent
// twice.
func TestConns_SendsAgainWhenTheServerClosedAnIdleConnection(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/slow" {
			time.Sleep(700 * time.Millisecond)
		}
		w.(http.Flusher).Flush() // a chunked answer
		fmt.Fprint(w, "ok ", r.URL.Path)
	}))
	defer srv.Close()
	p, err := newConns(srv.URL, 300*time.Millisecond)
	require.NoError(t, err)
	c := newContestant(0, "u", p)
	ctx := context.Background()

	r := c.do(ctx, http.MethodGet, "/one", nil)
	require.NoError(t, r.err)
	srv.CloseClientConnections()
	time.Sleep(50 * time.Millisecond)
	r = c.do(ctx, http.MethodGet, "/two", nil)
	require.NoError(t, r.err)
	assert.Equal(t, "ok /two", string(r.body))
	assert.EqualValues(t, 2, hits.Load())

	r = c.do(ctx, http.MethodGet, "/slow", nil)
	assert.Zero(t, r.status)
	assert.ErrorIs(t, r.err, os.ErrDeadlineExceeded)
	time.Sleep(800 * time.Millisecond)
	assert.EqualValues(t, 3, hits.Load(), "a request that timed out is not sent again")
}

package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena/demo"
	"skillarena/org"
)

func sessionCookie(r response) string {
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "skillarena_session=") {
			return strings.SplitN(strings.TrimPrefix(c, "skillarena_session="), ";", 2)[0]
		}
	}
	return ""
}

func TestLogin_ReturnsTheUserWithGrants(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.client()
		r := c.post("/api/v1/auth/login", map[string]string{"username": "county1", "password": demo.Password})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		u := r.json(t)["user"].(map[string]any)
		assert.Equal(t, "county1", u["username"])
		grants := u["grants"].([]any)
		require.Len(t, grants, 1)
		assert.Equal(t, "organiser", grants[0].(map[string]any)["role"])
		assert.EqualValues(t, e.unit("C1").ID, grants[0].(map[string]any)["org_unit_id"])
		cookie := r.header.Get("Set-Cookie")
		assert.Contains(t, cookie, "HttpOnly")
		assert.Contains(t, cookie, "SameSite=Lax")

		me := c.get("/api/v1/me").json(t)
		assert.Equal(t, "county1", me["username"])
	})
}

func TestLogin_WrongPasswordAndUnknownUserAnswerAlike(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.client()
		a := c.post("/api/v1/auth/login", map[string]string{"username": "county1", "password": "wrongpass1"})
		b := c.post("/api/v1/auth/login", map[string]string{"username": "nosuchuser", "password": "wrongpass1"})
		assert.Equal(t, http.StatusUnauthorized, a.status)
		assert.Equal(t, a.status, b.status)
		assert.Equal(t, string(a.body), string(b.body))
		assert.Contains(t, string(a.body), "用户名或密码错误", "zh-CN by default")
		c.lang = "en-GB,en;q=0.9"
		en := c.post("/api/v1/auth/login", map[string]string{"username": "nosuchuser", "password": "x"})
		assert.Contains(t, string(en.body), "Wrong username or password")
	})
}

// The session token changes at sign-in, so a token planted in a browser
// before sign-in (session fixation) never becomes a signed-in session.
func TestSession_RenewedAtLogin(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.client()
		first := c.post("/api/v1/auth/login", map[string]string{"username": "eng001", "password": demo.Password})
		require.Equal(t, http.StatusOK, first.status)
		t1 := sessionCookie(first)
		require.NotEmpty(t, t1)
		second := c.post("/api/v1/auth/login", map[string]string{"username": "eng001", "password": demo.Password})
		t2 := sessionCookie(second)
		require.NotEmpty(t, t2)
		assert.NotEqual(t, t1, t2)
		// The old token is dead.
		stale := e.client()
		stale.hdr.Set("Cookie", "skillarena_session="+t1)
		assert.Equal(t, http.StatusUnauthorized, stale.get("/api/v1/me").status)
	})
}

func TestSession_LogoutRevokes(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.client()
		r := c.post("/api/v1/auth/login", map[string]string{"username": "eng001", "password": demo.Password})
		token := sessionCookie(r)
		require.Equal(t, http.StatusNoContent, c.post("/api/v1/auth/logout", nil).status)
		copy := e.client()
		copy.hdr.Set("Cookie", "skillarena_session="+token)
		assert.Equal(t, http.StatusUnauthorized, copy.get("/api/v1/me").status, "a copied cookie dies with the session")
	})
}

func TestSession_IdleTimeoutEndsSession(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.login("eng001")
		e.clock.Advance(e.cfg.Session.IdleTimeout - time.Minute)
		require.Equal(t, http.StatusOK, c.get("/api/v1/me").status, "still in time")
		e.clock.Advance(e.cfg.Session.IdleTimeout + time.Minute)
		assert.Equal(t, http.StatusUnauthorized, c.get("/api/v1/me").status)
	})
}

// A session in use is kept alive by its requests, but writes its last_seen
// at most every 24th of the idle timeout, not on every request: a contestant
// saving every few seconds costs no session write between.
func TestSession_LastSeenIsWrittenAtMostEveryTwentyFourthOfTheIdleTimeout(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.login("eng001")
		step := lastSeenStep(e.cfg.Session.IdleTimeout)
		require.Equal(t, 5*time.Minute, step, "the default 2 h idle timeout")
		before := e.srv.store.writes.Load()
		for elapsed := time.Duration(0); elapsed < 2*e.cfg.Session.IdleTimeout; elapsed += 30 * time.Second {
			e.clock.Advance(30 * time.Second)
			require.Equal(t, http.StatusOK, c.get("/api/v1/me").status, "used every 30 s, at %s", elapsed)
		}
		writes := e.srv.store.writes.Load() - before
		assert.LessOrEqual(t, writes, uint64(2*e.cfg.Session.IdleTimeout/step), "480 requests")
		assert.GreaterOrEqual(t, writes, uint64(2*e.cfg.Session.IdleTimeout/(step+30*time.Second)))
	})
}

func TestSession_AbsoluteTimeoutEndsEvenABusySession(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.login("eng001")
		step := e.cfg.Session.IdleTimeout / 2
		for elapsed := step; elapsed < e.cfg.Session.Lifetime; elapsed += step {
			e.clock.Advance(step)
			require.Equal(t, http.StatusOK, c.get("/api/v1/me").status, "used every half hour, at %s", elapsed)
		}
		e.clock.Advance(step)
		r := c.get("/api/v1/me")
		assert.Equal(t, http.StatusUnauthorized, r.status)
	}, func(cfg *Config) { cfg.Session.IdleTimeout, cfg.Session.Lifetime = time.Hour, 4*time.Hour })
}

func TestSession_DisablingAUserEndsTheirSessions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		eng := e.login("eng003")
		admin := e.login("county1")
		r := admin.patch(fmt.Sprintf("/api/v1/users/%d", e.userID("eng003")), map[string]any{"active": false})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, http.StatusUnauthorized, eng.get("/api/v1/me").status)
		again := e.client().post("/api/v1/auth/login", map[string]string{"username": "eng003", "password": demo.Password})
		assert.Equal(t, http.StatusUnauthorized, again.status)
		assert.Contains(t, string(again.body), "停用")
	})
}

// A server keeps copies of the sessions and users in use, refreshed in bulk
// (RunSessionRefresh): a sign-out, a disabled account or a new password on
// another server ends the session here at the next refresh.
func TestSession_ASignOutOrDisabledAccountOnAnotherServerEndsTheSessionHereAtTheNextRefresh(t *testing.T) {
	eachEnv(t, func(t *testing.T, a *testEnv) {
		b := a.another()
		ctx := context.Background()
		onB := func(username string) (*client, *client) {
			onA := a.client()
			r := onA.post("/api/v1/auth/login", map[string]string{"username": username, "password": demo.Password})
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			c := b.client()
			c.hdr.Set("Cookie", "skillarena_session="+sessionCookie(r))
			require.Equal(t, http.StatusOK, c.get("/api/v1/me").status, "server b serves a session signed in on a")
			return onA, c
		}
		signedOut, signedOutOnB := onB("eng001")
		_, disabledOnB := onB("eng002")
		_, resetOnB := onB("eng003")
		_, untouchedOnB := onB("eng004")

		require.Equal(t, http.StatusNoContent, signedOut.post("/api/v1/auth/logout", nil).status)
		admin := a.login("county1")
		r := admin.patch(fmt.Sprintf("/api/v1/users/%d", a.userID("eng002")), map[string]any{"active": false})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		require.NoError(t, a.org.ResetPassword(ctx, org.Everything, a.userID("eng003"), "Another123"))
		for _, c := range []*client{signedOutOnB, disabledOnB, resetOnB} {
			require.Equal(t, http.StatusOK, c.get("/api/v1/me").status, "until its refresh, b answers from its copies")
		}

		require.NoError(t, b.srv.refreshSessions(ctx))
		assert.Equal(t, http.StatusUnauthorized, signedOutOnB.get("/api/v1/me").status, "signed out on a")
		assert.Equal(t, http.StatusUnauthorized, disabledOnB.get("/api/v1/me").status, "disabled on a")
		assert.Equal(t, http.StatusUnauthorized, resetOnB.get("/api/v1/me").status, "new password set on a")
		assert.Equal(t, http.StatusOK, untouchedOnB.get("/api/v1/me").status, "the other sessions go on")
	})
}

func TestChangePassword_KeepsThisSessionEndsOthers(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		laptop := e.login("eng004")
		phone := e.login("eng004")
		bad := laptop.post("/api/v1/me/password", map[string]string{"old_password": "wrong", "new_password": "Better123"})
		require.Equal(t, http.StatusUnprocessableEntity, bad.status)
		assert.Contains(t, bad.json(t)["error"].(map[string]any)["fields"], "old_password")
		r := laptop.post("/api/v1/me/password", map[string]string{"old_password": demo.Password, "new_password": "Better123"})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		assert.Equal(t, http.StatusOK, laptop.get("/api/v1/me").status)
		assert.Equal(t, http.StatusUnauthorized, phone.get("/api/v1/me").status)
		ok := e.client().post("/api/v1/auth/login", map[string]string{"username": "eng004", "password": "Better123"})
		assert.Equal(t, http.StatusOK, ok.status)
	})
}

// Sign-in is throttled per account with 429 and Retry-After; the account is
// never locked for good.
func TestLogin_ThrottledWith429AndRetryAfter(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.client()
		for i := 0; i < 5; i++ {
			r := c.post("/api/v1/auth/login", map[string]string{"username": "eng005", "password": "wrong"})
			require.Equal(t, http.StatusUnauthorized, r.status)
		}
		r := c.post("/api/v1/auth/login", map[string]string{"username": "eng005", "password": demo.Password})
		require.Equal(t, http.StatusTooManyRequests, r.status)
		assert.Equal(t, "30", r.header.Get("Retry-After"))
		assert.Equal(t, "too_many_requests", r.errorCode(t))
		assert.Contains(t, string(r.body), "30")
		e.clock.Advance(31 * time.Second)
		assert.Equal(t, http.StatusOK, c.post("/api/v1/auth/login", map[string]string{"username": "eng005", "password": demo.Password}).status)
	})
}

// Bursts of sign-in requests from one address are cut before password work.
func TestLogin_BurstFromOneAddressIsRateLimited(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.client()
		codes := map[int]int{}
		for i := 0; i < 6; i++ {
			codes[c.post("/api/v1/auth/login", map[string]string{"username": fmt.Sprintf("x%d", i), "password": "y"}).status]++
		}
		assert.Equal(t, 3, codes[http.StatusUnauthorized])
		assert.Equal(t, 3, codes[http.StatusTooManyRequests])
	}, func(cfg *Config) { cfg.LoginRate, cfg.LoginBurst = 0.001, 3 })
}

// A browser's cross-site state-changing request is refused; same-origin
// requests and scripts without Origin headers work.
func TestCrossSiteRequestsAreRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.login("county1")
		body := map[string]any{"parent_id": e.unit("C1").ID, "name": "Evil", "code": "EVIL"}
		c.hdr.Set("Origin", "https://evil.example")
		c.hdr.Set("Sec-Fetch-Site", "cross-site")
		r := c.post("/api/v1/org-units", body)
		assert.Equal(t, http.StatusForbidden, r.status)
		assert.Equal(t, "forbidden", r.errorCode(t))
		units, err := e.org.ListUnits(t.Context(), scopeOfCodes(e, "C1"))
		require.NoError(t, err)
		assert.Len(t, units, 1, "nothing was created")

		c.hdr.Set("Origin", e.ts.URL)
		c.hdr.Set("Sec-Fetch-Site", "same-origin")
		assert.Equal(t, http.StatusCreated, c.post("/api/v1/org-units", body).status)
		// Reading cross-site is harmless and allowed.
		c.hdr.Set("Sec-Fetch-Site", "cross-site")
		assert.Equal(t, http.StatusOK, c.get("/api/v1/me").status)
	})
}

func TestBadInput_ClearErrors(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.login("county1")
		r := c.post("/api/v1/org-units", `{"name": "x",`)
		assert.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Equal(t, "invalid", r.errorCode(t))

		r = c.post("/api/v1/org-units", map[string]any{"parent_id": e.unit("C1").ID, "name": "x", "code": "X1", "admin": true})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Contains(t, string(r.body), "admin")

		r = c.post("/api/v1/users", map[string]any{"username": "ab", "name": "", "org_unit_id": e.unit("C1").ID, "password": "x"})
		require.Equal(t, http.StatusUnprocessableEntity, r.status)
		fields := r.json(t)["error"].(map[string]any)["fields"].(map[string]any)
		assert.Contains(t, fields, "name")

		big := `{"name":"` + strings.Repeat("x", 2<<20) + `"}`
		r = c.patch(fmt.Sprintf("/api/v1/org-units/%d", e.unit("C1").ID), big)
		assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
		assert.Equal(t, "payload_too_large", r.errorCode(t))

		r = c.get("/api/v1/users/abc")
		assert.Equal(t, http.StatusNotFound, r.status)
		r = c.get("/api/v1/nothing-here")
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.Equal(t, "not_found", r.errorCode(t))
	})
}

func TestOps_HealthReadyMetrics(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.client()
		r := c.get("/healthz")
		assert.Equal(t, http.StatusOK, r.status)
		assert.Equal(t, "ok", r.json(t)["status"])
		assert.Equal(t, http.StatusOK, c.get("/readyz").status)
		assert.NotEmpty(t, r.header.Get("X-Request-ID"))
	})
}

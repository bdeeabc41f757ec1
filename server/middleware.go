package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"skillarena"
	"skillarena/org"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
)

// Keys of values handlers find in the Gin context.
const (
	keyUser   = "skillarena.user"
	keyIP     = "skillarena.ip"
	keyScope  = "skillarena.scope"
	keyGrants = "skillarena.grants"
)

// Session keys.
const (
	sessUserID  = "user_id"
	sessEpoch   = "epoch"
	sessLoginAt = "login_at"
	// sessLastSeen is refreshed at most every lastSeenStep, so an ordinary
	// request does not also write its session.
	sessLastSeen = "last_seen"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// RequestIDFrom returns the request id carried by ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// LogHandler adds the request id of the context to every log record.
type LogHandler struct{ slog.Handler }

// Handle adds request_id and passes the record on.
func (h LogHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestIDFrom(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the wrapper around derived handlers.
func (h LogHandler) WithAttrs(a []slog.Attr) slog.Handler { return LogHandler{h.Handler.WithAttrs(a)} }

// WithGroup keeps the wrapper around derived handlers.
func (h LogHandler) WithGroup(n string) slog.Handler { return LogHandler{h.Handler.WithGroup(n)} }

// requestContext gives each request an id (the caller's X-Request-ID when it
// looks sane), logs it when done, and counts it in the metrics.
func (s *Server) requestContext(c *gin.Context) {
	start := time.Now()
	id := c.GetHeader("X-Request-ID")
	if !requestIDPattern.MatchString(id) {
		var b [12]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Header("X-Request-ID", id)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), requestIDKey, id))
	c.Set(keyIP, c.ClientIP())
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	d := time.Since(start)
	s.metrics.observe(route, c.Request.Method, status, d)
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	if route == "/healthz" || route == "/readyz" || route == "/metrics" {
		level = slog.LevelDebug
	}
	if !s.log.Enabled(c.Request.Context(), level) {
		return
	}
	attrs := []slog.Attr{slog.String("method", c.Request.Method), slog.String("route", route),
		slog.String("path", c.Request.URL.Path), slog.Int("status", status),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000), slog.String("ip", clientIP(c))}
	if u, ok := c.Get(keyUser); ok {
		attrs = append(attrs, slog.Int64("user_id", u.(org.User).ID))
	}
	s.log.LogAttrs(c.Request.Context(), level, "request", attrs...)
}

// clientIP is the caller's address (behind trusted proxies, the one they
// name), worked out once per request by requestContext.
func clientIP(c *gin.Context) string {
	if ip := c.GetString(keyIP); ip != "" {
		return ip
	}
	return c.ClientIP()
}

// recovery turns a panic into a logged internal error.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.renderError(c, fmt.Errorf("panic: %v", r))
		}
	}()
	c.Next()
}

// limitBody bounds the request body: uploads to MaxUploadBytes, anything else
// to MaxBodyBytes.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		limit := s.cfg.MaxBodyBytes
		if slices.Contains(uploadRoutes, c.FullPath()) {
			limit = s.cfg.MaxUploadBytes
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}

// authorize is the one gate every route passes. The policy file says which
// roles may call the route; "anyone" needs no sign-in, "signed_in" any valid
// session; otherwise the caller's grants must allow the route in at least one
// unit, and the units where they do become the request's scope.
func (s *Server) authorize(c *gin.Context) {
	route, method := c.FullPath(), c.Request.Method
	if route == "" {
		// No route matched: the browser app or a 404, neither of which
		// reveals anything.
		c.Next()
		return
	}
	roles := s.authz.routeRoles(route, method)
	if len(roles) == 0 {
		s.renderError(c, skillarena.NewError(skillarena.EFORBIDDEN, "error.forbidden", nil))
		return
	}
	if slices.Contains(roles, roleAnyone) {
		c.Request = c.Request.WithContext(skillarena.WithActor(c.Request.Context(), skillarena.Actor{IP: clientIP(c)}))
		c.Next()
		return
	}
	u, err := s.currentUser(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Set(keyUser, u)
	c.Request = c.Request.WithContext(skillarena.WithActor(c.Request.Context(),
		skillarena.Actor{UserID: u.ID, Username: u.Username, IP: clientIP(c)}))
	if slices.Contains(roles, roleSignedIn) {
		c.Next()
		return
	}
	ctx := c.Request.Context()
	if err := s.authz.Refresh(ctx); err != nil {
		s.renderError(c, err)
		return
	}
	grants, err := s.org.UserGrants(ctx, u.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	scope := s.authz.Scope(u.ID, grants, route, method)
	if scope.Empty() {
		s.renderError(c, skillarena.NewError(skillarena.EFORBIDDEN, "error.forbidden", nil))
		return
	}
	c.Set(keyGrants, grants)
	c.Set(keyScope, scope)
	c.Next()
}

// currentUser returns the signed-in user of the request's session. A session
// whose user is gone or disabled, whose password changed since (epoch), that
// was idle too long or outlived its absolute lifetime is destroyed and answers
// 401. The timeouts are measured on the server's clock.
func (s *Server) currentUser(c *gin.Context) (org.User, error) {
	ctx := c.Request.Context()
	id := s.sessions.GetInt64(ctx, sessUserID)
	if id == 0 {
		return org.User{}, skillarena.NewError(skillarena.EUNAUTHORIZED, "auth.required", nil)
	}
	now := s.clock.Now()
	lastSeen := time.Unix(s.sessions.GetInt64(ctx, sessLastSeen), 0)
	loginAt := time.Unix(s.sessions.GetInt64(ctx, sessLoginAt), 0)
	u, err := s.org.SessionUser(ctx, id)
	expired := false
	switch {
	case skillarena.ErrorCode(err) == skillarena.ENOTFOUND:
		expired = true
	case err != nil:
		return org.User{}, err
	case !u.Active, u.SessionEpoch != s.sessions.GetInt64(ctx, sessEpoch):
		expired = true
	case now.Sub(lastSeen) > s.cfg.Session.IdleTimeout, now.Sub(loginAt) > s.cfg.Session.Lifetime:
		expired = true
	}
	if expired {
		if err := s.sessions.Destroy(ctx); err != nil {
			return org.User{}, err
		}
		return org.User{}, skillarena.NewError(skillarena.EUNAUTHORIZED, "auth.session_expired", nil)
	}
	if now.Sub(lastSeen) > lastSeenStep(s.cfg.Session.IdleTimeout) {
		s.sessions.Put(ctx, sessLastSeen, now.Unix())
	}
	return u, nil
}

// lastSeenStep is how stale a session's last_seen may grow before a request
// writes it again: a 24th of the idle timeout (5 minutes of the default 2
// hours), at most 5 minutes. A session thus ends after between 23/24 of the
// idle timeout and all of it without a request. Each refresh is a write of
// the session row; 10,000 contestants in an exam cost 33 of them a second,
// against 167 when it was refreshed every minute.
func lastSeenStep(idle time.Duration) time.Duration {
	return min(idle/24, 5*time.Minute)
}

// user returns the signed-in user set by authorize.
func user(c *gin.Context) org.User {
	u, _ := c.Get(keyUser)
	return u.(org.User)
}

// scope returns the request's scope set by authorize.
func scope(c *gin.Context) org.Scope {
	s, _ := c.Get(keyScope)
	return s.(org.Scope)
}

// scopeFor returns the caller's scope for another route: what a page shows as
// editable depends on the route that would change it, not the one reading it.
func (s *Server) scopeFor(c *gin.Context, route, method string) org.Scope {
	u, ok := c.Get(keyUser)
	if !ok {
		return org.Scope{}
	}
	g, ok := c.Get(keyGrants)
	if !ok {
		// A route open to every signed-in user did not load the grants.
		grants, err := s.org.UserGrants(c.Request.Context(), u.(org.User).ID)
		if err != nil {
			return org.Scope{}
		}
		c.Set(keyGrants, grants)
		g = grants
	}
	return s.authz.Scope(u.(org.User).ID, g.([]org.GrantDetail), route, method)
}

// ipLimiter is a token bucket per client address, in memory: it only blunts
// floods before any password work; the durable throttle is in the database.
type ipLimiter struct {
	mu      sync.Mutex
	r       rate.Limit
	burst   int
	buckets map[string]*rate.Limiter
	swept   time.Time
}

func newIPLimiter(r float64, burst int) *ipLimiter {
	return &ipLimiter{r: rate.Limit(r), burst: burst, buckets: map[string]*rate.Limiter{}}
}

// allow reports whether ip may make a request now, and if not, how long to wait.
func (l *ipLimiter) allow(ip string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[ip]
	if !ok {
		b = rate.NewLimiter(l.r, l.burst)
		l.buckets[ip] = b
	}
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// rateLimitLogin refuses sign-in floods from one address with 429.
func (s *Server) rateLimitLogin(c *gin.Context) error {
	if ok, wait := s.limiter.allow(clientIP(c)); !ok {
		secs := int(wait/time.Second) + 1
		return &skillarena.Error{Code: skillarena.ETOOMANY, Message: "auth.throttled", Args: map[string]any{"Seconds": secs}, RetryAfter: secs}
	}
	return nil
}

// pathID reads the integer path parameter name; a malformed id is not found.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, skillarena.NewError(skillarena.ENOTFOUND, "error.not_found", nil)
	}
	return id, nil
}

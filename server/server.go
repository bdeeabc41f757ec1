// Package server is SkillArena's HTTP transport: the Gin routes and handlers,
// sessions, cross-origin protection, authorisation, rate limits, metrics and
// the embedded browser app. Handlers call the domain services and never touch
// the database directly.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"skillarena"
	"skillarena/content"
	"skillarena/exam"
	"skillarena/org"
	"skillarena/scoring"
)

// Config is what the server needs from the process configuration.
type Config struct {
	Session SessionConfig
	// TrustedProxies are the addresses whose X-Forwarded-For is believed;
	// empty means the client address is the TCP peer.
	TrustedProxies []string
	// TrustedOrigins may make cross-origin state-changing requests (for
	// example a Vite dev server); normally empty.
	TrustedOrigins []string
	// MaxBodyBytes bounds JSON request bodies; uploads have their own limit.
	MaxBodyBytes int64
	// MaxUploadBytes bounds multipart uploads.
	MaxUploadBytes int64
	// LoginRate and LoginBurst bound sign-in requests per address per second,
	// before any password work.
	LoginRate  float64
	LoginBurst int
}

// DefaultConfig returns the production defaults.
func DefaultConfig() Config {
	return Config{
		Session:        SessionConfig{IdleTimeout: 2 * time.Hour, Lifetime: 12 * time.Hour},
		MaxBodyBytes:   1 << 20,
		MaxUploadBytes: 20 << 20,
		LoginRate:      10,
		LoginBurst:     100,
	}
}

// Server holds the wired services and the HTTP handler.
type Server struct {
	cfg      Config
	clock    skillarena.Clock
	log      *slog.Logger
	org      *org.Service
	content  *content.Service
	exam     *exam.Service
	scoring  *scoring.Service
	authz    *Authorizer
	sessions *scs.SessionManager
	store    *sessionStore
	tr       *translator
	metrics  *metrics
	registry *prometheus.Registry
	limiter  *ipLimiter
	frontend fs.FS
	ready    func(ctx context.Context) error
	monitors sharedReads[int64, exam.Monitor]
	// liveBoards shares the live board's readings among its viewers.
	liveBoards sharedReads[int64, scoring.LiveBoard]
	// resultsCache keeps the public results rendered per published version.
	resultsCache resultsCache
	// stopStreams is closed at shutdown to end live streams, which would
	// otherwise hold a graceful shutdown until its timeout.
	stopStreams chan struct{}
	stopOnce    sync.Once
	engine      *gin.Engine
	handler     http.Handler
}

// Deps are the services the server fronts.
type Deps struct {
	Org     *org.Service
	Content *content.Service
	Exam    *exam.Service
	Scoring *scoring.Service
	// Frontend is the built browser app (frontend.Dist()).
	Frontend fs.FS
	// Ready reports whether the database answers, for /readyz.
	Ready func(ctx context.Context) error
	// Registry receives the server's metrics; nil makes a private one.
	Registry *prometheus.Registry
}

// New wires the server.
func New(cfg Config, clock skillarena.Clock, log *slog.Logger, deps Deps) (*Server, error) {
	tr, err := newTranslator()
	if err != nil {
		return nil, err
	}
	authz, err := NewAuthorizer(deps.Org)
	if err != nil {
		return nil, err
	}
	reg := deps.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	sm, store := newSessionManager(deps.Org.DB(), clock, cfg.Session)
	s := &Server{
		cfg: cfg, clock: clock, log: log, org: deps.Org, content: deps.Content, exam: deps.Exam, scoring: deps.Scoring, authz: authz,
		sessions: sm, store: store, tr: tr, metrics: newMetrics(reg), registry: reg,
		limiter: newIPLimiter(cfg.LoginRate, cfg.LoginBurst), frontend: deps.Frontend, ready: deps.Ready,
		stopStreams: make(chan struct{}),
	}
	// The session layer fails before any handler when the database is down:
	// it answers like a handler would (503 and Retry-After, or 500).
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		status, body, retryAfter := s.errorResponse(r, err)
		if retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}
	if err := s.routes(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the server's root handler: cross-origin protection around
// the session layer around Gin.
func (s *Server) Handler() http.Handler { return s.handler }

// StopStreams ends every live stream (server-sent events), for a graceful
// shutdown: register it with http.Server.RegisterOnShutdown.
func (s *Server) StopStreams() { s.stopOnce.Do(func() { close(s.stopStreams) }) }

// Engine returns the Gin engine, for tests that walk the routes.
func (s *Server) Engine() *gin.Engine { return s.engine }

// RunSessionRefresh re-reads, every interval until ctx ends, the sessions and
// users this server keeps copies of, so that a sign-out, a disabled account or
// a new password on another server ends a session here within interval; see
// skillarena.Copies.
func (s *Server) RunSessionRefresh(ctx context.Context, interval time.Duration) {
	s.every(ctx, interval, slog.LevelWarn, "refresh session copies", s.refreshSessions)
}

func (s *Server) refreshSessions(ctx context.Context) error {
	return errors.Join(s.store.refresh(ctx), s.org.RefreshSessionUsers(ctx))
}

// RunJanitor deletes expired sessions every interval until ctx ends.
func (s *Server) RunJanitor(ctx context.Context, interval time.Duration) {
	s.every(ctx, interval, slog.LevelError, "delete expired sessions", s.store.deleteExpired)
}

// every runs job every interval until ctx ends, logging its failures at level.
func (s *Server) every(ctx context.Context, interval time.Duration, level slog.Level, what string, job func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := job(ctx); err != nil && ctx.Err() == nil {
				s.log.Log(ctx, level, what, slog.String("error", err.Error()))
			}
		}
	}
}

package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillarena"
	"skillarena/org"
)

// sessionRow is a server-side session: the cookie holds only its token.
type sessionRow struct {
	Token  string `gorm:"primaryKey"`
	Data   []byte
	Expiry time.Time
}

func (sessionRow) TableName() string { return "sessions" }

// sessionStore keeps scs sessions in the database, so every server sees every
// session and a session survives a restart.
type sessionStore struct {
	db    *gorm.DB
	clock skillarena.Clock
	// recent keeps sessions read in the last sessionTTL, so a burst of one
	// browser's requests (autosaves) reads its session once. A change on
	// this server replaces or drops the copy at once; a sign-out on another
	// server takes effect here within sessionTTL.
	mu     sync.Mutex
	recent map[string]cachedSession
	swept  time.Time
	// writes counts sessions written or deleted on this server.
	writes atomic.Uint64
}

// sessionTTL bounds how old a cached session may be; it is
// org.SessionUserTTL, for the same reasons.
const sessionTTL = org.SessionUserTTL

type cachedSession struct {
	data   []byte
	expiry time.Time
	at     time.Time
}

func (s *sessionStore) cached(token string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.recent[token]
	if !ok || time.Since(e.at) >= sessionTTL || !e.expiry.After(s.clock.Now()) {
		return nil, false
	}
	return e.data, true
}

func (s *sessionStore) remember(token string, data []byte, expiry time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if s.recent == nil {
		s.recent = map[string]cachedSession{}
	}
	if now.Sub(s.swept) > 10*time.Second {
		for t, e := range s.recent {
			if now.Sub(e.at) >= sessionTTL {
				delete(s.recent, t)
			}
		}
		s.swept = now
	}
	s.recent[token] = cachedSession{data: data, expiry: expiry, at: now}
}

func (s *sessionStore) forget(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.recent, token)
}

// FindCtx returns a session's data if it exists and has not expired.
func (s *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	if b, ok := s.cached(token); ok {
		return b, true, nil
	}
	writes := s.writes.Load()
	var row sessionRow
	err := s.db.WithContext(ctx).Where("token = ? AND expiry > ?", token, s.clock.Now()).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	// A session written on this server while the row was read may be newer
	// than the row: then the row is not kept.
	if s.writes.Load() == writes {
		s.remember(token, row.Data, row.Expiry)
	}
	return row.Data, true, nil
}

// CommitCtx inserts or replaces a session.
// The session written is kept as the copy (the request after sign-in reads
// no row).
func (s *sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	s.writes.Add(1)
	s.forget(token)
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token"}},
		DoUpdates: clause.AssignmentColumns([]string{"data", "expiry"}),
	}).Create(&sessionRow{Token: token, Data: b, Expiry: expiry.UTC()}).Error
	if err == nil {
		s.remember(token, b, expiry)
	}
	return err
}

// DeleteCtx removes a session.
func (s *sessionStore) DeleteCtx(ctx context.Context, token string) error {
	s.writes.Add(1)
	s.forget(token)
	return s.db.WithContext(ctx).Where("token = ?", token).Delete(&sessionRow{}).Error
}

// AllCtx is required by scs's IterableCtxStore; it lists live sessions.
func (s *sessionStore) AllCtx(ctx context.Context) (map[string][]byte, error) {
	var rows []sessionRow
	if err := s.db.WithContext(ctx).Where("expiry > ?", s.clock.Now()).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(rows))
	for _, r := range rows {
		out[r.Token] = r.Data
	}
	return out, nil
}

// The non-context methods satisfy scs.Store; scs calls the Ctx ones.
func (s *sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}
func (s *sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}
func (s *sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// deleteExpired removes sessions past their expiry.
func (s *sessionStore) deleteExpired(ctx context.Context) error {
	return s.db.WithContext(ctx).Where("expiry <= ?", s.clock.Now()).Delete(&sessionRow{}).Error
}

// SessionConfig sets the session timeouts and cookie.
type SessionConfig struct {
	// IdleTimeout ends a session nobody used for this long.
	IdleTimeout time.Duration
	// Lifetime ends a session this long after sign-in, used or not.
	Lifetime time.Duration
	// Secure marks the cookie Secure (behind TLS).
	Secure bool
}

// sessionCodec stores a session's values, all int64 (user id, sign-in time,
// last seen, epoch), as a small JSON object: decoding it costs a fraction of
// scs's gob, which compiles its type description anew for each session
// read, and a session read again unchanged (each autosave) is decoded once.
// Sessions written by gob before are still read.
type sessionCodec struct {
	mu      sync.Mutex
	decoded map[string]sessionJSON
}

type sessionJSON struct {
	Deadline time.Time        `json:"d"`
	Values   map[string]int64 `json:"v"`
}

// sessionDecodedMax bounds the decoded copies; past it, they start again.
const sessionDecodedMax = 100_000

func (*sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	out := sessionJSON{Deadline: deadline, Values: make(map[string]int64, len(values))}
	for k, v := range values {
		n, ok := v.(int64)
		if !ok {
			return nil, fmt.Errorf("session value %q is %T: only int64 values are stored", k, v)
		}
		out.Values[k] = n
	}
	return json.Marshal(out)
}

func (c *sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != '{' {
		return scs.GobCodec{}.Decode(b)
	}
	c.mu.Lock()
	in, ok := c.decoded[string(b)]
	c.mu.Unlock()
	if !ok {
		if err := json.Unmarshal(b, &in); err != nil {
			return time.Time{}, nil, err
		}
		c.mu.Lock()
		if c.decoded == nil || len(c.decoded) >= sessionDecodedMax {
			c.decoded = map[string]sessionJSON{}
		}
		c.decoded[string(b)] = in
		c.mu.Unlock()
	}
	// scs changes the map it is given: each request gets its own.
	values := make(map[string]any, len(in.Values))
	for k, v := range in.Values {
		values[k] = v
	}
	return in.Deadline, values, nil
}

func newSessionManager(db *gorm.DB, clock skillarena.Clock, cfg SessionConfig) (*scs.SessionManager, *sessionStore) {
	store := &sessionStore{db: db, clock: clock}
	m := scs.New()
	m.Store = store
	m.Codec = &sessionCodec{}
	// The idle and absolute timeouts are enforced on the server's clock by
	// currentUser; scs's own expiry (on the wall clock) only bounds how long
	// a row stays in the table and the cookie in the browser.
	m.Lifetime = cfg.Lifetime
	m.Cookie.Name = "skillarena_session"
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = cfg.Secure
	m.Cookie.Path = "/"
	return m, store
}

// Models lists the GORM models of the package, for the schema test.
func Models() []any { return []any{&sessionRow{}} }

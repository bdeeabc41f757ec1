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
	// copies keeps the sessions in use, so a burst of one browser's requests
	// (autosaves) reads no session; refresh re-reads them in bulk. A change
	// on this server replaces or drops the copy at once; a sign-out on
	// another server takes effect here at the next refresh, within
	// sessionTTL at most.
	copies skillarena.Copies[string, cachedSession]
	// writes counts sessions written or deleted on this server.
	writes atomic.Uint64
}

// sessionTTL bounds how old a copy of a session may be; it is
// org.SessionUserTTL, for the same reasons.
const sessionTTL = org.SessionUserTTL

type cachedSession struct {
	data   []byte
	expiry time.Time
}

// FindCtx returns a session's data if it exists and has not expired.
func (s *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	now := s.clock.Now()
	if e, ok := s.copies.Get(token); ok && e.expiry.After(now) {
		return e.data, true, nil
	}
	stamp := s.copies.Stamp()
	var row sessionRow
	err := s.db.WithContext(ctx).Where("token = ? AND expiry > ?", token, now).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	s.copies.Keep(token, cachedSession{data: row.Data, expiry: row.Expiry}, stamp)
	return row.Data, true, nil
}

// CommitCtx inserts or replaces a session.
// The session written is kept as the copy (the request after sign-in reads
// no row).
func (s *sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	s.writes.Add(1)
	s.copies.Forget(token)
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token"}},
		DoUpdates: clause.AssignmentColumns([]string{"data", "expiry"}),
	}).Create(&sessionRow{Token: token, Data: b, Expiry: expiry.UTC()}).Error
	if err == nil {
		s.copies.Put(token, cachedSession{data: b, expiry: expiry})
	}
	return err
}

// DeleteCtx removes a session.
func (s *sessionStore) DeleteCtx(ctx context.Context, token string) error {
	s.writes.Add(1)
	s.copies.Forget(token)
	err := s.db.WithContext(ctx).Where("token = ?", token).Delete(&sessionRow{}).Error
	// Again once deleted: a request may have copied the row meanwhile.
	s.copies.Forget(token)
	return err
}

// refresh re-reads the sessions in use and drops those gone (signed out on
// another server) or expired.
func (s *sessionStore) refresh(ctx context.Context) error {
	return s.copies.Refresh(ctx, func(ctx context.Context, tokens []string) (map[string]cachedSession, error) {
		var rows []sessionRow
		if err := s.db.WithContext(ctx).Where("token IN ? AND expiry > ?", tokens, s.clock.Now()).Find(&rows).Error; err != nil {
			return nil, err
		}
		out := make(map[string]cachedSession, len(rows))
		for _, r := range rows {
			out[r.Token] = cachedSession{data: r.Data, expiry: r.Expiry}
		}
		return out, nil
	})
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
	store.copies.MaxAge = sessionTTL
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

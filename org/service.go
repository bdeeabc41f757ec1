package org

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"skillarena"
)

// Service is the organisation domain: units, users, grants, sign-in and the
// audit trail. It owns its transactions and writes each change's audit entry
// in the same transaction.
type Service struct {
	db     *gorm.DB
	clock  skillarena.Clock
	audit  *Audit
	hasher *Hasher
	// Throttle settings for sign-in.
	throttle ThrottlePolicy
	// sessionUsers caches the users behind sessions for a moment (see
	// SessionUser).
	sessionUsers skillarena.Copies[int64, User]
}

// Options configure a Service.
type Options struct {
	Hasher   *Hasher
	Throttle ThrottlePolicy
}

// NewService returns the organisation service on db.
func NewService(db *gorm.DB, clock skillarena.Clock, opt Options) *Service {
	if opt.Hasher == nil {
		opt.Hasher = NewHasher(DefaultArgon2)
	}
	if opt.Throttle == (ThrottlePolicy{}) {
		opt.Throttle = DefaultThrottle
	}
	s := &Service{db: db, clock: clock, audit: NewAudit(clock), hasher: opt.Hasher, throttle: opt.Throttle}
	s.sessionUsers.MaxAge = SessionUserTTL
	return s
}

// Audit returns the audit trail writer, for other domains' services to append
// their changes inside their own transactions.
func (s *Service) Audit() *Audit { return s.audit }

// DB returns the database handle the service was made with, for the other
// domain services that share it.
func (s *Service) DB() *gorm.DB { return s.db }

// Page selects a page of a list; zero values mean the first page of 50.
type Page struct {
	Number int
	Size   int
}

// MaxPageSize bounds every list request.
const MaxPageSize = 500

func (p Page) apply(q *gorm.DB) *gorm.DB {
	n, size := p.Number, p.Size
	if n < 1 {
		n = 1
	}
	if size < 1 {
		size = 50
	}
	if size > MaxPageSize {
		size = MaxPageSize
	}
	return q.Offset((n - 1) * size).Limit(size)
}

// transaction runs f in a transaction; an error from f rolls it back.
func (s *Service) transaction(ctx context.Context, f func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(f)
}

// dbError is StoreError under its local name.
func dbError(err error, op string) error { return StoreError(err, op) }

// StoreError turns database errors that mean bad input or a missing row into
// application errors (not_found, conflict) and wraps the rest with op for the
// log. Every domain's service ends its transactions through it.
func StoreError(err error, op string) error {
	var e *skillarena.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return skillarena.NewError(skillarena.ENOTFOUND, "error.not_found", nil)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return skillarena.NewError(skillarena.ECONFLICT, "error.duplicate", nil)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return skillarena.NewError(skillarena.ECONFLICT, "error.in_use", nil)
	}
	return fmt.Errorf("%s: %w", op, err)
}

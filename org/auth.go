package org

import (
	"context"
	"errors"
	"math"
	"strings"
	"time"

	"gorm.io/gorm"

	"skillarena"
)

// ThrottlePolicy slows down password guessing. After Limit failures within
// Window for one account (or IPLimit for one address), further attempts are
// refused for a delay that doubles with each failure from BaseDelay up to
// MaxDelay. It never locks an account for good: a rival must not be able to
// keep a contestant out of an exam.
type ThrottlePolicy struct {
	Limit     int
	IPLimit   int
	Window    time.Duration
	BaseDelay time.Duration
	MaxDelay  time.Duration
}

// DefaultThrottle allows 5 wrong passwords per account and 30 per address in 15
// minutes, then waits 30 s, 60 s, 120 s … at most 15 minutes.
var DefaultThrottle = ThrottlePolicy{Limit: 5, IPLimit: 30, Window: 15 * time.Minute, BaseDelay: 30 * time.Second, MaxDelay: 15 * time.Minute}

type loginThrottle struct {
	ThrottleKey     string `gorm:"primaryKey"`
	Failures        int
	WindowStartedAt time.Time
	BlockedUntil    *time.Time
}

func (loginThrottle) TableName() string { return "login_throttles" }

func accountKey(username string) string {
	return "account:" + strings.ToLower(strings.TrimSpace(username))
}
func ipKey(ip string) string { return "ip:" + ip }

// Login checks a username and password from address ip. It answers the same
// error, after the same work, for an unknown user and a wrong password; a
// disabled account is named only to someone who knows its password. Throttled
// attempts are refused with ETOOMANY and RetryAfter before any password check.
func (s *Service) Login(ctx context.Context, username, password, ip string) (User, error) {
	now := s.clock.Now()
	keys := []string{accountKey(username), ipKey(ip)}
	var rows []loginThrottle
	if err := s.db.WithContext(ctx).Where("throttle_key IN ?", keys).Find(&rows).Error; err != nil {
		return User{}, err
	}
	var wait time.Duration
	for _, r := range rows {
		if r.BlockedUntil != nil && r.BlockedUntil.After(now) && r.BlockedUntil.Sub(now) > wait {
			wait = r.BlockedUntil.Sub(now)
		}
	}
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		return User{}, &skillarena.Error{Code: skillarena.ETOOMANY, Message: "auth.throttled", Args: map[string]any{"Seconds": secs}, RetryAfter: secs}
	}

	var u User
	stamp := s.sessionUsers.Stamp()
	err := s.db.WithContext(ctx).Where("username = ?", strings.TrimSpace(username)).Take(&u).Error
	ok := false
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		s.hasher.CheckDummy(password)
	case err != nil:
		return User{}, err
	default:
		ok = s.hasher.Check(u.PasswordHash, password)
	}
	if !ok {
		if err := s.recordFailure(ctx, username, ip); err != nil {
			return User{}, err
		}
		return User{}, skillarena.NewError(skillarena.EUNAUTHORIZED, "auth.invalid_credentials", nil)
	}
	if !u.Active {
		return User{}, skillarena.NewError(skillarena.EUNAUTHORIZED, "auth.disabled", nil)
	}
	if err := s.db.WithContext(ctx).Where("throttle_key = ?", accountKey(username)).Delete(&loginThrottle{}).Error; err != nil {
		return User{}, err
	}
	s.sessionUsers.Keep(u.ID, u, stamp) // the session's first request reads no user
	return u, nil
}

func (s *Service) recordFailure(ctx context.Context, username, ip string) error {
	p := s.throttle
	bump := func(tx *gorm.DB, key string, limit int) error {
		now := s.clock.Now()
		var r loginThrottle
		err := tx.Where("throttle_key = ?", key).Take(&r).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			r = loginThrottle{ThrottleKey: key, WindowStartedAt: now}
		} else if err != nil {
			return err
		} else if now.Sub(r.WindowStartedAt) > p.Window && (r.BlockedUntil == nil || !r.BlockedUntil.After(now)) {
			r.Failures, r.WindowStartedAt, r.BlockedUntil = 0, now, nil
		}
		r.Failures++
		if r.Failures >= limit {
			d := p.BaseDelay << min(r.Failures-limit, 20)
			if d > p.MaxDelay || d <= 0 {
				d = p.MaxDelay
			}
			until := now.Add(d)
			r.BlockedUntil = &until
		}
		return tx.Save(&r).Error
	}
	f := func() error {
		return s.transaction(ctx, func(tx *gorm.DB) error {
			if err := bump(tx, accountKey(username), p.Limit); err != nil {
				return err
			}
			return bump(tx, ipKey(ip), p.IPLimit)
		})
	}
	err := f()
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Another server inserted the same key at the same moment: count again.
		err = f()
	}
	return err
}

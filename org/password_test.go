package org_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/org"
)

// An unknown username costs the same password work as a wrong password, so
// response times do not reveal which usernames exist. With the real argon2id
// cost a hash check takes milliseconds and a missing-user lookup alone well
// under one; the test compares medians and allows a wide margin.
func TestLogin_NoTimingDifferenceBetweenUnknownUserAndWrongPassword(t *testing.T) {
	db := dbtest.SQLite(t, nil)
	clock := skillarena.NewFixedClock(dbtest.Clock)
	svc := org.NewService(db, clock, org.Options{Hasher: org.NewHasher(org.DefaultArgon2),
		Throttle: org.ThrottlePolicy{Limit: 1000, IPLimit: 1000, Window: time.Minute, BaseDelay: time.Second, MaxDelay: time.Second}})
	ctx := context.Background()
	unit, err := svc.CreateUnit(ctx, nil, org.UnitInput{Name: "P", Code: "P"})
	require.NoError(t, err)
	_, err = svc.SeedUsers(ctx, []org.UserInput{{Username: "alice", Name: "A", OrgUnitID: unit.ID}}, "secret123")
	require.NoError(t, err)
	// The two kinds of attempt alternate, so a machine busy with other work
	// slows both alike; medians of many samples shrug off single stalls.
	var ws, us []time.Duration
	login := func(username string) time.Duration {
		start := time.Now()
		_, err := svc.Login(ctx, username, "wrong-password", "192.0.2.1")
		require.Equal(t, skillarena.EUNAUTHORIZED, skillarena.ErrorCode(err))
		return time.Since(start)
	}
	for i := 0; i < 15; i++ {
		ws = append(ws, login("alice"))
		us = append(us, login("nobody"))
	}
	median := func(ds []time.Duration) time.Duration {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	wrong, unknown := median(ws), median(us)
	t.Logf("median wrong password %v, unknown user %v", wrong, unknown)
	ratio := float64(unknown) / float64(wrong)
	assert.Greater(t, ratio, 0.5, "unknown user answered much faster than a wrong password: %v vs %v", unknown, wrong)
	assert.Less(t, ratio, 2.0)
}

// BenchmarkHasher reports the cost of one argon2id hash at the production
// parameters (docs/PERFORMANCE.md).
func BenchmarkHasher(b *testing.B) {
	h := org.NewHasher(org.DefaultArgon2)
	enc := h.Hash("demo12345")
	b.ResetTimer()
	for b.Loop() {
		h.Check(enc, "demo12345")
	}
}

package org_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/org"
)

var cheap = org.Argon2Params{Memory: 64, Time: 1, Threads: 1}

type fixture struct {
	svc   *org.Service
	db    *gorm.DB
	clock *skillarena.FixedClock
	prov  org.Unit
	r1    org.Unit
	c1    org.Unit
	c2    org.Unit
	r2    org.Unit
	c4    org.Unit
}

func ctxAs(username string, id int64) context.Context {
	return skillarena.WithActor(context.Background(), skillarena.Actor{UserID: id, Username: username, IP: "192.0.2.1"})
}

// newFixture builds province → {R1 → {C1, C2}, R2 → {C4}}.
func newFixture(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) *fixture {
	t.Helper()
	f := &fixture{svc: org.NewService(db, clock, org.Options{Hasher: org.NewHasher(cheap)}), db: db, clock: clock}
	ctx := ctxAs("setup", 0)
	mk := func(parent *org.Unit, code string) org.Unit {
		in := org.UnitInput{Name: "Unit " + code, Code: code}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		u, err := f.svc.CreateUnit(ctx, nil, in)
		require.NoError(t, err)
		return u
	}
	f.prov = mk(nil, "PROV")
	f.r1 = mk(&f.prov, "R1")
	f.r2 = mk(&f.prov, "R2")
	f.c1 = mk(&f.r1, "C1")
	f.c2 = mk(&f.r1, "C2")
	f.c4 = mk(&f.r2, "C4")
	return f
}

func scopeOf(units ...org.Unit) org.Scope {
	var s org.Scope
	for _, u := range units {
		s.Paths = append(s.Paths, u.Path)
	}
	return s
}

func TestUnitTree_PathsNestAtAnyDepth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		parent := f.c1
		for i := 0; i < 5; i++ {
			u, err := f.svc.CreateUnit(ctx, nil, org.UnitInput{ParentID: &parent.ID, Name: "Deep", Code: fmt.Sprintf("D%d", i)})
			require.NoError(t, err)
			assert.Equal(t, parent.Depth+1, u.Depth)
			assert.True(t, scopeOf(f.r1).Contains(u.Path), "R1's scope holds a unit %d levels below C1", i+1)
			assert.False(t, scopeOf(f.c2).Contains(u.Path))
			parent = u
		}
	})
}

func TestScope_CountyOrganiserSeesOnlyTheirCounty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		_, err := f.svc.SeedUsers(ctx, []org.UserInput{
			{Username: "u_c1", Name: "One", OrgUnitID: f.c1.ID},
			{Username: "u_c2", Name: "Two", OrgUnitID: f.c2.ID},
			{Username: "u_c4", Name: "Four", OrgUnitID: f.c4.ID},
		}, "secret123")
		require.NoError(t, err)

		users, total, err := f.svc.ListUsers(ctx, scopeOf(f.c1), org.UserFilter{})
		require.NoError(t, err)
		assert.EqualValues(t, 1, total)
		assert.Equal(t, "u_c1", users[0].Username)

		_, total, err = f.svc.ListUsers(ctx, scopeOf(f.r1), org.UserFilter{})
		require.NoError(t, err)
		assert.EqualValues(t, 2, total, "a region organiser sees the counties below")

		units, err := f.svc.ListUnits(ctx, scopeOf(f.c1))
		require.NoError(t, err)
		require.Len(t, units, 1)
		assert.Equal(t, "C1", units[0].Code)

		// Another county's user is not found, not forbidden.
		c2users, _, err := f.svc.ListUsers(ctx, scopeOf(f.c2), org.UserFilter{})
		require.NoError(t, err)
		_, err = f.svc.User(ctx, scopeOf(f.c1), c2users[0].ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
		_, err = f.svc.UpdateUser(ctx, scopeOf(f.c1), c2users[0].ID, org.UserPatch{Name: ptr("Hacked")})
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
		err = f.svc.ResetPassword(ctx, scopeOf(f.c1), c2users[0].ID, "newpass123")
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
		// Nor can a user be moved into another county.
		c1users, _, _ := f.svc.ListUsers(ctx, scopeOf(f.c1), org.UserFilter{})
		_, err = f.svc.UpdateUser(ctx, scopeOf(f.c1), c1users[0].ID, org.UserPatch{OrgUnitID: &f.c2.ID})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err))
	})
}

func ptr[T any](v T) *T { return &v }

func TestCreateUnit_OnlyBelowAUnitInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		sc := scopeOf(f.c1)
		_, err := f.svc.CreateUnit(ctx, &sc, org.UnitInput{ParentID: &f.c2.ID, Name: "X", Code: "X1"})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err))
		_, err = f.svc.CreateUnit(ctx, &sc, org.UnitInput{Name: "Top", Code: "TOP"})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "organisers cannot create top-level units")
		u, err := f.svc.CreateUnit(ctx, &sc, org.UnitInput{ParentID: &f.c1.ID, Name: "Team", Code: "T1"})
		require.NoError(t, err)
		assert.Equal(t, f.c1.Path+fmt.Sprint(u.ID)+"/", u.Path)
		_, err = f.svc.CreateUnit(ctx, &sc, org.UnitInput{ParentID: &f.c1.ID, Name: "Team", Code: "T1"})
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "org.unit.code_taken", e.Fields["code"])
	})
}

func TestDeleteUnit_RefusesUnitsInUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(f.svc.DeleteUnit(ctx, scopeOf(f.prov), f.r1.ID)), "has children")
		_, err := f.svc.SeedUsers(ctx, []org.UserInput{{Username: "u_c2", Name: "Two", OrgUnitID: f.c2.ID}}, "secret123")
		require.NoError(t, err)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(f.svc.DeleteUnit(ctx, scopeOf(f.prov), f.c2.ID)), "has users")
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(f.svc.DeleteUnit(ctx, scopeOf(f.c1), f.c1.ID)), "own unit")
		require.NoError(t, f.svc.DeleteUnit(ctx, scopeOf(f.r1), f.c1.ID))
		_, err = f.svc.Unit(ctx, org.Everything, f.c1.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
	})
}

func TestCreateUser_ValidatesEveryField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		sc := scopeOf(f.c1)
		_, err := f.svc.CreateUser(ctxAs("a", 0), &sc, org.UserInput{Username: "x", Name: "", Phone: "abc", OrgUnitID: f.c1.ID, Password: "short"})
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, map[string]string{"username": "user.username_format", "name": "field.required", "phone": "user.phone_format", "password": "password.too_short"}, e.Fields)
		n, _ := f.svc.CountUsers(context.Background())
		assert.Zero(t, n, "nothing written")
	})
}

func TestLogin_WrongPasswordAndUnknownUserGiveTheSameAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		_, err := f.svc.SeedUsers(ctx, []org.UserInput{{Username: "alice", Name: "Alice", OrgUnitID: f.c1.ID}}, "secret123")
		require.NoError(t, err)
		_, err1 := f.svc.Login(ctx, "alice", "wrong", "192.0.2.1")
		_, err2 := f.svc.Login(ctx, "nobody", "wrong", "192.0.2.2")
		assert.Equal(t, err1.Error(), err2.Error())
		assert.Equal(t, skillarena.EUNAUTHORIZED, skillarena.ErrorCode(err1))
		u, err := f.svc.Login(ctx, "alice", "secret123", "192.0.2.1")
		require.NoError(t, err)
		assert.Equal(t, "alice", u.Username)
	})
}

func TestLogin_ThrottledPerAccountThenFreedNeverLocked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		_, err := f.svc.SeedUsers(ctx, []org.UserInput{{Username: "alice", Name: "Alice", OrgUnitID: f.c1.ID}}, "secret123")
		require.NoError(t, err)
		for i := 0; i < org.DefaultThrottle.Limit; i++ {
			_, err := f.svc.Login(ctx, "alice", "wrong", fmt.Sprintf("198.51.100.%d", i))
			require.Equal(t, skillarena.EUNAUTHORIZED, skillarena.ErrorCode(err), "attempt %d", i+1)
		}
		// Even the right password waits now, from any address.
		_, err = f.svc.Login(ctx, "alice", "secret123", "203.0.113.9")
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, skillarena.ETOOMANY, e.Code)
		assert.Equal(t, 30, e.RetryAfter)
		// Other accounts are not affected.
		_, err = f.svc.Login(ctx, "bob", "x", "203.0.113.9")
		assert.Equal(t, skillarena.EUNAUTHORIZED, skillarena.ErrorCode(err))
		// After the delay the right password works again: no permanent lock.
		clock.Advance(31 * time.Second)
		_, err = f.svc.Login(ctx, "alice", "secret123", "203.0.113.9")
		require.NoError(t, err)
	})
}

func TestLogin_ThrottledPerAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		for i := 0; i < org.DefaultThrottle.IPLimit; i++ {
			_, err := f.svc.Login(ctx, fmt.Sprintf("guess%d", i), "wrong", "198.51.100.7")
			require.Equal(t, skillarena.EUNAUTHORIZED, skillarena.ErrorCode(err))
		}
		_, err := f.svc.Login(ctx, "another", "wrong", "198.51.100.7")
		assert.Equal(t, skillarena.ETOOMANY, skillarena.ErrorCode(err))
		_, err = f.svc.Login(ctx, "another", "wrong", "198.51.100.8")
		assert.Equal(t, skillarena.EUNAUTHORIZED, skillarena.ErrorCode(err), "other addresses are not throttled")
	})
}

func TestLogin_DisabledUserRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		us, err := f.svc.SeedUsers(ctx, []org.UserInput{{Username: "alice", Name: "Alice", OrgUnitID: f.c1.ID}}, "secret123")
		require.NoError(t, err)
		u, err := f.svc.UpdateUser(ctx, scopeOf(f.c1), us[0].ID, org.UserPatch{Active: ptr(false)})
		require.NoError(t, err)
		assert.Equal(t, us[0].SessionEpoch+1, u.SessionEpoch, "disabling ends every session")
		_, err = f.svc.Login(ctx, "alice", "secret123", "192.0.2.1")
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "auth.disabled", e.Message)
	})
}

func TestChangePassword_NeedsTheOldPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		us, err := f.svc.SeedUsers(ctx, []org.UserInput{{Username: "alice", Name: "Alice", OrgUnitID: f.c1.ID}}, "secret123")
		require.NoError(t, err)
		err = f.svc.ChangePassword(ctx, us[0].ID, "wrong", "newsecret9")
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err))
		require.NoError(t, f.svc.ChangePassword(ctx, us[0].ID, "secret123", "newsecret9"))
		_, err = f.svc.Login(ctx, "alice", "newsecret9", "192.0.2.1")
		require.NoError(t, err)
		u, _ := f.svc.UserByID(ctx, us[0].ID)
		assert.Equal(t, us[0].SessionEpoch+1, u.SessionEpoch, "other sessions end")
	})
}

func TestHasher_ChecksOnlyTheRightPassword(t *testing.T) {
	h := org.NewHasher(cheap)
	enc := h.Hash("correct horse 1")
	assert.True(t, h.Check(enc, "correct horse 1"))
	assert.False(t, h.Check(enc, "correct horse 2"))
	assert.False(t, h.Check("$argon2id$garbage", "x"))
	assert.NotEqual(t, enc, h.Hash("correct horse 1"), "salted")
}

func TestGrants_OrganiserGrantsOnlyInsideTheirSubtree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		us, err := f.svc.SeedUsers(ctx, []org.UserInput{
			{Username: "u_c1", Name: "One", OrgUnitID: f.c1.ID},
			{Username: "u_c2", Name: "Two", OrgUnitID: f.c2.ID},
		}, "secret123")
		require.NoError(t, err)
		sc := scopeOf(f.c1)
		_, err = f.svc.CreateGrant(ctx, &sc, org.GrantInput{UserID: us[0].ID, Role: org.RoleJudge, OrgUnitID: f.c2.ID})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "unit outside scope")
		_, err = f.svc.CreateGrant(ctx, &sc, org.GrantInput{UserID: us[1].ID, Role: org.RoleJudge, OrgUnitID: f.c1.ID})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "user outside scope")
		_, err = f.svc.CreateGrant(ctx, &sc, org.GrantInput{UserID: us[0].ID, Role: "emperor", OrgUnitID: f.c1.ID})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "unknown role")
		v0, _ := f.svc.PolicyVersion(ctx)
		g, err := f.svc.CreateGrant(ctx, &sc, org.GrantInput{UserID: us[0].ID, Role: org.RoleJudge, OrgUnitID: f.c1.ID})
		require.NoError(t, err)
		assert.Equal(t, f.c1.Path, g.OrgUnitPath)
		v1, _ := f.svc.PolicyVersion(ctx)
		assert.Equal(t, v0+1, v1, "a grant moves the policy version in the same transaction")
		_, err = f.svc.CreateGrant(ctx, &sc, org.GrantInput{UserID: us[0].ID, Role: org.RoleJudge, OrgUnitID: f.c1.ID})
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
		// Nobody revokes their own grant.
		err = f.svc.RevokeGrant(ctxAs("u_c1", us[0].ID), sc, g.ID)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(f.svc.RevokeGrant(ctx, scopeOf(f.c2), g.ID)))
		require.NoError(t, f.svc.RevokeGrant(ctx, sc, g.ID))
		v2, _ := f.svc.PolicyVersion(ctx)
		assert.Equal(t, v1+1, v2)
	})
}

// Every change to the organisation leaves an audit entry, written in the same
// transaction: a refused change leaves none.
func TestAudit_EveryChangeIsRecordedWithWhoWhenWhat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("organiser1", 42)
		sc := scopeOf(f.c1)
		u, err := f.svc.CreateUser(ctx, &sc, org.UserInput{Username: "carol", Name: "Carol", OrgUnitID: f.c1.ID, Password: "secret123"})
		require.NoError(t, err)
		_, err = f.svc.UpdateUser(ctx, sc, u.ID, org.UserPatch{Name: ptr("Caroline")})
		require.NoError(t, err)
		_, err = f.svc.CreateUser(ctx, &sc, org.UserInput{Username: "carol", Name: "Dup", OrgUnitID: f.c1.ID, Password: "secret123"})
		require.Error(t, err)

		entries, total, err := f.svc.ListAudit(ctx, sc, org.AuditFilter{})
		require.NoError(t, err)
		require.EqualValues(t, 3, total, "C1's creation, carol's creation and rename; the refused duplicate left nothing")
		upd := entries[0]
		assert.Equal(t, "user.update", upd.Action)
		assert.Equal(t, "organiser1", upd.ActorUsername)
		assert.Equal(t, int64(42), *upd.ActorID)
		assert.Equal(t, "192.0.2.1", upd.IP)
		assert.Contains(t, *upd.BeforeJSON, `"name":"Carol"`)
		assert.Contains(t, *upd.AfterJSON, `"name":"Caroline"`)
		assert.Equal(t, clock.Now(), upd.At)
		assert.NotContains(t, *entries[1].AfterJSON, "argon2", "no password hash in the trail")

		v, err := f.svc.VerifyAudit(ctx)
		require.NoError(t, err)
		assert.True(t, v.OK)
	})
}

// The trail is a hash chain: altering, deleting or truncating entries is
// detected, and the first broken entry is named.
func TestAudit_TamperedEntryIsDetected(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock) // six unit creations: entries 1-6
		ctx := ctxAs("a", 0)
		v, err := f.svc.VerifyAudit(ctx)
		require.NoError(t, err)
		require.True(t, v.OK)
		require.EqualValues(t, 6, v.Checked)

		// Change a recorded value behind the application's back.
		require.NoError(t, db.Exec("UPDATE audit_entries SET after_json = ? WHERE id = 3", `{"name":"forged"}`).Error)
		v, err = f.svc.VerifyAudit(ctx)
		require.NoError(t, err)
		assert.False(t, v.OK)
		assert.EqualValues(t, 3, v.FirstBrokenID)
		assert.Equal(t, "audit.problem.hash", v.Problem)

		// Recomputing the forged entry's hash does not help: the next link breaks.
		var e org.AuditEntry
		require.NoError(t, db.Where("id = 3").Take(&e).Error)
		require.NoError(t, db.Exec("UPDATE audit_entries SET hash = ? WHERE id = 3", "0000000000000000000000000000000000000000000000000000000000000000").Error)
		v, _ = f.svc.VerifyAudit(ctx)
		assert.EqualValues(t, 3, v.FirstBrokenID)

		// A deleted entry is named as missing.
		require.NoError(t, db.Exec("DELETE FROM audit_entries WHERE id IN (3)").Error)
		v, _ = f.svc.VerifyAudit(ctx)
		assert.False(t, v.OK)
		assert.EqualValues(t, 3, v.FirstBrokenID)
		assert.Equal(t, "audit.problem.missing", v.Problem)
	})
}

func TestAudit_TruncatedTailIsDetected(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		require.NoError(t, db.Exec("DELETE FROM audit_entries WHERE id = 6").Error)
		v, err := f.svc.VerifyAudit(context.Background())
		require.NoError(t, err)
		assert.False(t, v.OK)
		assert.EqualValues(t, 6, v.FirstBrokenID)
		assert.Equal(t, "audit.problem.truncated", v.Problem)
	})
}

// Concurrent changes still form one unbroken chain.
func TestAudit_ConcurrentAppendsKeepTheChainLinear(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := f.svc.CreateUnit(ctxAs("a", 0), nil, org.UnitInput{ParentID: &f.c1.ID, Name: "P", Code: fmt.Sprintf("P%d", i)})
				errs <- err
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		v, err := f.svc.VerifyAudit(context.Background())
		require.NoError(t, err)
		assert.True(t, v.OK, "broken at %d: %s", v.FirstBrokenID, v.Problem)
		assert.EqualValues(t, 26, v.Checked)
	})
}

// Searching for a username with an underscore or percent sign finds it
// literally: the wildcards are escaped, not dropped.
func TestListUsers_SearchTakesWildcardsLiterally(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := ctxAs("a", 0)
		_, err := f.svc.SeedUsers(ctx, []org.UserInput{
			{Username: "e2e_new", Name: "A", OrgUnitID: f.c1.ID},
			{Username: "e2exnew", Name: "B", OrgUnitID: f.c1.ID},
			{Username: "pct100", Name: "100%达标", OrgUnitID: f.c1.ID},
		}, "secret123")
		require.NoError(t, err)
		users, total, err := f.svc.ListUsers(ctx, scopeOf(f.c1), org.UserFilter{Query: "e2e_new"})
		require.NoError(t, err)
		require.EqualValues(t, 1, total)
		assert.Equal(t, "e2e_new", users[0].Username)
		_, total, err = f.svc.ListUsers(ctx, scopeOf(f.c1), org.UserFilter{Query: "0%"})
		require.NoError(t, err)
		assert.EqualValues(t, 1, total)
		_, total, err = f.svc.ListUsers(ctx, scopeOf(f.c1), org.UserFilter{Query: "!"})
		require.NoError(t, err)
		assert.EqualValues(t, 0, total)
	})
}

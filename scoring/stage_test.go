package scoring_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database/dbtest"
	"skillarena/exam"
	"skillarena/org"
	"skillarena/scoring"
)

type fixture struct {
	db      *gorm.DB
	clock   *skillarena.FixedClock
	org     *org.Service
	svc     *scoring.Service
	prov    org.Unit
	c1, c2  org.Unit
	admin   int64
	members map[int64][]int64 // county unit id → its ten engineers
}

func as(id int64) context.Context {
	return skillarena.WithActor(context.Background(), skillarena.Actor{UserID: id, Username: "u"})
}

func scopeOf(units ...org.Unit) org.Scope {
	var s org.Scope
	for _, u := range units {
		s.Paths = append(s.Paths, u.Path)
	}
	return s
}

// newFixture: a province with two counties of ten engineers each.
func newFixture(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) *fixture {
	f := &fixture{db: db, clock: clock, members: map[int64][]int64{}}
	f.org = org.NewService(db, clock, org.Options{Hasher: org.NewHasher(org.Argon2Params{Memory: 64, Time: 1, Threads: 1})})
	cs := content.NewService(db, clock, f.org.Audit())
	f.svc = scoring.NewService(db, clock, f.org.Audit(), exam.NewService(db, clock, f.org.Audit(), cs))
	ctx := context.Background()
	var err error
	f.prov, err = f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "省", Code: "PROV"})
	require.NoError(t, err)
	f.c1, err = f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "一县", Code: "C1", ParentID: &f.prov.ID})
	require.NoError(t, err)
	f.c2, err = f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "二县", Code: "C2", ParentID: &f.prov.ID})
	require.NoError(t, err)
	in := []org.UserInput{{Username: "admin", Name: "管理员", OrgUnitID: f.prov.ID}}
	for i := range 20 {
		u := f.c1.ID
		if i >= 10 {
			u = f.c2.ID
		}
		in = append(in, org.UserInput{Username: fmt.Sprintf("e%02d", i), Name: fmt.Sprintf("选手%d", i), OrgUnitID: u})
	}
	us, err := f.org.SeedUsers(ctx, in, "secret123")
	require.NoError(t, err)
	f.admin = us[0].ID
	for _, u := range us[1:] {
		f.members[u.OrgUnitID] = append(f.members[u.OrgUnitID], u.ID)
	}
	return f
}

func (f *fixture) stage(t *testing.T) scoring.Stage {
	t.Helper()
	c, err := f.svc.CreateCompetition(as(f.admin), scopeOf(f.prov), scoring.CompetitionInput{OrgUnitID: f.prov.ID, Name: "客维竞赛", Year: 2026})
	require.NoError(t, err)
	deadline := f.clock.Now().Add(24 * time.Hour)
	st, err := f.svc.CreateStage(as(f.admin), scopeOf(f.prov), scoring.StageInput{CompetitionID: c.ID, OrgUnitID: f.prov.ID, Name: "省决赛",
		TeamUnitIDs: []int64{f.c1.ID, f.c2.ID}, RosterDeadline: &deadline})
	require.NoError(t, err)
	return st
}

func (f *fixture) access(t *testing.T, st scoring.Stage, units ...org.Unit) scoring.StageAccess {
	t.Helper()
	a, err := f.svc.Access(context.Background(), scopeOf(units...), st.ID)
	require.NoError(t, err)
	return a
}

// Teams lie below the stage's unit and never inside one another.
func TestStage_TeamsAreDistinctUnitsBelowTheStage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		c, err := f.svc.CreateCompetition(as(f.admin), scopeOf(f.prov), scoring.CompetitionInput{OrgUnitID: f.prov.ID, Name: "赛", Year: 2026})
		require.NoError(t, err)
		for _, teams := range [][]int64{{f.prov.ID}, {f.c1.ID, f.c1.ID}} {
			_, err = f.svc.CreateStage(as(f.admin), scopeOf(f.prov), scoring.StageInput{CompetitionID: c.ID, OrgUnitID: f.prov.ID, Name: "x", TeamUnitIDs: teams})
			assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "%v", teams)
		}
		bad := scoring.DefaultSettings()
		bad.Weights = scoring.Weights{Written: 40, Practical: 50}
		_, err = f.svc.CreateStage(as(f.admin), scopeOf(f.prov), scoring.StageInput{CompetitionID: c.ID, OrgUnitID: f.prov.ID, Name: "x",
			TeamUnitIDs: []int64{f.c1.ID}, Settings: &bad})
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "scoring.weights_sum", e.Fields["settings.weights"])
		// A county organiser cannot run a stage in the province.
		_, err = f.svc.CreateStage(as(f.admin), scopeOf(f.c1), scoring.StageInput{CompetitionID: c.ID, OrgUnitID: f.prov.ID, Name: "x", TeamUnitIDs: []int64{f.c1.ID}})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err))
	})
}

// County organisers see and change only their own team's roster.
func TestRoster_CountyOrganiserSeesAndChangesOnlyTheirOwnTeam(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		st := f.stage(t)
		county1 := f.access(t, st, f.c1)
		assert.False(t, county1.Organiser)
		c1 := f.members[f.c1.ID]
		require.NoError(t, f.svc.SetRoster(as(f.admin), county1, f.c1.ID, scoring.RosterInput{Written: c1[:8], Nominee: c1[0]}))
		err := f.svc.SetRoster(as(f.admin), county1, f.c2.ID, scoring.RosterInput{Written: f.members[f.c2.ID][:8], Nominee: f.members[f.c2.ID][0]})
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "another county's team")
		err = f.svc.SetRoster(as(f.admin), county1, f.c1.ID, scoring.RosterInput{Written: []int64{c1[0], f.members[f.c2.ID][0]}, Nominee: c1[0]})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "a contestant of another county")
		err = f.svc.SetRoster(as(f.admin), county1, f.c1.ID, scoring.RosterInput{Written: c1[:9], Nominee: c1[0]})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "nine is more than the roster size")

		rs, err := f.svc.Rosters(context.Background(), county1)
		require.NoError(t, err)
		require.Len(t, rs, 1, "only their own team")
		assert.Len(t, rs[0].Written, 8)
		all, err := f.svc.Rosters(context.Background(), f.access(t, st, f.prov))
		require.NoError(t, err)
		assert.Len(t, all, 2)

		_, err = f.svc.Access(context.Background(), scopeOf(org.Unit{Path: "/999/"}), st.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "a stage the caller has nothing to do with")

		// After the deadline a team organiser can no longer change it.
		clock.Advance(25 * time.Hour)
		err = f.svc.SetRoster(as(f.admin), f.access(t, st, f.c1), f.c1.ID, scoring.RosterInput{Written: c1[1:9], Nominee: c1[1]})
		assert.Equal(t, skillarena.EDEADLINEPASSED, skillarena.ErrorCode(err))
	})
}

// After the lock a change is a substitution with a reason, audited.
func TestRoster_AfterLockOnlySubstitutionWithAReason(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		st := f.stage(t)
		c1 := f.members[f.c1.ID]
		require.NoError(t, f.svc.SetRoster(as(f.admin), f.access(t, st, f.c1), f.c1.ID, scoring.RosterInput{Written: c1[:8], Nominee: c1[0]}))
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(f.svc.LockRosters(as(f.admin), f.access(t, st, f.c1))), "a team organiser cannot lock")
		require.NoError(t, f.svc.LockRosters(as(f.admin), f.access(t, st, f.prov)))
		county1 := f.access(t, st, f.c1)
		err := f.svc.SetRoster(as(f.admin), county1, f.c1.ID, scoring.RosterInput{Written: c1[:8], Nominee: c1[1]})
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
		err = f.svc.Substitute(as(f.admin), county1, f.c1.ID, c1[7], c1[8], scoring.SlotWritten, "")
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "a reason is required")
		require.NoError(t, f.svc.Substitute(as(f.admin), county1, f.c1.ID, c1[7], c1[8], scoring.SlotWritten, "生病"))
		rs, err := f.svc.Rosters(context.Background(), county1)
		require.NoError(t, err)
		var ids []int64
		for _, m := range rs[0].Written {
			ids = append(ids, m.UserID)
		}
		assert.Contains(t, ids, c1[8])
		assert.NotContains(t, ids, c1[7])
		entries, _, err := f.org.ListAudit(context.Background(), scopeOf(f.prov), org.AuditFilter{Action: "roster.substitute"})
		require.NoError(t, err)
		require.Len(t, entries, 1)
		assert.Equal(t, "生病", entries[0].Reason)
	})
}

// The draw: commitment first, entropy at the draw, the seed revealed matches
// the commitment, each team's drawn contestant comes from its written
// contestants other than the nominee, and anyone re-running it gets the same.
func TestDraw_CommitRevealFromThePoolWithoutTheNominee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		st := f.stage(t)
		organiser := f.access(t, st, f.prov)
		for _, u := range []org.Unit{f.c1, f.c2} {
			m := f.members[u.ID]
			require.NoError(t, f.svc.SetRoster(as(f.admin), organiser, u.ID, scoring.RosterInput{Written: m[:8], Nominee: m[0]}))
		}
		_, err := f.svc.CommitDraw(as(f.admin), organiser, "")
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "rosters must be locked first")
		require.NoError(t, f.svc.LockRosters(as(f.admin), organiser))
		organiser = f.access(t, st, f.prov)
		committed, err := f.svc.CommitDraw(as(f.admin), organiser, "")
		require.NoError(t, err)
		again, err := f.svc.CommitDraw(as(f.admin), organiser, "")
		require.NoError(t, err)
		assert.Equal(t, committed.Commitment, again.Commitment, "an open commitment stays")

		d, err := f.svc.PerformDraw(as(f.admin), organiser, "4 8 15 16 23 42")
		require.NoError(t, err)
		seed, _ := hex.DecodeString(d.SeedHex)
		assert.Equal(t, committed.Commitment, scoring.Commitment(seed))
		rerun, err := scoring.RunDraw(seed, *d.Entropy, d.Pools())
		require.NoError(t, err)
		assert.Equal(t, d.Result(), rerun)
		for _, p := range d.Pools() {
			assert.Len(t, p.Pool, 7)
			assert.NotContains(t, p.Pool, f.members[p.TeamID][0], "the nominee is not in the pool")
		}
		rs, err := f.svc.Rosters(context.Background(), organiser)
		require.NoError(t, err)
		for _, r := range rs {
			require.NotNil(t, r.Drawn)
			assert.Contains(t, f.members[r.TeamID][1:8], r.Drawn.UserID)
		}

		// A redraw needs a reason and is a new, numbered draw.
		_, err = f.svc.CommitDraw(as(f.admin), organiser, "")
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err))
		re, err := f.svc.CommitDraw(as(f.admin), organiser, "抽中选手因伤退赛")
		require.NoError(t, err)
		assert.Equal(t, 2, re.Number)
		draws, err := f.svc.Draws(context.Background(), st.ID)
		require.NoError(t, err)
		assert.Len(t, draws, 2)
	})
}

// update is the stage as it is with change applied to its settings.
func update(st scoring.Stage, change func(*scoring.Settings)) scoring.StageUpdate {
	set := st.Settings()
	change(&set)
	return scoring.StageUpdate{Name: st.Name, RosterDeadline: st.RosterDeadline, Settings: set}
}

// fixedField returns the setting a refused change names, checking that it
// is a conflict.
func fixedField(t *testing.T, err error) string {
	t.Helper()
	var e *skillarena.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, skillarena.ECONFLICT, e.Code, "%v", err)
	for f := range e.Fields {
		return f
	}
	return ""
}

// Roster sizes change until the rosters lock, and never below a roster
// already entered; only the stage organiser changes a stage; the name and
// deadline change any time; every change is audited with before and after.
func TestUpdateStage_RosterSizesOnlyUntilTheRostersLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		st := f.stage(t)
		organiser := f.access(t, st, f.prov)
		_, err := f.svc.UpdateStage(as(f.admin), f.access(t, st, f.c1), update(st, func(s *scoring.Settings) { s.WrittenRosterSize = 6 }))
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err), "a team organiser")
		_, err = f.svc.UpdateStage(as(f.admin), organiser, update(st, func(s *scoring.Settings) { s.Weights.Written = 5000 }))
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "checked by Settings.Validate")

		c1 := f.members[f.c1.ID]
		require.NoError(t, f.svc.SetRoster(as(f.admin), organiser, f.c1.ID, scoring.RosterInput{Written: c1[:7], Nominee: c1[0]}))
		_, err = f.svc.UpdateStage(as(f.admin), organiser, update(st, func(s *scoring.Settings) { s.WrittenRosterSize = 6 }))
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "scoring.roster_size_below_entries", e.Fields["settings.written_roster_size"], "county 1 entered 7")
		got, err := f.svc.UpdateStage(as(f.admin), organiser, update(st, func(s *scoring.Settings) { s.WrittenRosterSize = 7; s.PracticalSize = 3 }))
		require.NoError(t, err)
		assert.Equal(t, 7, got.Settings().WrittenRosterSize)
		assert.Equal(t, 3, got.Settings().PracticalSize)

		require.NoError(t, f.svc.LockRosters(as(f.admin), organiser))
		organiser = f.access(t, st, f.prov)
		for _, change := range []func(*scoring.Settings){
			func(s *scoring.Settings) { s.WrittenRosterSize = 8 },
			func(s *scoring.Settings) { s.PracticalSize = 2 },
		} {
			_, err = f.svc.UpdateStage(as(f.admin), organiser, update(organiser.Stage, change))
			assert.Contains(t, []string{"settings.written_roster_size", "settings.practical_size"}, fixedField(t, err))
		}
		// The name, the deadline and the scoring settings stay open.
		in := update(organiser.Stage, func(s *scoring.Settings) { s.Precision = 1 })
		in.Name, in.RosterDeadline = "省决赛（更名）", nil
		got, err = f.svc.UpdateStage(as(f.admin), organiser, in)
		require.NoError(t, err)
		assert.Equal(t, "省决赛（更名）", got.Name)
		assert.Nil(t, got.RosterDeadline)

		entries, _, err := f.org.ListAudit(context.Background(), scopeOf(f.prov), org.AuditFilter{Action: "stage.update"})
		require.NoError(t, err)
		require.Len(t, entries, 2)
		assert.Contains(t, *entries[0].BeforeJSON, `"precision":2`)
		assert.Contains(t, *entries[0].AfterJSON, `"precision":1`)
		assert.Contains(t, *entries[0].AfterJSON, "省决赛（更名）")
	})
}

// The draw pool rule changes until the draw is committed.
func TestUpdateStage_DrawPoolOnlyUntilTheDrawIsCommitted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		st := f.stage(t)
		organiser := f.access(t, st, f.prov)
		for _, u := range []org.Unit{f.c1, f.c2} {
			m := f.members[u.ID]
			require.NoError(t, f.svc.SetRoster(as(f.admin), organiser, u.ID, scoring.RosterInput{Written: m[:8], Nominee: m[0]}))
		}
		require.NoError(t, f.svc.LockRosters(as(f.admin), organiser))
		organiser = f.access(t, st, f.prov)
		_, err := f.svc.UpdateStage(as(f.admin), organiser, update(organiser.Stage, func(s *scoring.Settings) { s.DrawPool = scoring.PoolWritten }))
		require.NoError(t, err, "rosters locked, draw not committed")
		organiser = f.access(t, st, f.prov)
		_, err = f.svc.CommitDraw(as(f.admin), organiser, "")
		require.NoError(t, err)
		_, err = f.svc.UpdateStage(as(f.admin), organiser, update(organiser.Stage, func(s *scoring.Settings) { s.DrawPool = scoring.PoolWrittenExceptNominee }))
		assert.Equal(t, "settings.draw_pool", fixedField(t, err))
		d, err := f.svc.PerformDraw(as(f.admin), organiser, "7")
		require.NoError(t, err)
		for _, p := range d.Pools() {
			assert.Len(t, p.Pool, 8, "drawn by the rule committed: every written contestant")
		}
	})
}

// The scoring settings change until the first ranking version is
// published; after that the refusal names the setting.
func TestUpdateStage_ScoringSettingsOnlyUntilTheFirstVersionIsPublished(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		pr, _ := workedExample(t, db, clock)
		ctx := as(pr.admin)
		organiser := pr.access(t, pr.stage, pr.prov)
		_, err := pr.svc.UpdateStage(ctx, organiser, update(organiser.Stage, func(s *scoring.Settings) { s.Precision = 1 }))
		require.NoError(t, err, "nothing published yet")
		_, err = pr.svc.Publish(ctx, organiser, scoring.PublishInput{AllowPending: true})
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "published with the settings read before the change")
		organiser = pr.access(t, pr.stage, pr.prov)
		_, err = pr.svc.Publish(ctx, organiser, scoring.PublishInput{AllowPending: true})
		require.NoError(t, err)
		for field, change := range map[string]func(*scoring.Settings){
			"settings.weights":               func(s *scoring.Settings) { s.Weights = scoring.Weights{Written: 50, Practical: 50} },
			"settings.absent_counts_as_zero": func(s *scoring.Settings) { s.AbsentCountsAsZero = false },
			"settings.aggregation":           func(s *scoring.Settings) { s.Aggregation = scoring.AggregateMean },
			"settings.discrepancy_threshold": func(s *scoring.Settings) { s.Threshold = 500 },
			"settings.tie_break":             func(s *scoring.Settings) { s.TieBreak = []scoring.Figure{scoring.FigureWritten} },
			"settings.precision":             func(s *scoring.Settings) { s.Precision = 2 },
		} {
			_, err = pr.svc.UpdateStage(ctx, organiser, update(organiser.Stage, change))
			assert.Equal(t, field, fixedField(t, err))
		}
		in := update(organiser.Stage, func(*scoring.Settings) {})
		in.Name = "省决赛（已发布）"
		_, err = pr.svc.UpdateStage(ctx, organiser, in)
		assert.NoError(t, err, "the name still changes")
	})
}

// flipSetting changes each setting, by API name, to another valid value
// (applied twice, it changes it back).
var flipSetting = map[string]func(*scoring.Settings){
	"written_roster_size": func(s *scoring.Settings) { s.WrittenRosterSize = 17 - s.WrittenRosterSize }, // 8 ↔ 9
	"practical_size":      func(s *scoring.Settings) { s.PracticalSize = 5 - s.PracticalSize },          // 2 ↔ 3
	"draw_pool": func(s *scoring.Settings) {
		s.DrawPool = map[scoring.DrawPoolRule]scoring.DrawPoolRule{scoring.PoolWritten: scoring.PoolWrittenExceptNominee, scoring.PoolWrittenExceptNominee: scoring.PoolWritten}[s.DrawPool]
	},
	"weights": func(s *scoring.Settings) {
		s.Weights.Written, s.Weights.Practical = s.Weights.Practical, s.Weights.Written
	},
	"absent_counts_as_zero": func(s *scoring.Settings) { s.AbsentCountsAsZero = !s.AbsentCountsAsZero },
	"aggregation": func(s *scoring.Settings) {
		s.Aggregation = map[scoring.Aggregation]scoring.Aggregation{scoring.AggregateMean: scoring.AggregateTrimmedMean, scoring.AggregateTrimmedMean: scoring.AggregateMean}[s.Aggregation]
	},
	"discrepancy_threshold": func(s *scoring.Settings) { s.Threshold = 1500 - s.Threshold }, // 10.00 ↔ 5.00
	"tie_break": func(s *scoring.Settings) {
		if len(s.TieBreak) == 1 {
			s.TieBreak = []scoring.Figure{scoring.FigurePractical, scoring.FigureWritten}
		} else {
			s.TieBreak = []scoring.Figure{scoring.FigureWritten}
		}
	},
	"precision": func(s *scoring.Settings) { s.Precision = 3 - s.Precision }, // 2 ↔ 1
}

// assertFixedAsRefused checks that the stage shows as fixed exactly want,
// and that changing a setting is refused, naming it, exactly when it shows
// as fixed.
func assertFixedAsRefused(t *testing.T, svc *scoring.Service, ctx context.Context, scope org.Scope, stageID int64, want map[string]scoring.FixedReason) {
	t.Helper()
	a, err := svc.Access(ctx, scope, stageID)
	require.NoError(t, err)
	got, err := svc.FixedSettings(ctx, a)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	for field, flip := range flipSetting {
		a, err := svc.Access(ctx, scope, stageID)
		require.NoError(t, err)
		_, err = svc.UpdateStage(ctx, a, update(a.Stage, flip))
		if _, fixed := got[field]; fixed {
			assert.Equal(t, "settings."+field, fixedField(t, err), "%s shows as fixed", field)
			assert.Equal(t, "scoring.setting_fixed."+field, err.(*skillarena.Error).Message)
		} else {
			assert.NoError(t, err, "%s shows as open", field)
		}
	}
}

// A stage shows which settings are fixed, and why, by the same rule that
// refuses changing them: none at first; the roster sizes once the rosters
// lock; the draw pool too once the draw is committed; every setting once a
// ranking version is published (see the next test).
func TestFixedSettings_AreTheOnesAChangeIsRefusedFor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		st := f.stage(t)
		ctx, scope := as(f.admin), scopeOf(f.prov)
		assertFixedAsRefused(t, f.svc, ctx, scope, st.ID, map[string]scoring.FixedReason{})

		organiser := f.access(t, st, f.prov)
		for _, u := range []org.Unit{f.c1, f.c2} {
			m := f.members[u.ID]
			require.NoError(t, f.svc.SetRoster(ctx, organiser, u.ID, scoring.RosterInput{Written: m[:8], Nominee: m[0]}))
		}
		require.NoError(t, f.svc.LockRosters(ctx, organiser))
		locked := map[string]scoring.FixedReason{"written_roster_size": scoring.FixedRostersLocked, "practical_size": scoring.FixedRostersLocked}
		assertFixedAsRefused(t, f.svc, ctx, scope, st.ID, locked)

		_, err := f.svc.CommitDraw(ctx, f.access(t, st, f.prov), "")
		require.NoError(t, err)
		locked["draw_pool"] = scoring.FixedDrawCommitted
		assertFixedAsRefused(t, f.svc, ctx, scope, st.ID, locked)
		// A team organiser sees the same.
		got, err := f.svc.FixedSettings(ctx, f.access(t, st, f.c1))
		require.NoError(t, err)
		assert.Equal(t, locked, got)
	})
}

// Once a ranking version is published, every setting is fixed: the
// scoring settings because the version was computed with them.
func TestFixedSettings_EverySettingOnceARankingVersionIsPublished(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		pr, _ := workedExample(t, db, clock)
		_, err := pr.svc.Publish(as(pr.admin), pr.access(t, pr.stage, pr.prov), scoring.PublishInput{AllowPending: true})
		require.NoError(t, err)
		all := map[string]scoring.FixedReason{}
		for field := range flipSetting {
			all[field] = scoring.FixedRankingPublished
		}
		all["written_roster_size"], all["practical_size"], all["draw_pool"] = scoring.FixedRostersLocked, scoring.FixedRostersLocked, scoring.FixedDrawCommitted
		assertFixedAsRefused(t, pr.svc, as(pr.admin), scopeOf(pr.prov), pr.stage.ID, all)
	})
}

// A stage of individuals has one roster, team 0, without a nominee: every
// contestant entered does the practical, so there is no nominee to enter or
// substitute and no draw.
func TestRoster_IndividualsHaveNoNominee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		c, err := f.svc.CreateCompetition(as(f.admin), scopeOf(f.prov), scoring.CompetitionInput{OrgUnitID: f.prov.ID, Name: "个人赛", Year: 2026})
		require.NoError(t, err)
		st, err := f.svc.CreateStage(as(f.admin), scopeOf(f.prov), scoring.StageInput{CompetitionID: c.ID, OrgUnitID: f.prov.ID, Name: "个人选拔", Kind: scoring.StageIndividuals})
		require.NoError(t, err)
		organiser := f.access(t, st, f.prov)
		people := append(slices.Clone(f.members[f.c1.ID][:3]), f.members[f.c2.ID][:3]...)
		err = f.svc.SetRoster(as(f.admin), organiser, 0, scoring.RosterInput{Written: people, Nominee: people[0]})
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "scoring.nominee_for_teams_only", e.Fields["nominee"])
		require.NoError(t, f.svc.SetRoster(as(f.admin), organiser, 0, scoring.RosterInput{Written: people}))
		rs, err := f.svc.Rosters(context.Background(), organiser)
		require.NoError(t, err)
		require.Len(t, rs, 1)
		assert.Len(t, rs[0].Written, 6)
		assert.Nil(t, rs[0].Nominee)

		require.NoError(t, f.svc.LockRosters(as(f.admin), organiser))
		organiser = f.access(t, st, f.prov)
		err = f.svc.Substitute(as(f.admin), organiser, 0, people[0], f.members[f.c1.ID][5], scoring.SlotNominee, "伤病")
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "scoring.nominee_for_teams_only", e.Fields["slot"])
		_, err = f.svc.CommitDraw(as(f.admin), organiser, "")
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "no draw for individuals")
	})
}

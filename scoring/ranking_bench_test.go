package scoring_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database/dbtest"
	"skillarena/exam"
	"skillarena/org"
	"skillarena/scoring"
)

// The ranking benchmarks of docs/PERFORMANCE.md ("Rankings"): 10,000
// contestants in 100 teams.
//
//	go test ./scoring -run XXX -bench 'Ranking10k|Publish10k' -benchtime 20x
const (
	benchTeams   = 100
	benchPerTeam = 100
)

// BenchmarkRanking10k computes both rankings of 10,000 contestants in 100
// teams (each team: 100 written contestants, of whom a nominee and a drawn
// one with five judges each) from their scores: the exact combination,
// the one rounding and the ranks.
func BenchmarkRanking10k(b *testing.B) {
	set := scoring.DefaultSettings()
	set.WrittenRosterSize = benchPerTeam
	in := randomInput(rand.New(rand.NewPCG(1, 2)), benchTeams, benchPerTeam, set)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := scoring.ComputeRanking(in)
		if len(r.Individuals) != benchTeams*benchPerTeam || len(r.Teams) != benchTeams {
			b.Fatalf("%d individuals, %d teams", len(r.Individuals), len(r.Teams))
		}
	}
}

// seedStage10k builds a provincial stage of 100 county teams with 100
// engineers each on the written roster, all of whom submitted a graded
// written exam, and a nominee and a drawn contestant per team.
func seedStage10k(b *testing.B, db *gorm.DB, clock *skillarena.FixedClock) (*scoring.Service, scoring.StageAccess, context.Context) {
	ctx := context.Background()
	o := org.NewService(db, clock, org.Options{Hasher: org.NewHasher(org.Argon2Params{Memory: 64, Time: 1, Threads: 1})})
	cs := content.NewService(db, clock, o.Audit())
	svc := scoring.NewService(db, clock, o.Audit(), exam.NewService(db, clock, o.Audit(), cs))
	prov, err := o.CreateUnit(ctx, nil, org.UnitInput{Name: "省", Code: "PROV"})
	require.NoError(b, err)
	staff, err := o.SeedUsers(ctx, []org.UserInput{{Username: "admin", Name: "管理员", OrgUnitID: prov.ID}}, "secret123")
	require.NoError(b, err)
	admin := as(staff[0].ID)
	scope := scopeOf(prov)
	var teams []int64
	for i := range benchTeams {
		u, err := o.CreateUnit(ctx, nil, org.UnitInput{Name: fmt.Sprintf("县%03d", i), Code: fmt.Sprintf("C%03d", i), ParentID: &prov.ID})
		require.NoError(b, err)
		teams = append(teams, u.ID)
	}
	now := clock.Now()
	users := make([]org.User, 0, benchTeams*benchPerTeam)
	for i, t := range teams {
		for k := range benchPerTeam {
			users = append(users, org.User{Username: fmt.Sprintf("e%03d%03d", i, k), Name: fmt.Sprintf("选手%d-%d", i, k), OrgUnitID: t,
				PasswordHash: "x", Active: true, CreatedAt: now, UpdatedAt: now})
		}
	}
	require.NoError(b, db.CreateInBatches(&users, 500).Error)
	c, err := svc.CreateCompetition(admin, scope, scoring.CompetitionInput{OrgUnitID: prov.ID, Name: "客维竞赛", Year: 2026})
	require.NoError(b, err)
	set := scoring.DefaultSettings()
	set.WrittenRosterSize = 50 // the most a stage allows; 100 enter here
	st, err := svc.CreateStage(admin, scope, scoring.StageInput{CompetitionID: c.ID, OrgUnitID: prov.ID, Name: "省决赛", TeamUnitIDs: teams, Settings: &set})
	require.NoError(b, err)
	rng := rand.New(rand.NewPCG(3, 4))
	var entries []scoring.RosterEntry
	scores := map[int64]skillarena.Points{}
	for i, u := range users {
		entries = append(entries, scoring.RosterEntry{StageID: st.ID, TeamID: u.OrgUnitID, UserID: u.ID, Slot: scoring.SlotWritten, CreatedAt: now})
		switch i % benchPerTeam {
		case 0:
			entries = append(entries, scoring.RosterEntry{StageID: st.ID, TeamID: u.OrgUnitID, UserID: u.ID, Slot: scoring.SlotNominee, CreatedAt: now})
		case 1:
			entries = append(entries, scoring.RosterEntry{StageID: st.ID, TeamID: u.OrgUnitID, UserID: u.ID, Slot: scoring.SlotDrawn, CreatedAt: now})
		}
		if rng.IntN(20) > 0 {
			scores[u.ID] = skillarena.Points(5000 + rng.IntN(5000))
		}
	}
	require.NoError(b, db.CreateInBatches(&entries, 500).Error)
	setWritten(b, db, clock, st, staff[0].ID, scores)
	a, err := svc.Access(ctx, scope, st.ID)
	require.NoError(b, err)
	return svc, a, admin
}

// benchDatabases runs f on SQLite and, when configured, on MySQL.
func benchDatabases(b *testing.B, f func(b *testing.B, db *gorm.DB, clock *skillarena.FixedClock)) {
	b.Run("sqlite", func(b *testing.B) {
		c := skillarena.NewFixedClock(dbtest.Clock)
		f(b, dbtest.SQLite(b, c), c)
	})
	b.Run("mysql", func(b *testing.B) {
		c := skillarena.NewFixedClock(dbtest.Clock)
		f(b, dbtest.MySQL(b, c), c)
	})
}

// BenchmarkRanking10kFromDatabase is the draft ranking an organiser opens:
// the rosters, the written scores and the practical scores read from the
// database, then computed.
func BenchmarkRanking10kFromDatabase(b *testing.B) {
	benchDatabases(b, func(b *testing.B, db *gorm.DB, clock *skillarena.FixedClock) {
		svc, a, ctx := seedStage10k(b, db, clock)
		b.ResetTimer()
		for b.Loop() {
			r, err := svc.DraftRanking(ctx, a)
			if err != nil || len(r.Individuals) != benchTeams*benchPerTeam {
				b.Fatalf("%v, %d individuals", err, len(r.Individuals))
			}
		}
	})
}

// BenchmarkPublish10k publishes that ranking: read, compute, store the
// snapshot of both rankings as a new version, audit. Each iteration changes
// one score first so that every publication is a real correction.
func BenchmarkPublish10k(b *testing.B) {
	benchDatabases(b, func(b *testing.B, db *gorm.DB, clock *skillarena.FixedClock) {
		svc, a, ctx := seedStage10k(b, db, clock)
		var attemptID int64
		require.NoError(b, db.Model(&exam.Attempt{}).Where("exam_id = ?", *a.Stage.WrittenExamID).Order("id").Limit(1).Pluck("id", &attemptID).Error)
		n := 0
		b.ResetTimer()
		for b.Loop() {
			b.StopTimer()
			n++
			require.NoError(b, db.Model(&exam.Attempt{}).Where("id = ?", attemptID).Update("score", skillarena.Points(n)).Error)
			clock.Advance(time.Second)
			b.StartTimer()
			if _, err := svc.Publish(ctx, a, scoring.PublishInput{Note: fmt.Sprintf("更正 %d", n), AllowPending: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database/dbtest"
	"skillarena/demo"
	"skillarena/exam"
	"skillarena/org"
	"skillarena/scoring"
)

// API.md's demo competition: a provincial stage with the six counties as
// teams, its written round marked (one absentee), the draw made, and the
// practical round partly marked, with one discrepancy waiting for the chief.
func TestDemo_CompetitionInProgress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		ctx := context.Background()
		o := org.NewService(db, clock, org.Options{Hasher: org.NewHasher(org.Argon2Params{Memory: 64, Time: 1, Threads: 1})})
		c := content.NewService(db, clock, o.Audit())
		x := exam.NewService(db, clock, o.Audit(), c)
		_, err := demo.Load(ctx, clock, o, c, x)
		require.NoError(t, err)
		start := time.Now()
		require.NoError(t, demo.LoadCompetition(ctx, clock, o))
		t.Logf("demo competition loaded in %v", time.Since(start))

		ss := scoring.NewService(db, clock, o.Audit(), x)
		prov, err := o.UnitByCode(ctx, "PROV")
		require.NoError(t, err)
		stages, err := ss.ListStages(ctx, org.Scope{Paths: []string{prov.Path}})
		require.NoError(t, err)
		require.Len(t, stages, 1)
		st := stages[0]
		assert.Equal(t, demo.FinalStage, st.Name)
		assert.Equal(t, 6, st.TeamCount)
		require.NotNil(t, st.WrittenExamID)

		scores, err := x.ContestantScores(ctx, *st.WrittenExamID)
		require.NoError(t, err)
		assert.Len(t, scores, 47, "48 on the rosters, one absent")
		for _, s := range scores {
			assert.True(t, s.Graded, "every written answer is marked")
		}
		access, err := ss.Access(ctx, org.Scope{Paths: []string{prov.Path}}, st.ID)
		require.NoError(t, err)
		rosters, err := ss.Rosters(ctx, access)
		require.NoError(t, err)
		for _, r := range rosters {
			assert.Len(t, r.Written, 8)
			require.NotNil(t, r.Drawn, "the draw is made")
		}
		practical, err := ss.PracticalScores(ctx, st.ID)
		require.NoError(t, err)
		assert.Len(t, practical, 12)
		complete, open := 0, 0
		for _, p := range practical {
			if p.Complete {
				complete++
			}
			if p.Discrepancy {
				open++
			}
		}
		assert.Equal(t, 7, complete, "eight signed off, one of them waiting for the chief")
		assert.Equal(t, 1, open)
	})
}

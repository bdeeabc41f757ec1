package scoring_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/scoring"
)

func selected(v scoring.SelectionView) map[int64][]int64 {
	out := map[int64][]int64{}
	for _, r := range v.Rows {
		if r.Selected {
			out[r.Unit.ID] = append(out[r.Unit.ID], r.Contestant.ID)
		}
	}
	return out
}

// Top K per unit takes each team's best K by the published ranking, and
// everyone sharing the K-th place; choices by hand need a reason; the
// confirmed selection is the next stage's candidate pool and is final.
func TestSelection_TopKPerUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		pr, _ := workedExample(t, db, clock)
		ctx := as(pr.admin)
		organiser := pr.access(t, pr.stage, pr.prov)
		rule := scoring.SelectionRule{Kind: scoring.SelectTopPerUnit, K: 1}

		_, err := pr.svc.ProposeSelection(ctx, organiser, rule, nil)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "nothing published")
		pub, err := pr.svc.Publish(ctx, organiser, scoring.PublishInput{AllowPending: true})
		require.NoError(t, err)
		r, err := pub.Ranking()
		require.NoError(t, err)
		_, err = pr.svc.ProposeSelection(ctx, pr.access(t, pr.stage, pr.c1), rule, nil)
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err), "a team organiser does not select")
		_, err = pr.svc.ProposeSelection(ctx, organiser, scoring.SelectionRule{Kind: scoring.SelectTopPerUnit}, nil)
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "K is at least 1")

		v, err := pr.svc.ProposeSelection(ctx, organiser, rule, nil)
		require.NoError(t, err)
		assert.Len(t, v.Rows, len(r.Individuals), "every contestant, selected or not")
		sel := selected(v)
		// Team A's best by the published ranking (its nominee or its drawn
		// contestant, who did the practical); team B's nominee and drawn
		// contestant share their team's first place (83.26 each).
		bestA := int64(0)
		for _, row := range r.Individuals {
			if row.Team.ID == pr.c1.ID {
				bestA = row.Contestant.ID
				break
			}
		}
		assert.Contains(t, []int64{pr.nominee[pr.c1.ID], pr.drawn[pr.c1.ID]}, bestA)
		assert.Equal(t, []int64{bestA}, sel[pr.c1.ID])
		assert.ElementsMatch(t, []int64{pr.nominee[pr.c2.ID], pr.drawn[pr.c2.ID]}, sel[pr.c2.ID])

		v, err = pr.svc.ProposeSelection(ctx, organiser, scoring.SelectionRule{Kind: scoring.SelectTopPerUnit, K: 2}, nil)
		require.NoError(t, err)
		sel = selected(v)
		assert.Len(t, sel[pr.c1.ID], 2)
		assert.Len(t, sel[pr.c2.ID], 2)
		for _, row := range v.Rows {
			assert.Equal(t, row.PlaceInUnit <= 2, row.Selected, "%s: place %d in unit", row.Contestant.Name, row.PlaceInUnit)
		}

		// By hand: a reason is required.
		extra := pr.members[pr.c1.ID][7]
		_, err = pr.svc.ProposeSelection(ctx, organiser, rule, []scoring.SelectionChoice{{UserID: extra, Selected: true}})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err))
		_, err = pr.svc.ProposeSelection(ctx, organiser, rule, []scoring.SelectionChoice{{UserID: pr.members[pr.c1.ID][9], Selected: true, Reason: "x"}})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "not in the results")
		v, err = pr.svc.ProposeSelection(ctx, organiser, rule, []scoring.SelectionChoice{{UserID: extra, Selected: true, Reason: "笔试缺考系因公出差，经组委会同意补选"}})
		require.NoError(t, err)
		sel = selected(v)
		assert.ElementsMatch(t, []int64{bestA, extra}, sel[pr.c1.ID])

		next, err := pr.svc.CreateStage(ctx, scopeOf(pr.prov), scoring.StageInput{CompetitionID: pr.stage.CompetitionID, OrgUnitID: pr.prov.ID,
			Name: "集训", Kind: scoring.StageIndividuals, PreviousStageID: &pr.stage.ID})
		require.NoError(t, err)
		nextAccess := pr.access(t, next, pr.prov)
		pool, err := pr.svc.CandidatePool(context.Background(), nextAccess)
		require.NoError(t, err)
		assert.Empty(t, pool, "not confirmed yet")

		v, err = pr.svc.ConfirmSelection(ctx, organiser)
		require.NoError(t, err)
		require.NotNil(t, v.ConfirmedAt)
		_, err = pr.svc.ConfirmSelection(ctx, organiser)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
		_, err = pr.svc.ProposeSelection(ctx, organiser, rule, nil)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "a confirmed selection is final")

		pool, err = pr.svc.CandidatePool(context.Background(), nextAccess)
		require.NoError(t, err)
		var ids []int64
		for _, row := range pool {
			ids = append(ids, row.Contestant.ID)
		}
		assert.ElementsMatch(t, []int64{bestA, extra, pr.nominee[pr.c2.ID], pr.drawn[pr.c2.ID]}, ids)

		// The next stage's roster takes only its candidates.
		nextAccess = pr.access(t, next, pr.prov)
		var outsider int64
		for _, u := range pr.members[pr.c1.ID] {
			if u != bestA && u != extra {
				outsider = u
				break
			}
		}
		err = pr.svc.SetRoster(ctx, nextAccess, 0, scoring.RosterInput{Written: []int64{bestA, outsider}})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "not selected from the previous stage")
		require.NoError(t, pr.svc.SetRoster(ctx, nextAccess, 0, scoring.RosterInput{Written: ids}))
		rs, err := pr.svc.Rosters(ctx, nextAccess)
		require.NoError(t, err)
		require.Len(t, rs, 1)
		assert.Len(t, rs[0].Written, 4)
		assert.Equal(t, 1, auditCount(t, pr.org, scopeOf(pr.prov), "selection.confirm"))
	})
}

// Top N overall takes the stage's best N, ties at the cut included; a
// selection made from an older version cannot be confirmed.
func TestSelection_TopNOverallAndStaleVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		pr, examID := workedExample(t, db, clock)
		ctx := as(pr.admin)
		organiser := pr.access(t, pr.stage, pr.prov)
		_, err := pr.svc.Publish(ctx, organiser, scoring.PublishInput{AllowPending: true})
		require.NoError(t, err)
		v, err := pr.svc.ProposeSelection(ctx, organiser, scoring.SelectionRule{Kind: scoring.SelectTopOverall, N: 3}, nil)
		require.NoError(t, err)
		n := 0
		for _, row := range v.Rows {
			assert.Equal(t, row.Place <= 3, row.Selected)
			if row.Selected {
				n++
			}
		}
		assert.GreaterOrEqual(t, n, 3)

		remark(t, db, examID, pr.members[pr.c1.ID][3], p("99.00"))
		_, err = pr.svc.Publish(ctx, organiser, scoring.PublishInput{AllowPending: true, Note: "更正"})
		require.NoError(t, err)
		_, err = pr.svc.ConfirmSelection(ctx, organiser)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "made from version 1, version 2 is out")
	})
}

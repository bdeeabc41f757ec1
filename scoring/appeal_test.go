package scoring_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/scoring"
)

// A contestant appeals only their own published result, inside the window,
// one open appeal at a time; an organiser assigns a re-mark and records the
// outcome; a changed score publishes a new version with the note. Audited.
func TestAppeal_AContestantAppealsOnlyTheirOwnResult(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		pr, examID := workedExample(t, db, clock)
		organiser := pr.access(t, pr.stage, pr.prov)
		a1, a2 := pr.members[pr.c1.ID][1], pr.members[pr.c1.ID][2]
		outsider := pr.members[pr.c1.ID][9] // not on the roster

		_, err := pr.svc.FileAppeal(as(a1), a1, pr.stage.ID, "笔试第三题评分有误")
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "nothing published yet")
		_, err = pr.svc.Publish(as(pr.admin), organiser, scoring.PublishInput{AllowPending: true})
		require.NoError(t, err)

		_, err = pr.svc.FileAppeal(as(outsider), outsider, pr.stage.ID, "我也要申诉")
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "no result of theirs in the stage")
		_, err = pr.svc.FileAppeal(as(a1), a1, pr.stage.ID, "  ")
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "a reason is required")
		ap, err := pr.svc.FileAppeal(as(a1), a1, pr.stage.ID, "笔试第三题评分有误")
		require.NoError(t, err)
		assert.Equal(t, scoring.AppealOpen, ap.Status)
		assert.Equal(t, 1, ap.Version)
		_, err = pr.svc.FileAppeal(as(a1), a1, pr.stage.ID, "再次申诉")
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "one open appeal at a time")

		// Only the stage's organisers handle it; a county organiser finds nothing.
		_, err = pr.svc.AssignAppeal(as(pr.admin), scopeOf(pr.c1), ap.ID, pr.judges[1], "")
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
		_, err = pr.svc.AssignAppeal(as(pr.admin), scopeOf(pr.prov), ap.ID, a1, "")
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "not the appellant")
		d, err := pr.svc.AssignAppeal(as(pr.admin), scopeOf(pr.prov), ap.ID, pr.judges[1], "请复评第三题")
		require.NoError(t, err)
		assert.Equal(t, scoring.AppealAssigned, d.Status)
		require.NotNil(t, d.AssigneeName)
		assert.Equal(t, "评委2", *d.AssigneeName)

		// "Changed" needs the re-mark to have changed the score.
		_, err = pr.svc.ResolveAppeal(as(pr.admin), scopeOf(pr.prov), ap.ID, scoring.AppealChanged, "复评后加分")
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
		remark(t, db, examID, a1, p("93.00"))
		d, err = pr.svc.ResolveAppeal(as(pr.admin), scopeOf(pr.prov), ap.ID, scoring.AppealChanged, "复评后笔试成绩更正为 93.00")
		require.NoError(t, err)
		assert.Equal(t, scoring.AppealResolved, d.Status)
		require.NotNil(t, d.ResultVersion)
		assert.Equal(t, 2, *d.ResultVersion)
		pub, r, err := pr.svc.PublicResults(context.Background(), pr.stage.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, pub.Version)
		assert.Equal(t, "复评后笔试成绩更正为 93.00", pub.Note)
		assert.Equal(t, "93.00", writtenOf(t, r, a1))
		_, err = pr.svc.ResolveAppeal(as(pr.admin), scopeOf(pr.prov), ap.ID, scoring.AppealUnchanged, "再次")
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "resolved once")

		mine, err := pr.svc.MyAppeals(context.Background(), a1)
		require.NoError(t, err)
		require.Len(t, mine, 1)
		assert.Equal(t, scoring.AppealResolved, mine[0].Status)
		others, err := pr.svc.MyAppeals(context.Background(), a2)
		require.NoError(t, err)
		assert.Empty(t, others, "a contestant sees only their own appeals")
		all, err := pr.svc.Appeals(context.Background(), organiser)
		require.NoError(t, err)
		assert.Len(t, all, 1)

		// The window of version 1 (72 hours) carries over to its correction.
		clock.Advance(73 * time.Hour)
		_, err = pr.svc.FileAppeal(as(a2), a2, pr.stage.ID, "实操评分不公")
		assert.Equal(t, skillarena.EDEADLINEPASSED, skillarena.ErrorCode(err))

		for _, action := range []string{"appeal.file", "appeal.assign", "appeal.resolve"} {
			assert.Equal(t, 1, auditCount(t, pr.org, scopeOf(pr.prov), action), action)
		}
	})
}

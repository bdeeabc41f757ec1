package scoring_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/org"
	"skillarena/scoring"
)

func writtenOf(t *testing.T, r scoring.Ranking, userID int64) string {
	t.Helper()
	for _, row := range r.Individuals {
		if row.Contestant.ID == userID {
			require.NotNil(t, row.Written)
			return *row.Written
		}
	}
	t.Fatalf("contestant %d not in the ranking", userID)
	return ""
}

func auditCount(t *testing.T, o *org.Service, scope org.Scope, action string) int {
	t.Helper()
	entries, _, err := o.ListAudit(context.Background(), scope, org.AuditFilter{Action: action})
	require.NoError(t, err)
	return len(entries)
}

// A published version is immutable: a correction publishes version 2 with a
// change note; version 1 stays as it was, readable by organisers (the stage's
// and the teams'), while the public sees the latest only.
func TestPublication_APublishedVersionIsImmutableAndACorrectionMakesVersion2(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		pr, examID := workedExample(t, db, clock)
		ctx := as(pr.admin)
		organiser := pr.access(t, pr.stage, pr.prov)
		county := pr.access(t, pr.stage, pr.c1)
		a0 := pr.members[pr.c1.ID][0]

		_, err := pr.svc.Publish(ctx, organiser, scoring.PublishInput{})
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "team A's nominee has an open discrepancy")
		_, err = pr.svc.Publish(ctx, county, scoring.PublishInput{AllowPending: true})
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err), "a team organiser does not publish")

		v1, err := pr.svc.Publish(ctx, organiser, scoring.PublishInput{AllowPending: true})
		require.NoError(t, err)
		assert.Equal(t, 1, v1.Version)
		_, err = pr.svc.Publish(ctx, organiser, scoring.PublishInput{AllowPending: true, Note: "再发一次"})
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "nothing changed")

		// A re-mark changes a written score; the correction needs a note.
		remark(t, db, examID, a0, p("96.50"))
		_, err = pr.svc.Publish(ctx, organiser, scoring.PublishInput{AllowPending: true})
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "ranking.note_required", e.Fields["note"])
		clock.Advance(time.Hour)
		v2, err := pr.svc.Publish(ctx, organiser, scoring.PublishInput{AllowPending: true, Note: "复核更正：一县选手笔试成绩"})
		require.NoError(t, err)
		assert.Equal(t, 2, v2.Version)

		// Version 1 is as it was published, byte for byte.
		old, err := pr.svc.PublishedVersion(context.Background(), pr.stage.ID, 1)
		require.NoError(t, err)
		assert.Equal(t, v1.SnapshotJSON, old.SnapshotJSON)
		sum := sha256.Sum256([]byte(old.SnapshotJSON))
		assert.Equal(t, hex.EncodeToString(sum[:]), old.SnapshotSHA256)
		r1, err := old.Ranking()
		require.NoError(t, err)
		assert.Equal(t, "86.50", writtenOf(t, r1, a0))

		// The public sees version 2.
		pub, r2, err := pr.svc.PublicResults(context.Background(), pr.stage.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, pub.Version)
		assert.Equal(t, "96.50", writtenOf(t, r2, a0))
		assert.Equal(t, "复核更正：一县选手笔试成绩", pub.Note)

		// Both versions are listed for organisers, the team's too.
		for _, a := range []scoring.StageAccess{organiser, county} {
			vs, err := pr.svc.Publications(context.Background(), a)
			require.NoError(t, err)
			require.Len(t, vs, 2)
			assert.Equal(t, []int{2, 1}, []int{vs[0].Version, vs[1].Version})
			assert.Equal(t, "管理员", vs[0].PublishedByName)
		}
		assert.Equal(t, 2, auditCount(t, pr.org, scopeOf(pr.prov), "ranking.publish"))

		// Nothing published answers not found.
		_, _, err = pr.svc.PublicResults(context.Background(), pr.stage.ID+1000)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
	})
}

// The draft needs no publication and the stage's organisers only.
func TestPublication_DraftIsForTheStageOrganiserOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		pr, _ := workedExample(t, db, clock)
		_, err := pr.svc.DraftRanking(context.Background(), pr.access(t, pr.stage, pr.c1))
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err))
		_, _, err = pr.svc.PublicResults(context.Background(), pr.stage.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "nothing published yet")
	})
}

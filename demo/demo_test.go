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
)

// The demo holds the org tree and accounts of API.md, and a province bank of
// approved questions covering all seven topics and all six types.
func TestDemo_LoadsAccountsBankAndMaterial(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		o := org.NewService(db, clock, org.Options{Hasher: org.NewHasher(org.Argon2Params{Memory: 64, Time: 1, Threads: 1})})
		c := content.NewService(db, clock, o.Audit())
		start := time.Now()
		x := exam.NewService(db, clock, o.Audit(), c)
		accounts, err := demo.Load(context.Background(), clock, o, c, x)
		require.NoError(t, err)
		t.Logf("demo loaded in %v", time.Since(start))
		assert.Len(t, accounts, 3+6+2+1+5+60)

		prov, err := o.UnitByCode(context.Background(), "PROV")
		require.NoError(t, err)
		sc := org.Scope{Paths: []string{prov.Path}}
		counts, err := c.Counts(context.Background(), sc, 0)
		require.NoError(t, err)
		topics, err := c.ListTopics(context.Background())
		require.NoError(t, err)
		byID := map[int64]content.Topic{}
		for _, tp := range topics {
			byID[tp.ID] = tp
		}
		top := map[int64]int64{}
		for _, tp := range topics {
			root := tp
			for root.ParentID != nil {
				root = byID[*root.ParentID]
			}
			top[tp.ID] = root.ID
		}
		byTopic, byType := map[int64]int64{}, map[content.QuestionType]int64{}
		var total int64
		for _, x := range counts {
			byTopic[top[x.TopicID]] += x.Count
			byType[x.Type] += x.Count
			total += x.Count
		}
		assert.GreaterOrEqual(t, total, int64(300), "at least 300 approved questions")
		for id := int64(1); id <= 7; id++ {
			assert.GreaterOrEqual(t, byTopic[id], int64(40), "topic %d", id)
		}
		for _, ty := range content.QuestionTypes {
			assert.Positive(t, byType[ty], "type %s", ty)
		}
		ms, err := c.ListMaterials(context.Background(), sc, 0)
		require.NoError(t, err)
		assert.NotEmpty(t, ms)
		// Every demo contestant can start the mock exam at once.
		var examID int64
		require.NoError(t, db.Table("exams").Where("title = ?", demo.MockExam).Pluck("id", &examID).Error)
		var eng int64
		require.NoError(t, db.Table("users").Where("username = ?", "eng060").Pluck("id", &eng).Error)
		a, err := x.Start(context.Background(), eng, examID)
		require.NoError(t, err)
		assert.Len(t, a.Items, 7*3+3+2+1)

		v, err := o.VerifyAudit(context.Background())
		require.NoError(t, err)
		assert.True(t, v.OK)
	})
}

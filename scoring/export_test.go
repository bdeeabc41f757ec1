package scoring_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/scoring"
)

// label renders a message id with its arguments, standing in for the
// server's translations.
func label(id string, args map[string]any) string {
	if len(args) == 0 {
		return id
	}
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(id)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, args[k])
	}
	return b.String()
}

func exportDoc(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) scoring.ExportDoc {
	pr, _ := workedExample(t, db, clock)
	r, err := pr.svc.DraftRanking(context.Background(), pr.access(t, pr.stage, pr.prov))
	require.NoError(t, err)
	v := 1
	return scoring.ExportDoc{Competition: "客维服务劳动竞赛", Ranking: r, Version: &v, PublishedAt: &r.ComputedAt, T: label}
}

// What the exports show of DOMAIN.md's worked example is the ranking's
// exact text: the table's figures, and per team how its figures follow from
// its members' (the absentee counted as 0 of 8). The server draws these
// rows as xlsx and PDF (server/export_test.go).
func TestExport_RankingTableAndScoreSheetShowTheExactFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		doc := exportDoc(t, db, clock)
		assert.Equal(t, "客维服务劳动竞赛 · 省决赛", doc.Title())
		assert.Equal(t, "ranking.export.version Time="+doc.Ranking.ComputedAt.UTC().Format(time.RFC3339)+" Version=1", doc.Status())
		assert.Contains(t, doc.Rules(), "Practical=0.60")
		assert.Contains(t, doc.Rules(), "Written=0.40")

		rows := scoring.RankingTable(doc, scoring.RankingTeam)
		require.Len(t, rows, 3, "header, two teams")
		assert.Equal(t, []string{"1", "一县", "73.89", "89.50", "83.26"}, rows[1])
		assert.Equal(t, []string{"2", "二县", "74.35", "89.20", "83.26"}, rows[2])
		assert.Len(t, scoring.RankingTable(doc, scoring.RankingIndividual), 1+len(doc.Ranking.Individuals))

		members, lines := scoring.ScoreSheet(doc, doc.Ranking.Teams[0])
		assert.Len(t, members, 1+len(doc.Ranking.Teams[0].Members), "header, a row per member")
		assert.Contains(t, lines, "ranking.export.sheet_written N=8 Sum=86.50 + 91.00 + 78.25 + 88.75 + 69.50 + 95.00 + 82.10 + 0 Value=73.89")
		assert.Contains(t, lines, "ranking.export.sheet_total Practical=0.60 Value=83.26 Written=0.40")
	})
}

package scoring_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
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

func exportDoc(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) (*practical, scoring.ExportDoc) {
	pr, _ := workedExample(t, db, clock)
	r, err := pr.svc.DraftRanking(context.Background(), pr.access(t, pr.stage, pr.prov))
	require.NoError(t, err)
	v := 1
	return pr, scoring.ExportDoc{Competition: "客维服务劳动竞赛", Ranking: r, Version: &v, PublishedAt: &r.ComputedAt, T: label}
}

// The xlsx exports carry the figures of the ranking and, per team, how its
// figures follow from its members'.
func TestExport_XLSXRankingAndScoreSheets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		pr, doc := exportDoc(t, db, clock)
		var buf bytes.Buffer
		require.NoError(t, scoring.WriteRankingXLSX(&buf, doc, scoring.RankingTeam))
		f, err := excelize.OpenReader(&buf)
		require.NoError(t, err)
		rows, err := f.GetRows(f.GetSheetName(0))
		require.NoError(t, err)
		require.Len(t, rows, 7, "title, version, rules, blank, header, two teams")
		assert.Equal(t, "客维服务劳动竞赛 · 省决赛", rows[0][0])
		assert.Equal(t, []string{"1", "一县", "73.89", "89.50", "83.26"}, rows[5])
		assert.Equal(t, []string{"2", "二县", "74.35", "89.20", "83.26"}, rows[6])

		buf.Reset()
		require.NoError(t, scoring.WriteRankingXLSX(&buf, doc, scoring.RankingIndividual))
		f, err = excelize.OpenReader(&buf)
		require.NoError(t, err)
		rows, err = f.GetRows(f.GetSheetName(0))
		require.NoError(t, err)
		assert.Len(t, rows, 5+len(doc.Ranking.Individuals))

		buf.Reset()
		require.NoError(t, scoring.WriteScoreSheetsXLSX(&buf, doc, 0))
		f, err = excelize.OpenReader(&buf)
		require.NoError(t, err)
		assert.Equal(t, []string{"一县", "二县"}, f.GetSheetList(), "a sheet per team")
		rows, err = f.GetRows("一县")
		require.NoError(t, err)
		var lines []string
		for _, r := range rows {
			if len(r) > 0 {
				lines = append(lines, r[0])
			}
		}
		text := strings.Join(lines, "\n")
		assert.Contains(t, text, "ranking.export.sheet_written N=8 Sum=86.50 + 91.00 + 78.25 + 88.75 + 69.50 + 95.00 + 82.10 + 0 Value=73.89")
		assert.Contains(t, text, "ranking.export.sheet_total Practical=0.60 Value=83.26 Written=0.40")

		buf.Reset()
		require.NoError(t, scoring.WriteScoreSheetsXLSX(&buf, doc, pr.c2.ID))
		f, err = excelize.OpenReader(&buf)
		require.NoError(t, err)
		assert.Equal(t, []string{"二县"}, f.GetSheetList(), "one team")
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(scoring.WriteScoreSheetsXLSX(&buf, doc, 999999)))
	})
}

// pdfText extracts a PDF's text with poppler's pdftotext when it is
// installed (the font is embedded as a subset with its Unicode map).
func pdfText(t *testing.T, pdf []byte) (string, bool) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return "", false
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, pdf, 0o600))
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	require.NoError(t, err)
	return string(out), true
}

// The PDF exports embed the Chinese and Latin fonts: the text extracts as
// written, Chinese names and figures alike.
func TestExport_PDFEmbedsAChineseFont(t *testing.T) {
	if err := scoring.PDFAvailable(); err != nil {
		// docs/EXPORTS.md: apt-get install fonts-droid-fallback fonts-dejavu-core
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs the PDF fonts (.ci/run installs them): %v", err)
		}
		t.Skipf("no PDF fonts on this machine: %v", err)
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		_, doc := exportDoc(t, db, clock)
		var buf bytes.Buffer
		require.NoError(t, scoring.WriteRankingPDF(&buf, doc, scoring.RankingTeam))
		require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
		assert.Contains(t, buf.String(), "FontFile2", "the font is embedded")
		if text, ok := pdfText(t, buf.Bytes()); ok {
			assert.Contains(t, text, "一县")
			assert.Contains(t, text, "83.26")
			assert.Contains(t, text, "客维服务劳动竞赛")
		}

		buf.Reset()
		require.NoError(t, scoring.WriteScoreSheetsPDF(&buf, doc, 0))
		if text, ok := pdfText(t, buf.Bytes()); ok {
			assert.Contains(t, text, "ranking.export.score_sheet Team=二县")
		}
		buf.Reset()
		require.NoError(t, scoring.WriteCertificatesPDF(&buf, doc, scoring.RankingIndividual, 2))
		if text, ok := pdfText(t, buf.Bytes()); ok {
			assert.Contains(t, text, "ranking.export.certificate")
			assert.Contains(t, text, "Rank=1")
		}
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(scoring.WriteCertificatesPDF(&buf, doc, scoring.RankingTeam, 0)), "nobody placed 0th")
	})
}

package server

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"skillarena"
	"skillarena/scoring"
)

// exportLabel renders a message id with its arguments, standing in for the
// translations, so a test can read which label and figures a cell holds.
func exportLabel(id string, args map[string]any) string {
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

// exportTestDoc is DOMAIN.md's worked example as a published ranking, built
// by hand: team 一县 (id 1) has seven written scores and an absentee, its
// nominee 87.67 and drawn contestant 91.33 in the practical; team 二县 (id
// 2) has 74.35 written and 89.20 practical all round. Both total 83.26; 一县
// ranks first on the practical score. Four of the contestants are in the
// individual ranking.
func exportTestDoc() scoring.ExportDoc {
	fig := func(s string) *string { return &s }
	nominee, drawn := scoring.SlotNominee, scoring.SlotDrawn
	a := scoring.RankingRef{ID: 1, Name: "一县"}
	b := scoring.RankingRef{ID: 2, Name: "二县"}
	var membersA, membersB []scoring.RankingMember
	for i, w := range []string{"86.50", "91.00", "78.25", "88.75", "69.50", "95.00", "82.10", ""} {
		m := scoring.RankingMember{Contestant: scoring.RankingRef{ID: int64(101 + i), Name: fmt.Sprintf("甲%d", i+1)}, InWritten: true}
		if w == "" {
			m.Absent = true
		} else {
			m.Written = fig(w)
		}
		membersA = append(membersA, m)
		membersB = append(membersB, scoring.RankingMember{Contestant: scoring.RankingRef{ID: int64(201 + i), Name: fmt.Sprintf("乙%d", i+1)},
			InWritten: true, Written: fig("74.35")})
	}
	membersA[0].PracticalRole, membersA[0].Practical = &nominee, fig("87.67")
	membersA[1].PracticalRole, membersA[1].Practical = &drawn, fig("91.33")
	membersB[0].PracticalRole, membersB[0].Practical = &nominee, fig("89.20")
	membersB[1].PracticalRole, membersB[1].Practical = &drawn, fig("89.20")
	unitA, unitB := scoring.RankingRef{ID: 11, Name: "一县供电公司"}, scoring.RankingRef{ID: 12, Name: "二县供电公司"}
	at := time.Date(2024, 5, 20, 9, 30, 0, 0, time.UTC)
	v := 1
	return scoring.ExportDoc{
		Competition: "客维服务劳动竞赛",
		Ranking: scoring.Ranking{
			Stage: scoring.RankingStage{ID: 7, Name: "省决赛", Kind: scoring.StageTeams, Precision: 2,
				Weights:           scoring.RankingWeights{Written: "0.40", Practical: "0.60"},
				WrittenRosterSize: 8, PracticalSize: 2, AbsentCountsAsZero: true},
			Teams: []scoring.TeamRanking{
				{Rank: 1, Team: a, Written: "73.89", Practical: "89.50", Total: "83.26", Members: membersA},
				{Rank: 2, Team: b, Written: "74.35", Practical: "89.20", Total: "83.26", Members: membersB},
			},
			Individuals: []scoring.IndividualRanking{
				{Rank: 1, Contestant: membersA[1].Contestant, Team: &a, Unit: unitA, Written: fig("91.00"), Practical: fig("91.33"), Total: "91.20"},
				{Rank: 2, Contestant: membersA[0].Contestant, Team: &a, Unit: unitA, Written: fig("86.50"), Practical: fig("87.67"), Total: "87.20"},
				{Rank: 3, Contestant: membersB[0].Contestant, Team: &b, Unit: unitB, Written: fig("74.35"), Practical: fig("89.20"), Total: "83.26"},
				{Rank: 4, Contestant: membersA[7].Contestant, Team: &a, Unit: unitA, Total: "0.00", Absent: true},
			},
			ComputedAt: at,
		},
		Version:     &v,
		PublishedAt: &at,
		T:           exportLabel,
	}
}

// The xlsx exports carry the figures of the ranking and, per team, how its
// figures follow from its members'.
func TestExport_XLSXRankingAndScoreSheets(t *testing.T) {
	doc := exportTestDoc()
	var buf bytes.Buffer
	require.NoError(t, writeRankingXLSX(&buf, doc, scoring.RankingTeam))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	rows, err := f.GetRows(f.GetSheetName(0))
	require.NoError(t, err)
	require.Len(t, rows, 7, "title, version, rules, blank, header, two teams")
	assert.Equal(t, "客维服务劳动竞赛 · 省决赛", rows[0][0])
	assert.Equal(t, []string{"1", "一县", "73.89", "89.50", "83.26"}, rows[5])
	assert.Equal(t, []string{"2", "二县", "74.35", "89.20", "83.26"}, rows[6])

	buf.Reset()
	require.NoError(t, writeRankingXLSX(&buf, doc, scoring.RankingIndividual))
	f, err = excelize.OpenReader(&buf)
	require.NoError(t, err)
	rows, err = f.GetRows(f.GetSheetName(0))
	require.NoError(t, err)
	assert.Len(t, rows, 5+len(doc.Ranking.Individuals))
	assert.Equal(t, []string{"4", "甲8", "一县", "一县供电公司", "ranking.export.absent", "–", "0.00"}, rows[8], "the absentee")

	buf.Reset()
	require.NoError(t, writeScoreSheetsXLSX(&buf, doc, 0))
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
	require.NoError(t, writeScoreSheetsXLSX(&buf, doc, 2))
	f, err = excelize.OpenReader(&buf)
	require.NoError(t, err)
	assert.Equal(t, []string{"二县"}, f.GetSheetList(), "one team")
	assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(writeScoreSheetsXLSX(&buf, doc, 999999)))
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
	if err := pdfAvailable(); err != nil {
		// docs/EXPORTS.md: apt-get install fonts-droid-fallback fonts-dejavu-core
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs the PDF fonts (.ci/run installs them): %v", err)
		}
		t.Skipf("no PDF fonts on this machine: %v", err)
	}
	doc := exportTestDoc()
	var buf bytes.Buffer
	require.NoError(t, writeRankingPDF(&buf, doc, scoring.RankingTeam))
	require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
	assert.Contains(t, buf.String(), "FontFile2", "the font is embedded")
	if text, ok := pdfText(t, buf.Bytes()); ok {
		assert.Contains(t, text, "一县")
		assert.Contains(t, text, "83.26")
		assert.Contains(t, text, "客维服务劳动竞赛")
	}

	buf.Reset()
	require.NoError(t, writeScoreSheetsPDF(&buf, doc, 0))
	if text, ok := pdfText(t, buf.Bytes()); ok {
		assert.Contains(t, text, "ranking.export.score_sheet Team=二县")
	}
	buf.Reset()
	require.NoError(t, writeCertificatesPDF(&buf, doc, scoring.RankingIndividual, 2))
	if text, ok := pdfText(t, buf.Bytes()); ok {
		assert.Contains(t, text, "ranking.export.certificate")
		assert.Contains(t, text, "Rank=1")
	}
	assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(writeCertificatesPDF(&buf, doc, scoring.RankingTeam, 0)), "nobody placed 0th")
}

package scoring

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"skillarena"
)

// Exports of a stage's results: the rankings, a score sheet per team and
// certificates, as xlsx workbooks (export.go) and PDF documents with an
// embedded Chinese font (export_pdf.go). Both render a Ranking as shown, a
// published version or the draft, with the same figures as the API.

// ExportText translates a message id of the export's labels (ranking.export.*)
// into the reader's language.
type ExportText func(id string, args map[string]any) string

// ExportDoc is what an export renders.
type ExportDoc struct {
	Competition string
	Ranking     Ranking
	// Version is the published version shown, nil for the draft.
	Version     *int
	PublishedAt *time.Time
	T           ExportText
}

// title is the document's title line.
func (d ExportDoc) title() string {
	if d.Competition == "" {
		return d.Ranking.Stage.Name
	}
	return d.Competition + " · " + d.Ranking.Stage.Name
}

// status says which version the document shows.
func (d ExportDoc) status() string {
	if d.Version == nil {
		return d.T("ranking.export.draft", map[string]any{"Time": d.Ranking.ComputedAt.UTC().Format(time.RFC3339)})
	}
	at := ""
	if d.PublishedAt != nil {
		at = d.PublishedAt.UTC().Format(time.RFC3339)
	}
	return d.T("ranking.export.version", map[string]any{"Version": *d.Version, "Time": at})
}

// rules is the line that says how the figures combine.
func (d ExportDoc) rules() string {
	st := d.Ranking.Stage
	absent := d.T("ranking.export.absent_zero", nil)
	if !st.AbsentCountsAsZero {
		absent = d.T("ranking.export.absent_left_out", nil)
	}
	return d.T("ranking.export.rules", map[string]any{"Written": st.Weights.Written, "Practical": st.Weights.Practical,
		"Size": st.WrittenRosterSize, "PracticalSize": st.PracticalSize, "Precision": st.Precision, "Absent": absent})
}

func deref(s *string) string {
	if s == nil {
		return "–"
	}
	return *s
}

// safeCell keeps a spreadsheet from running a name as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// xlsxSheetName makes a valid, unique worksheet name (at most 31
// characters, none of []:*?/\).
func xlsxSheetName(name string, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 28 {
		name = string(r[:28])
	}
	if name == "" {
		name = "Sheet"
	}
	out := name
	for i := 2; used[strings.ToLower(out)]; i++ {
		out = name + " " + strconv.Itoa(i)
	}
	used[strings.ToLower(out)] = true
	return out
}

type xlsxWriter struct {
	f    *excelize.File
	bold int
}

func newXLSX() (*xlsxWriter, error) {
	f := excelize.NewFile()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, err
	}
	return &xlsxWriter{f: f, bold: bold}, nil
}

// rows writes rows from row 1 down; header rows (0-based indices) are bold.
func (x *xlsxWriter) rows(sheet string, rows [][]any, header ...int) error {
	for i, r := range rows {
		for j, v := range r {
			if s, ok := v.(string); ok {
				r[j] = safeCell(s)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	for _, h := range header {
		if h >= len(rows) || len(rows[h]) == 0 {
			continue
		}
		from, _ := excelize.CoordinatesToCellName(1, h+1)
		to, _ := excelize.CoordinatesToCellName(len(rows[h]), h+1)
		if err := x.f.SetCellStyle(sheet, from, to, x.bold); err != nil {
			return err
		}
	}
	return nil
}

// RankingTable is a ranking as rows of text: the header, then one row per
// team or contestant. xlsx and PDF exports share it.
func RankingTable(d ExportDoc, kind RankingKind) [][]string {
	t := d.T
	if kind == RankingTeam {
		out := [][]string{{t("ranking.export.rank", nil), t("ranking.export.team", nil), t("ranking.export.written", nil),
			t("ranking.export.practical", nil), t("ranking.export.total", nil)}}
		for _, r := range d.Ranking.Teams {
			out = append(out, []string{strconv.Itoa(r.Rank), r.Team.Name, r.Written, r.Practical, r.Total})
		}
		return out
	}
	out := [][]string{{t("ranking.export.rank", nil), t("ranking.export.contestant", nil), t("ranking.export.team", nil),
		t("ranking.export.unit", nil), t("ranking.export.written", nil), t("ranking.export.practical", nil), t("ranking.export.total", nil)}}
	for _, r := range d.Ranking.Individuals {
		team := ""
		if r.Team != nil {
			team = r.Team.Name
		}
		written := deref(r.Written)
		if r.Absent {
			written = t("ranking.export.absent", nil)
		}
		out = append(out, []string{strconv.Itoa(r.Rank), r.Contestant.Name, team, r.Unit.Name, written, deref(r.Practical), r.Total})
	}
	return out
}

func anyRows(rows [][]string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = make([]any, len(r))
		for j, v := range r {
			out[i][j] = v
		}
	}
	return out
}

// WriteRankingXLSX writes a ranking as a workbook: the title, the version
// and the rules on top, then the table.
func WriteRankingXLSX(w io.Writer, d ExportDoc, kind RankingKind) error {
	x, err := newXLSX()
	if err != nil {
		return err
	}
	defer x.f.Close()
	sheet := xlsxSheetName(d.T("ranking.export.sheet_"+string(kind), nil), map[string]bool{})
	if err := x.f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	rows := [][]any{{d.title()}, {d.status()}, {d.rules()}, {}}
	rows = append(rows, anyRows(RankingTable(d, kind))...)
	if err := x.rows(sheet, rows, 0, 4); err != nil {
		return err
	}
	x.f.SetColWidth(sheet, "B", "D", 18)
	_, err = x.f.WriteTo(w)
	return err
}

// ScoreSheet is one team's score sheet as rows of text: its members with
// their figures, then how the team's figures follow from them.
func ScoreSheet(d ExportDoc, row TeamRanking) (members [][]string, lines []string) {
	t := d.T
	st := d.Ranking.Stage
	members = [][]string{{t("ranking.export.contestant", nil), t("ranking.export.in_written", nil), t("ranking.export.written", nil),
		t("ranking.export.practical_role", nil), t("ranking.export.practical", nil)}}
	var ws, ps []string
	for _, m := range row.Members {
		inW, written, role, practical := "", "", "", ""
		if m.InWritten {
			inW = t("ranking.export.yes", nil)
			written = deref(m.Written)
			if m.Absent {
				written = t("ranking.export.absent", nil)
			}
			if m.Written != nil {
				ws = append(ws, *m.Written)
			} else if st.AbsentCountsAsZero {
				ws = append(ws, "0")
			}
		}
		if m.PracticalRole != nil {
			role = t("ranking.export.role_"+string(*m.PracticalRole), nil)
			practical = deref(m.Practical)
			if m.Practical != nil {
				ps = append(ps, *m.Practical)
			} else if st.AbsentCountsAsZero {
				ps = append(ps, "0")
			}
		}
		members = append(members, []string{m.Contestant.Name, inW, written, role, practical})
	}
	wn, pn := st.WrittenRosterSize, st.PracticalSize
	if !st.AbsentCountsAsZero {
		wn, pn = len(ws), len(ps)
	}
	sum := func(vs []string) string {
		if len(vs) == 0 {
			return "0"
		}
		return strings.Join(vs, " + ")
	}
	lines = []string{
		t("ranking.export.sheet_written", map[string]any{"Sum": sum(ws), "N": wn, "Value": row.Written}),
		t("ranking.export.sheet_practical", map[string]any{"Sum": sum(ps), "N": pn, "Value": row.Practical}),
		t("ranking.export.sheet_total", map[string]any{"Written": st.Weights.Written, "Practical": st.Weights.Practical, "Value": row.Total}),
		t("ranking.export.sheet_rank", map[string]any{"Rank": row.Rank}),
	}
	return members, lines
}

// WriteScoreSheetsXLSX writes one worksheet per team (only teamID's when
// not 0): its members' figures and how the team's follow from them.
func WriteScoreSheetsXLSX(w io.Writer, d ExportDoc, teamID int64) error {
	x, err := newXLSX()
	if err != nil {
		return err
	}
	defer x.f.Close()
	used := map[string]bool{}
	first := true
	for _, row := range d.Ranking.Teams {
		if teamID != 0 && row.Team.ID != teamID {
			continue
		}
		sheet := xlsxSheetName(row.Team.Name, used)
		if first {
			if err := x.f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
			first = false
		} else if _, err := x.f.NewSheet(sheet); err != nil {
			return err
		}
		members, lines := ScoreSheet(d, row)
		rows := [][]any{{d.title()}, {d.T("ranking.export.score_sheet", map[string]any{"Team": row.Team.Name})}, {d.status()}, {d.rules()}, {}}
		rows = append(rows, anyRows(members)...)
		rows = append(rows, []any{})
		for _, l := range lines {
			rows = append(rows, []any{l})
		}
		if err := x.rows(sheet, rows, 0, 1, 5); err != nil {
			return err
		}
		x.f.SetColWidth(sheet, "A", "A", 18)
	}
	if first {
		return skillarena.NotFound("team")
	}
	_, err = x.f.WriteTo(w)
	return err
}

package server

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"skillarena"
	"skillarena/scoring"
)

// The xlsx exports of a stage's results: the rankings and a score sheet per
// team, drawn from scoring's exact text (scoring/export.go) cell by cell as
// strings, so a figure reads in the workbook exactly as the API gives it.

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

// xlsxWriter is a workbook being written, with its bold style.
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

// anyRows turns rows of text into the cells excelize writes.
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

// writeRankingXLSX writes a ranking as a workbook: the title, the version
// and the rules on top, then the table.
func writeRankingXLSX(w io.Writer, d scoring.ExportDoc, kind scoring.RankingKind) error {
	x, err := newXLSX()
	if err != nil {
		return err
	}
	defer x.f.Close()
	sheet := xlsxSheetName(d.T("ranking.export.sheet_"+string(kind), nil), map[string]bool{})
	if err := x.f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	rows := [][]any{{d.Title()}, {d.Status()}, {d.Rules()}, {}}
	rows = append(rows, anyRows(scoring.RankingTable(d, kind))...)
	if err := x.rows(sheet, rows, 0, 4); err != nil {
		return err
	}
	x.f.SetColWidth(sheet, "B", "D", 18)
	_, err = x.f.WriteTo(w)
	return err
}

// writeScoreSheetsXLSX writes one worksheet per team (only teamID's when
// not 0): its members' figures and how the team's follow from them.
func writeScoreSheetsXLSX(w io.Writer, d scoring.ExportDoc, teamID int64) error {
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
		members, lines := scoring.ScoreSheet(d, row)
		rows := [][]any{{d.Title()}, {d.T("ranking.export.score_sheet", map[string]any{"Team": row.Team.Name})}, {d.Status()}, {d.Rules()}, {}}
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

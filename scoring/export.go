package scoring

import (
	"strconv"
	"strings"
	"time"
)

// Exports of a stage's results: the rankings, a score sheet per team and
// certificates. This file holds what they show, as exact text: the figures
// are the API's strings, never converted to numbers. The server draws them
// as xlsx workbooks and PDF documents (server/export_xlsx.go and
// server/export_pdf.go), from a Ranking as shown, a published version or the
// draft.

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

// Title is the document's title line.
func (d ExportDoc) Title() string {
	if d.Competition == "" {
		return d.Ranking.Stage.Name
	}
	return d.Competition + " · " + d.Ranking.Stage.Name
}

// Status says which version the document shows.
func (d ExportDoc) Status() string {
	if d.Version == nil {
		return d.T("ranking.export.draft", map[string]any{"Time": d.Ranking.ComputedAt.UTC().Format(time.RFC3339)})
	}
	at := ""
	if d.PublishedAt != nil {
		at = d.PublishedAt.UTC().Format(time.RFC3339)
	}
	return d.T("ranking.export.version", map[string]any{"Version": *d.Version, "Time": at})
}

// Rules is the line that says how the figures combine.
func (d ExportDoc) Rules() string {
	st := d.Ranking.Stage
	absent := d.T("ranking.export.absent_zero", nil)
	if !st.AbsentCountsAsZero {
		absent = d.T("ranking.export.absent_left_out", nil)
	}
	return d.T("ranking.export.rules", map[string]any{"Written": st.Weights.Written, "Practical": st.Weights.Practical,
		"Size": st.WrittenRosterSize, "PracticalSize": st.PracticalSize, "Precision": st.Precision, "Absent": absent})
}

// deref shows a missing figure as a dash.
func deref(s *string) string {
	if s == nil {
		return "–"
	}
	return *s
}

// RankingTable is a ranking as rows of text: the header, then one row per
// team or contestant. The xlsx and PDF exports share it.
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

package server

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/go-pdf/fpdf"

	"skillarena"
	"skillarena/scoring"
)

// The PDF exports of a stage's results: the rankings, a score sheet per team
// and certificates, drawn from scoring's exact text (scoring/export.go). The
// page layout measures in millimetres with float64, as fpdf does; no figure
// is ever converted, only placed.
//
// PDF exports embed a subset of two TrueType fonts read from the machine:
// a Chinese one (Debian's fonts-droid-fallback by default, which has no Latin
// glyphs) and a Latin one for letters and digits (fonts-dejavu-core). Each
// run of text is set in the font that has its characters. The paths can be
// changed with SKILLARENA_PDF_FONT and SKILLARENA_PDF_LATIN_FONT; a missing
// font fails the export with an error in the log that names the path.

// The default font files (Debian packages fonts-droid-fallback and
// fonts-dejavu-core).
const (
	defaultPDFFont      = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
	defaultPDFLatinFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

var pdfFonts struct {
	mu         sync.Mutex
	cjk, latin []byte
}

// pdfFontPaths returns the font files PDF exports use.
func pdfFontPaths() (cjk, latin string) {
	cjk, latin = os.Getenv("SKILLARENA_PDF_FONT"), os.Getenv("SKILLARENA_PDF_LATIN_FONT")
	if cjk == "" {
		cjk = defaultPDFFont
	}
	if latin == "" {
		latin = defaultPDFLatinFont
	}
	return cjk, latin
}

// loadPDFFonts reads the fonts once (a failure is retried next time).
func loadPDFFonts() (cjk, latin []byte, err error) {
	pdfFonts.mu.Lock()
	defer pdfFonts.mu.Unlock()
	if pdfFonts.cjk != nil {
		return pdfFonts.cjk, pdfFonts.latin, nil
	}
	cp, lp := pdfFontPaths()
	c, err := os.ReadFile(cp)
	if err != nil {
		return nil, nil, fmt.Errorf("PDF export needs a Chinese TrueType font: %w (install Debian's fonts-droid-fallback or set SKILLARENA_PDF_FONT)", err)
	}
	l, err := os.ReadFile(lp)
	if err != nil {
		return nil, nil, fmt.Errorf("PDF export needs a Latin TrueType font: %w (install Debian's fonts-dejavu-core or set SKILLARENA_PDF_LATIN_FONT)", err)
	}
	pdfFonts.cjk, pdfFonts.latin = c, l
	return c, l, nil
}

// pdfAvailable reports whether the fonts PDF exports need can be read.
func pdfAvailable() error {
	_, _, err := loadPDFFonts()
	return err
}

// pdfDoc is a document being written, with the two fonts.
type pdfDoc struct {
	*fpdf.Fpdf
	size float64
}

const (
	fontCJK   = "cjk"
	fontLatin = "latin"
)

func newPDF(orientation string) (*pdfDoc, error) {
	cjk, latin, err := loadPDFFonts()
	if err != nil {
		return nil, err
	}
	p := fpdf.New(orientation, "mm", "A4", "")
	p.SetCreator("SkillArena", true)
	p.AddUTF8FontFromBytes(fontCJK, "", cjk)
	p.AddUTF8FontFromBytes(fontLatin, "", latin)
	p.SetAutoPageBreak(false, 12)
	p.SetMargins(12, 12, 12)
	d := &pdfDoc{Fpdf: p}
	d.setSize(10)
	return d, p.Error()
}

func (d *pdfDoc) setSize(pt float64) {
	d.size = pt
	d.SetFont(fontLatin, "", pt)
}

// isCJK tells the characters set in the Chinese font: CJK radicals, symbols
// and punctuation, kana, ideographs, compatibility and full-width forms.
func isCJK(r rune) bool { return r >= 0x2E80 }

type textRun struct {
	font string
	text string
}

func runs(s string) []textRun {
	var out []textRun
	for _, r := range s {
		f := fontLatin
		if isCJK(r) {
			f = fontCJK
		}
		if n := len(out); n > 0 && out[n-1].font == f {
			out[n-1].text += string(r)
		} else {
			out = append(out, textRun{font: f, text: string(r)})
		}
	}
	return out
}

// width is the width of s set in the right fonts at the current size.
func (d *pdfDoc) width(s string) float64 {
	w := 0.0
	for _, r := range runs(s) {
		d.SetFont(r.font, "", d.size)
		w += d.GetStringWidth(r.text)
	}
	return w
}

// fit cuts s to fit in w, ending it with "…" when cut.
func (d *pdfDoc) fit(s string, w float64) string {
	if d.width(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && d.width(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// cell draws s in the box (x, y, w, h), aligned "L", "C" or "R", with an
// optional border and grey fill.
func (d *pdfDoc) cell(x, y, w, h float64, s, align string, border, fill bool) {
	if border || fill {
		style := ""
		if fill {
			d.SetFillColor(235, 238, 245)
			style = "F"
		}
		if border {
			style += "D"
		}
		d.Rect(x, y, w, h, style)
	}
	const pad = 1.2
	s = d.fit(s, w-2*pad)
	tw := d.width(s)
	cx := x + pad
	switch align {
	case "C":
		cx = x + (w-tw)/2
	case "R":
		cx = x + w - pad - tw
	}
	d.SetCellMargin(0)
	for _, r := range runs(s) {
		d.SetFont(r.font, "", d.size)
		rw := d.GetStringWidth(r.text)
		d.SetXY(cx, y)
		d.CellFormat(rw, h, r.text, "", 0, "L", false, 0, "")
		cx += rw
	}
}

// heading writes the document's title lines at the top of a page and
// returns the y below them.
func (d *pdfDoc) heading(doc scoring.ExportDoc, lines ...string) float64 {
	pw, _ := d.GetPageSize()
	lm, tm, rm, _ := d.GetMargins()
	y := tm
	d.setSize(15)
	d.cell(lm, y, pw-lm-rm, 8, doc.Title(), "L", false, false)
	y += 9
	d.setSize(9)
	for _, l := range append([]string{doc.Status(), doc.Rules()}, lines...) {
		d.cell(lm, y, pw-lm-rm, 5, l, "L", false, false)
		y += 5
	}
	return y + 3
}

// table writes rows (the first is the header, repeated on every page) with
// column widths as fractions of the page, starting at y.
func (d *pdfDoc) table(doc scoring.ExportDoc, rows [][]string, widths []float64, aligns string, y float64, newPage func() float64) float64 {
	pw, ph := d.GetPageSize()
	lm, _, rm, bm := d.GetMargins()
	full := pw - lm - rm
	const h = 6.5
	d.setSize(9.5)
	header := func(y float64) float64 {
		x := lm
		for j, v := range rows[0] {
			d.cell(x, y, widths[j]*full, h, v, "C", true, true)
			x += widths[j] * full
		}
		return y + h
	}
	y = header(y)
	for _, r := range rows[1:] {
		if y+h > ph-bm-6 {
			d.footer(doc)
			y = header(newPage())
		}
		x := lm
		for j, v := range r {
			d.cell(x, y, widths[j]*full, h, v, string(aligns[j]), true, false)
			x += widths[j] * full
		}
		y += h
	}
	return y
}

// footer writes the page number and the document's version at the bottom.
func (d *pdfDoc) footer(doc scoring.ExportDoc) {
	pw, ph := d.GetPageSize()
	lm, _, rm, bm := d.GetMargins()
	d.setSize(8)
	d.cell(lm, ph-bm-4, pw-lm-rm, 4, doc.Status()+"  ·  "+strconv.Itoa(d.PageNo()), "R", false, false)
}

func (d *pdfDoc) output(w io.Writer) error {
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}

// writeRankingPDF writes a ranking as a PDF table, its header repeated on
// every page.
func writeRankingPDF(w io.Writer, doc scoring.ExportDoc, kind scoring.RankingKind) error {
	orientation := "P"
	widths := []float64{0.08, 0.44, 0.16, 0.16, 0.16}
	aligns := "CLRRR"
	if kind == scoring.RankingIndividual {
		orientation = "L"
		widths = []float64{0.07, 0.2, 0.18, 0.18, 0.12, 0.12, 0.13}
		aligns = "CLLLRRR"
	}
	d, err := newPDF(orientation)
	if err != nil {
		return err
	}
	newPage := func() float64 { d.AddPage(); _, tm, _, _ := d.GetMargins(); return tm }
	d.AddPage()
	y := d.heading(doc, doc.T("ranking.export.sheet_"+string(kind), nil))
	d.table(doc, scoring.RankingTable(doc, kind), widths, aligns, y, newPage)
	d.footer(doc)
	return d.output(w)
}

// writeScoreSheetsPDF writes one page per team (only teamID's when not 0):
// its members' figures and how the team's follow from them.
func writeScoreSheetsPDF(w io.Writer, doc scoring.ExportDoc, teamID int64) error {
	d, err := newPDF("P")
	if err != nil {
		return err
	}
	newPage := func() float64 { d.AddPage(); _, tm, _, _ := d.GetMargins(); return tm }
	pw, _ := d.GetPageSize()
	lm, _, rm, _ := d.GetMargins()
	n := 0
	for _, row := range doc.Ranking.Teams {
		if teamID != 0 && row.Team.ID != teamID {
			continue
		}
		n++
		d.AddPage()
		y := d.heading(doc, doc.T("ranking.export.score_sheet", map[string]any{"Team": row.Team.Name}))
		members, lines := scoring.ScoreSheet(doc, row)
		y = d.table(doc, members, []float64{0.32, 0.14, 0.18, 0.18, 0.18}, "LCRCR", y, newPage) + 5
		d.setSize(10)
		for _, l := range lines {
			d.cell(lm, y, pw-lm-rm, 6, l, "L", false, false)
			y += 6.5
		}
		d.footer(doc)
	}
	if n == 0 {
		return skillarena.NotFound("team")
	}
	return d.output(w)
}

// writeCertificatesPDF writes one landscape certificate for every row of
// the ranking placed top or better.
func writeCertificatesPDF(w io.Writer, doc scoring.ExportDoc, kind scoring.RankingKind, top int) error {
	type winner struct {
		name, team string
		rank       int
		total      string
	}
	var ws []winner
	if kind == scoring.RankingTeam {
		for _, r := range doc.Ranking.Teams {
			if r.Rank <= top {
				ws = append(ws, winner{name: r.Team.Name, rank: r.Rank, total: r.Total})
			}
		}
	} else {
		for _, r := range doc.Ranking.Individuals {
			if r.Rank <= top {
				team := r.Unit.Name
				if r.Team != nil {
					team = r.Team.Name
				}
				ws = append(ws, winner{name: r.Contestant.Name, team: team, rank: r.Rank, total: r.Total})
			}
		}
	}
	if len(ws) == 0 {
		return skillarena.NewError(skillarena.ECONFLICT, "ranking.no_certificates", nil)
	}
	d, err := newPDF("L")
	if err != nil {
		return err
	}
	pw, ph := d.GetPageSize()
	for _, wn := range ws {
		d.AddPage()
		d.SetDrawColor(176, 141, 62)
		d.SetLineWidth(1.6)
		d.Rect(10, 10, pw-20, ph-20, "D")
		d.SetLineWidth(0.4)
		d.Rect(14, 14, pw-28, ph-28, "D")
		d.SetDrawColor(0, 0, 0)
		d.SetLineWidth(0.2)
		d.setSize(34)
		d.cell(20, 36, pw-40, 16, doc.T("ranking.export.certificate", nil), "C", false, false)
		d.setSize(22)
		who := wn.name
		if wn.team != "" {
			who = wn.name + "（" + wn.team + "）"
		}
		d.cell(20, 66, pw-40, 12, who, "C", false, false)
		body := doc.T("ranking.export.certificate_body", map[string]any{"Competition": doc.Competition, "Stage": doc.Ranking.Stage.Name, "Rank": wn.rank})
		size := 15.0
		d.setSize(size)
		for d.width(body) > pw-50 && size > 9 {
			size--
			d.setSize(size)
		}
		d.cell(20, 86, pw-40, 10, body, "C", false, false)
		d.setSize(12)
		d.cell(20, 100, pw-40, 8, doc.T("ranking.export.certificate_total", map[string]any{"Total": wn.total}), "C", false, false)
		d.setSize(10)
		d.cell(20, ph-40, pw-50, 6, doc.Status(), "R", false, false)
	}
	return d.output(w)
}

package content

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"skillarena"
)

// Limits on what an xlsx may unpack to. A legitimate 20 MB workbook of
// 50,000 questions unpacks to well under 100 MB, most of it shared strings;
// a sheet of a million minimal rows to about 70 MB. The shared strings are
// held in memory while the sheet is read, so they have their own bound.
const (
	xlsxUnzipLimit   = 256 << 20 // every part together
	xlsxStringsLimit = 100 << 20 // the shared strings part
	xlsxPartLimit    = 8 << 20   // the workbook and its relationships
	xlsxMaxRows      = 1 << 20   // a spreadsheet's rows
	xlsxMaxColumns   = 1 << 14   // and columns
)

// The template's sheets; ParseXLSX reads only the first.
const (
	xlsxQuestionsSheet = "题目 Questions"
	xlsxExamplesSheet  = "示例 Examples"
	xlsxHelpSheet      = "说明 Instructions"
)

// xlsxMaxCell is the most UTF-16 units a spreadsheet cell holds; excelize
// would cut longer text silently.
const xlsxMaxCell = 32767

var errXLSXStop = errors.New("xlsx: stop reading")

// ParseXLSX reads questions from the first sheet of an xlsx workbook laid out
// as the template of docs/QUESTION-FORMATS.md. It returns the rows that have
// no problem as Drafts (Pos.Row set) and every problem found, by row and
// column; a file that cannot be read at all gives one FileError
// (format.unsupported_file when it is not a zip archive, format.corrupt_xlsx
// when it is damaged, not a workbook or unpacks too large,
// format.too_many_questions, format.empty_file, format.file_too_large).
//
// The sheet is streamed once, by a reader of its own rather than excelize's:
// excelize's row iterator decodes every cell by reflection (three times the
// time), stops quietly at broken XML, and shows a formula only by its cached
// value, which would take a second pass to find.
func ParseXLSX(r io.Reader) ([]Draft, []FileError) {
	data, ferrs := formatReadAll(r)
	if ferrs != nil {
		return nil, ferrs
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, formatFailure(Pos{}, "format.unsupported_file", nil)
	}
	corrupt := formatFailure(Pos{}, "format.corrupt_xlsx", nil)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || xlsxCheckSizes(zr) != nil {
		return nil, corrupt
	}
	sheetPath, stringsPath, err := xlsxLocate(zr)
	if err != nil {
		return nil, corrupt
	}
	sheet := xlsxPart(zr, sheetPath)
	if sheet == nil {
		return nil, corrupt
	}
	var sst []string
	if zf := xlsxPart(zr, stringsPath); zf != nil {
		if sst, err = xlsxSharedStrings(zf); err != nil {
			return nil, corrupt
		}
	}
	t := &sheetTable{}
	var errs formatErrors
	err = xlsxReadSheet(sheet, sst, func(row int, cells []string, formulas []bool) bool {
		return t.add(row, cells, formulas, &errs)
	})
	switch {
	case t.tooMany:
		return nil, formatFailure(Pos{}, "format.too_many_questions", map[string]any{"Max": MaxImportQuestions})
	case err == errXLSXStop && !t.headerOK:
		return nil, errs.list
	case err != nil:
		return nil, corrupt
	}
	// Every other part is read once too: a damaged archive is refused
	// whichever part is damaged.
	if xlsxVerify(zr, sheet, xlsxPart(zr, stringsPath)) != nil {
		return nil, corrupt
	}
	if !t.haveHeader {
		return nil, formatFailure(Pos{}, "format.empty_file", nil)
	}
	if len(t.records) == 0 && len(errs.list) == 0 {
		return nil, formatFailure(Pos{Row: t.header.row}, "format.empty_file", nil)
	}
	return t.drafts(&errs), errs.list
}

// xlsxCheckSizes bounds what the archive's entries declare; the zip reader
// then refuses to unpack any entry beyond its declared size, so a bomb is
// stopped before it inflates.
func xlsxCheckSizes(zr *zip.Reader) error {
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		if total += size; size > xlsxUnzipLimit || total > xlsxUnzipLimit {
			return errors.New("xlsx: unpacks too large")
		}
	}
	return nil
}

// xlsxVerify reads every entry but those already read to their end, which
// checks their checksums.
func xlsxVerify(zr *zip.Reader, read ...*zip.File) error {
	for _, f := range zr.File {
		done := false
		for _, r := range read {
			done = done || f == r
		}
		if done {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// xlsxOpen opens a part for reading up to limit bytes; a part that declares
// more is refused.
func xlsxOpen(zf *zip.File, limit uint64) (io.ReadCloser, error) {
	if zf.UncompressedSize64 > limit {
		return nil, errors.New("xlsx: part too large: " + zf.Name)
	}
	return zf.Open()
}

// xlsxSharedStrings reads the shared strings table: the text of each <si>,
// its runs joined, phonetic hints left out.
func xlsxSharedStrings(zf *zip.File) ([]string, error) {
	rc, err := xlsxOpen(zf, xlsxStringsLimit)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var (
		out        []string
		buf        []byte
		inT, inRPh bool
	)
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "si":
				buf = buf[:0]
			case "t":
				inT = !inRPh
			case "rPh":
				inRPh = true
			}
		case xml.CharData:
			if inT {
				buf = append(buf, el...)
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "si":
				out = append(out, xlsxUnescape(string(buf)))
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			}
		}
	}
}

// xlsxReadSheet streams a worksheet, calling row with each row's cell values
// (by 0-based column) and which cells hold a formula, until it returns false
// (then errXLSXStop). Rows must come in order, as every producer writes them.
func xlsxReadSheet(zf *zip.File, sst []string, row func(n int, cells []string, formulas []bool) bool) error {
	rc, err := xlsxOpen(zf, xlsxUnzipLimit)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var (
		rowNum, col           int
		cells                 []string
		formulas              []bool
		typ                   string
		val                   []byte
		inV, inIS, inT, inRPh bool
		hasF, inRow           bool
	)
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "row":
				n := rowNum + 1
				if r := xlsxAttr(el, "r"); r != "" {
					if n, err = strconv.Atoi(r); err != nil {
						return err
					}
				}
				if n <= rowNum || n > xlsxMaxRows {
					return errors.New("xlsx: rows out of order")
				}
				rowNum, col, inRow = n, 0, true
				cells, formulas = cells[:0], formulas[:0]
			case "c":
				col++
				if r := xlsxAttr(el, "r"); r != "" {
					if col, _, err = excelize.CellNameToCoordinates(r); err != nil {
						return err
					}
				}
				if col > xlsxMaxColumns || !inRow {
					return errors.New("xlsx: cell out of place")
				}
				typ, val, hasF = xlsxAttr(el, "t"), val[:0], false
			case "f":
				hasF = true
			case "v":
				inV = true
			case "is":
				inIS = true
			case "t":
				inT = inIS && !inRPh
			case "rPh":
				inRPh = true
			}
		case xml.CharData:
			if inV || inT {
				val = append(val, el...)
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "v":
				inV = false
			case "t":
				inT = false
			case "is":
				inIS = false
			case "rPh":
				inRPh = false
			case "c":
				v, err := xlsxValue(typ, string(val), sst)
				if err != nil {
					return err
				}
				for len(cells) < col {
					cells, formulas = append(cells, ""), append(formulas, false)
				}
				cells[col-1], formulas[col-1] = v, hasF
			case "row":
				inRow = false
				if !row(rowNum, cells, formulas) {
					return errXLSXStop
				}
			}
		}
	}
}

// xlsxValue is a cell's text as a spreadsheet shows it in General format.
func xlsxValue(typ, v string, sst []string) (string, error) {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(sst) {
			return "", errors.New("xlsx: shared string out of range")
		}
		return sst[i], nil
	case "inlineStr", "str":
		return xlsxUnescape(v), nil
	case "b":
		if strings.TrimSpace(v) == "1" {
			return "TRUE", nil
		}
		return "FALSE", nil
	case "", "n":
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return v, nil
		}
		// General format shows at most 15 significant digits: a stored
		// 0.30000000000000004 reads 0.3.
		f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	default: // "e" errors such as #N/A, "d" ISO dates
		return v, nil
	}
}

// xlsxUnescape decodes the _xHHHH_ escapes OOXML writes for characters XML
// cannot hold (_x000D_ is a carriage return; _x005F_ an underscore).
func xlsxUnescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i+6 < len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(n))
				i += 6
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// xlsxLocate finds the parts holding the workbook's first sheet and its
// shared strings, as excelize does: package relationships → workbook → its
// relationships.
func xlsxLocate(zr *zip.Reader) (sheet, sharedStrings string, err error) {
	workbook := "xl/workbook.xml"
	if rels, err := xlsxRelationships(zr, "_rels/.rels"); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				workbook = strings.TrimPrefix(r.Target, "/")
				break
			}
		}
	}
	rid, err := xlsxFirstSheetID(zr, workbook)
	if err != nil {
		return "", "", err
	}
	rels, err := xlsxRelationships(zr, path.Join(path.Dir(workbook), "_rels", path.Base(workbook)+".rels"))
	if err != nil {
		return "", "", err
	}
	target := func(r xlsxRelationship) string {
		if strings.HasPrefix(r.Target, "/") {
			return path.Clean(strings.TrimPrefix(r.Target, "/"))
		}
		return path.Join(path.Dir(workbook), r.Target)
	}
	sharedStrings = path.Join(path.Dir(workbook), "sharedStrings.xml")
	for _, r := range rels {
		switch {
		case r.ID == rid:
			sheet = target(r)
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			sharedStrings = target(r)
		}
	}
	if sheet == "" {
		return "", "", errors.New("xlsx: first sheet not found")
	}
	return sheet, sharedStrings, nil
}

// xlsxFirstSheetID is the relationship id of the workbook's first sheet.
func xlsxFirstSheetID(zr *zip.Reader, workbook string) (string, error) {
	zf := xlsxPart(zr, workbook)
	if zf == nil {
		return "", errors.New("xlsx: workbook missing")
	}
	rc, err := xlsxOpen(zf, xlsxPartLimit)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "sheet" {
			// r:id, whose namespace differs between transitional and strict files.
			for _, a := range el.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					return a.Value, nil
				}
			}
			return "", errors.New("xlsx: sheet without relationship")
		}
	}
}

type xlsxRelationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

func xlsxRelationships(zr *zip.Reader, name string) ([]xlsxRelationship, error) {
	zf := xlsxPart(zr, name)
	if zf == nil {
		return nil, errors.New("xlsx: missing " + name)
	}
	rc, err := xlsxOpen(zf, xlsxPartLimit)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var rels struct {
		Relationships []xlsxRelationship `xml:"Relationship"`
	}
	err = xml.NewDecoder(rc).Decode(&rels)
	return rels.Relationships, err
}

// xlsxPart finds a part by name; like excelize, it accepts backslashes and
// any case.
func xlsxPart(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), name) {
			return f
		}
	}
	return nil
}

func xlsxAttr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// WriteXLSX writes drafts as a workbook laid out as the import template, so
// that ParseXLSX reads them back: the questions on the first sheet (streamed,
// one row each, topic from Draft.TopicPath), then the template's examples and
// instructions. Cells a spreadsheet would run as formulas (starting with
// = + - @) are prefixed with '. Text longer than a cell holds is refused
// (format.cell_too_long) rather than cut.
func WriteXLSX(w io.Writer, drafts []Draft) error {
	f := excelize.NewFile()
	defer f.Close()
	x, err := newXLSXBook(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(xlsxQuestionsSheet)
	if err != nil {
		return err
	}
	if err := x.streamHeader(sw); err != nil {
		return err
	}
	values := make([]any, numSheetColumns)
	for i, d := range drafts {
		cells := sheetRow(d)
		for c, v := range cells {
			if n := len(utf16.Encode([]rune(v))); n > xlsxMaxCell {
				return skillarena.NewError(skillarena.EINVALID, "format.cell_too_long", map[string]any{"Max": xlsxMaxCell, "Row": i + 2, "Column": sheetColumns[c].title()})
			}
			values[c] = v
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), values); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := x.examples(); err != nil {
		return err
	}
	if err := x.help(); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// TemplateXLSX returns the empty import template: the header row on the first
// sheet, a sheet of examples in Chinese covering every type, and a sheet of
// instructions in Chinese and English.
func TemplateXLSX() ([]byte, error) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, nil); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// xlsxBook is a workbook being written, with its sheets and styles.
type xlsxBook struct {
	f                  *excelize.File
	required, optional int // header styles
	text               int
}

func newXLSXBook(f *excelize.File) (*xlsxBook, error) {
	if err := f.SetSheetName("Sheet1", xlsxQuestionsSheet); err != nil {
		return nil, err
	}
	for _, name := range []string{xlsxExamplesSheet, xlsxHelpSheet} {
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
	}
	x := &xlsxBook{f: f}
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	header := func(color string) (int, error) {
		return f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: color}, Border: border, NumFmt: 49,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	}
	var err error
	if x.required, err = header("C00000"); err != nil {
		return nil, err
	}
	if x.optional, err = header("1F1F1F"); err != nil {
		return nil, err
	}
	// Text format keeps what is typed: "1.50" points, answers such as 0011.
	if x.text, err = f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return nil, err
	}
	return x, nil
}

func (x *xlsxBook) headerCells() []any {
	cells := make([]any, numSheetColumns)
	for i, c := range sheetColumns {
		style := x.optional
		if c.required {
			style = x.required
		}
		cells[i] = excelize.Cell{StyleID: style, Value: c.title()}
	}
	return cells
}

// streamHeader sets the questions sheet's columns and writes its header row.
func (x *xlsxBook) streamHeader(sw *excelize.StreamWriter) error {
	for i, c := range sheetColumns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetColStyle(1, numSheetColumns, x.text); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return sw.SetRow("A1", x.headerCells(), excelize.RowOpts{Height: 30})
}

// xlsxExamples are the examples sheet's questions, one of each type, from
// telecom maintenance.
var xlsxExamples = func() []Draft {
	yes := true
	return []Draft{
		{Type: SingleChoice, TopicPath: []string{"维护流程"}, Stem: "重要客户专线发生全阻故障，按服务标准其故障修复时限一般不超过（ ）小时。",
			Options:     []Option{{Key: "A", Text: "2"}, {Key: "B", Text: "4"}, {Key: "C", Text: "8"}, {Key: "D", Text: "24"}},
			Key:         Key{Choices: []string{"B"}},
			Explanation: "示例：以本单位服务标准为准，重要客户专线全阻故障修复时限通常为 4 小时。", Difficulty: 2, Points: 100, Tags: []string{"故障处理", "时限"}},
		{Type: MultipleChoice, TopicPath: []string{"方案设计"}, Stem: "为重要客户提供双路由保护时，下列做法正确的有（ ）。",
			Options: []Option{{Key: "A", Text: "主备路由走不同的光缆和管道"}, {Key: "B", Text: "主备路由使用同一条光缆的不同纤芯"},
				{Key: "C", Text: "主备路由接入不同的传输设备"}, {Key: "D", Text: "定期进行主备倒换演练"}},
			Key:         Key{Choices: []string{"A", "C", "D"}},
			Explanation: "同缆不同芯不能防范光缆中断，不是真正的双路由。", Difficulty: 3, Points: 200, Tags: []string{"双路由", "重要客户"}},
		{Type: TrueFalse, TopicPath: []string{"C网承接"}, Stem: "CDMA 软切换过程中，移动台可以同时与多个基站保持通信。",
			Key: Key{True: &yes}, Explanation: "软切换是“先连后断”，移动台同时与多个基站通信。", Difficulty: 2, Points: 100, Tags: []string{"CDMA", "切换"}},
		{Type: FillBlank, TopicPath: []string{"全业务网络知识", "传输"}, Stem: "光纤通信常用的低损耗窗口有 850 nm、___ nm 和 ___ nm。",
			Key: Key{Blanks: []Blank{{Accepted: []string{"1310"}}, {Accepted: []string{"1550"}}}}, Normalization: DefaultNormalization,
			Explanation: "单模光纤常用 1310 nm 和 1550 nm 两个窗口。", Difficulty: 2, Points: 200, Tags: []string{"光纤"}},
		{Type: ShortAnswer, TopicPath: []string{"维护流程"}, Stem: "简述重要客户专线故障处理的基本流程。",
			ReferenceAnswer: "受理申告并建单；判断故障范围并通知客户；定位故障并组织抢修；恢复业务并与客户确认；归档并分析原因。",
			Rubric:          "受理与通知 1 分；定位与抢修 2 分；确认恢复 1 分；归档分析 1 分。", Difficulty: 3, Points: 500, Tags: []string{"故障处理"}},
		{Type: Essay, TopicPath: []string{"方案设计"}, Stem: "某银行分行需要接入两条互为备份的专线，请设计接入方案并说明如何保证业务连续性。",
			ReferenceAnswer: "双局向、双路由接入；主备设备分设；配置自动倒换；制定应急预案并定期演练。",
			Rubric:          "路由与局向分离 4 分；设备冗余 2 分；倒换机制 2 分；应急与演练 2 分。", Difficulty: 4, Points: 1000, Tags: []string{"双路由", "方案设计"}, Name: "银行双路由接入"},
	}
}()

// examples writes the examples sheet: the header and one question of each type.
func (x *xlsxBook) examples() error {
	f, sheet := x.f, xlsxExamplesSheet
	for i, c := range sheetColumns {
		col := sheetColumnLetter(i)
		if err := f.SetColWidth(sheet, col, col, c.width); err != nil {
			return err
		}
	}
	header := x.headerCells()
	for i, h := range header {
		cell := sheetColumnLetter(i) + "1"
		hc := h.(excelize.Cell)
		if err := f.SetCellStr(sheet, cell, hc.Value.(string)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, hc.StyleID); err != nil {
			return err
		}
	}
	for r, d := range xlsxExamples {
		for c, v := range sheetRow(d) {
			if err := f.SetCellStr(sheet, sheetColumnLetter(c)+strconv.Itoa(r+2), v); err != nil {
				return err
			}
		}
	}
	last := sheetColumnLetter(numSheetColumns-1) + strconv.Itoa(len(xlsxExamples)+1)
	if err := f.SetCellStyle(sheet, "A2", last, x.text); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// help writes the instructions sheet, in Chinese and English.
func (x *xlsxBook) help() error {
	f, sheet := x.f, xlsxHelpSheet
	lines := [][]string{{"列 Column", "必填 Required", "说明", "Description"}}
	for _, c := range sheetColumns {
		req := "选填 Optional"
		if c.required {
			req = "必填 Required"
		}
		lines = append(lines, []string{c.title(), req, c.helpZh, c.helpEn})
	}
	lines = append(lines, []string{},
		[]string{"", "", "只读取第一个工作表“" + xlsxQuestionsSheet + "”：第 1 行是表头，每行一道题，从第 2 行开始。",
			"Only the first sheet, \"" + xlsxQuestionsSheet + "\", is read: row 1 is the header, then one question per row."},
		[]string{"", "", "红色表头为必填列（论述题可不填答案）。列的顺序不限，按表头识别（中文或英文均可）；其他列会被忽略。",
			"Red headers are required (essays may leave the answer blank). Columns may come in any order: they are recognised by their header, in Chinese or English; other columns are ignored."},
		[]string{"", "", fmt.Sprintf("每个文件最多 %d 道题、不超过 %d MB；空行会被跳过。不能使用公式，请直接填写内容。", MaxImportQuestions, MaxImportBytes>>20),
			fmt.Sprintf("At most %d questions and %d MB per file; blank rows are skipped. Formulas are refused: type the values.", MaxImportQuestions, MaxImportBytes>>20)},
		[]string{"", "", "以 = + - @ 开头的内容前加英文单引号 '，导入时会去掉这个单引号。",
			"Put an apostrophe ' before text that starts with = + - @; the import takes it off."},
		[]string{"", "", "只要有一处错误，整个文件都不会导入：请按错误列表（行号、列号）修改后重新上传。可以先“试导入”检查。",
			"If anything is wrong nothing is imported: fix what the error list shows (row and column) and upload again. A dry run checks without importing."},
		[]string{"", "", "也可以上传相同表头的 CSV 文件（UTF-8 或 GB18030 编码）。示例见工作表“" + xlsxExamplesSheet + "”。",
			"A CSV file with the same header (UTF-8 or GB18030) is accepted too. See the sheet \"" + xlsxExamplesSheet + "\" for examples."},
	)
	for r, line := range lines {
		for c, v := range line {
			if err := f.SetCellStr(sheet, sheetColumnLetter(c)+strconv.Itoa(r+1), v); err != nil {
				return err
			}
		}
	}
	for col, w := range map[string]float64{"A": 22, "B": 16, "C": 70, "D": 80} {
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A1", "D"+strconv.Itoa(len(lines)), x.text); err != nil {
		return err
	}
	return f.SetCellStyle(sheet, "A1", "D1", x.optional)
}

package content

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"skillarena"
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
	// The questions sheet is the first and so the active one; SetActiveSheet
	// would load the streamed sheet back into memory.
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

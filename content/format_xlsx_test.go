package content_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"skillarena/content"
)

// formatTestWorkbook makes an xlsx whose first sheet holds rows; a cell given
// as formatTestFormula holds that formula.
func formatTestWorkbook(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			require.NoError(t, err)
			if formula, ok := strings.CutPrefix(v, formatTestFormula); ok {
				require.NoError(t, f.SetCellFormula("Sheet1", cell, formula))
				continue
			}
			require.NoError(t, f.SetCellStr("Sheet1", cell, v))
		}
	}
	var buf bytes.Buffer
	_, err := f.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

// formatTestFormula marks a cell of formatTestWorkbook as a formula.
const formatTestFormula = "\x00formula:"

func formatTestCSVRows(t testing.TB, name string) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(formatTestdata(t, name)))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	require.NoError(t, err)
	return rows
}

func TestParseXLSX_BadFileReportsEveryRowAtItsCell(t *testing.T) {
	rows := formatTestCSVRows(t, "sheet/bad.csv")
	// Row 15's stem is a real formula here, with no cached value.
	require.Equal(t, "=1+1", rows[14][2])
	rows[14][2] = formatTestFormula + "1+1"
	drafts, errs := content.ParseXLSX(bytes.NewReader(formatTestWorkbook(t, rows)))
	want := formatTestBadFileGood
	assert.Equal(t, formatTestBadRows(), errs)
	assert.Equal(t, []content.Draft{want}, drafts)
}

func TestParseXLSX_FormulaCells(t *testing.T) {
	header := []string{"题型", "主题", "题干", "选项A", "选项B", "答案", "备注"}
	rows := [][]string{header,
		{"单选", "维护流程", "题干", "甲", "乙", formatTestFormula + `"A"`, "x"},
		{"", "", formatTestFormula + `""`, "", "", "", ""},           // looks blank: the formula's value is empty
		{"单选", "维护流程", "题干", "甲", "乙", "A", formatTestFormula + "1"}, // formulas outside the template are ignored
		{"单选", "维护流程", "=不是公式但像", "甲", "乙", "A", ""},
	}
	drafts, errs := content.ParseXLSX(bytes.NewReader(formatTestWorkbook(t, rows)))
	assert.Equal(t, []content.FileError{
		{Pos: content.Pos{Row: 2, Column: "F"}, Field: "答案", Message: "format.formula_cell"},
		{Pos: content.Pos{Row: 3, Column: "C"}, Field: "题干", Message: "format.formula_cell"},
		{Pos: content.Pos{Row: 5, Column: "C"}, Field: "题干", Message: "format.formula_cell"},
	}, formatTestSorted(errs))
	require.Len(t, drafts, 1)
	assert.Equal(t, 4, drafts[0].Pos.Row)
}

// formatTestSorted orders problems by row, then column.
func formatTestSorted(errs []content.FileError) []content.FileError {
	out := append([]content.FileError(nil), errs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			a, b := out[i].Pos, out[j].Pos
			if b.Row < a.Row || (b.Row == a.Row && b.Column < a.Column) {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestXLSX_RoundTrip(t *testing.T) {
	want := append(formatTestDrafts(), formatTestOnlyMoodle()...)
	var buf bytes.Buffer
	require.NoError(t, content.WriteXLSX(&buf, want))
	got, errs := content.ParseXLSX(bytes.NewReader(buf.Bytes()))
	require.Empty(t, errs)
	for i := range got {
		assert.Equal(t, i+2, got[i].Pos.Row)
		got[i].Pos = content.Pos{}
	}
	assert.Equal(t, want, got)

	// Cells a spreadsheet would run are written with a leading '.
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	defer f.Close()
	sheet := f.GetSheetList()[0]
	for cell, v := range map[string]string{"G3": "'=SUM(A1) 不是公式", "M4": "'-48V 直流供电与此无关。", "C5": "'@提及 不是命令。"} {
		got, err := f.GetCellValue(sheet, cell)
		require.NoError(t, err)
		assert.Equal(t, v, got, cell)
	}
}

func TestWriteXLSX_RefusesTextLongerThanACell(t *testing.T) {
	d := formatTestDrafts()[0]
	d.Explanation = strings.Repeat("长", 32768)
	err := content.WriteXLSX(&bytes.Buffer{}, []content.Draft{d})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "format.cell_too_long")
}

func TestTemplateXLSX_SheetsAndExamples(t *testing.T) {
	data, err := content.TemplateXLSX()
	require.NoError(t, err)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{"题目 Questions", "示例 Examples", "说明 Instructions"}, f.GetSheetList())

	header, err := f.GetRows("题目 Questions")
	require.NoError(t, err)
	require.Len(t, header, 1, "the first sheet is the header alone")
	assert.Equal(t, []string{"题型 type", "主题 topic", "题干 stem", "选项A option_a", "选项B option_b", "选项C option_c", "选项D option_d",
		"选项E option_e", "选项F option_f", "选项G option_g", "选项H option_h", "答案 answer", "解析 explanation", "难度 difficulty",
		"分值 points", "标签 tags", "评分标准 rubric", "填空规则 blank_rules", "名称 name"}, header[0])

	// The empty template reads as a file without questions.
	_, errs := content.ParseXLSX(bytes.NewReader(data))
	assert.Equal(t, []content.FileError{{Pos: content.Pos{Row: 1}, Message: "format.empty_file"}}, errs)

	// The examples import as they are, one question of each type.
	examples, err := f.GetRows("示例 Examples")
	require.NoError(t, err)
	var csvText bytes.Buffer
	w := csv.NewWriter(&csvText)
	require.NoError(t, w.WriteAll(examples))
	drafts, errs := content.ParseCSV(&csvText)
	require.Empty(t, errs)
	var types []content.QuestionType
	for _, d := range drafts {
		types = append(types, d.Type)
	}
	assert.Equal(t, content.QuestionTypes, types)

	help, err := f.GetRows("说明 Instructions")
	require.NoError(t, err)
	text := ""
	for _, r := range help {
		text += strings.Join(r, "\n")
	}
	for _, s := range []string{"只读取第一个工作表", "Only the first sheet", "区分大小写", "case matters", "50000"} {
		assert.Contains(t, text, s)
	}
}

func TestParseXLSX_FilesThatAreNotWorkbooks(t *testing.T) {
	zipOf := func(files map[string]string) []byte {
		var buf bytes.Buffer
		w := zip.NewWriter(&buf)
		for name, body := range files {
			fw, err := w.Create(name)
			require.NoError(t, err)
			_, err = fw.Write([]byte(body))
			require.NoError(t, err)
		}
		require.NoError(t, w.Close())
		return buf.Bytes()
	}
	good := formatTestWorkbook(t, [][]string{{"题型", "主题", "题干", "答案"}, {"判断", "a", "b", "对"}})
	damaged := append([]byte(nil), good...)
	// Flip bytes in the middle of the archive: a part's checksum fails.
	for i := len(damaged) / 3; i < len(damaged)/3+64; i++ {
		damaged[i] ^= 0x55
	}
	for _, tc := range []struct {
		name string
		data []byte
		want content.FileError
	}{
		{"CSV text", formatTestdata(t, "sheet/bad.csv"), content.FileError{Message: "format.unsupported_file"}},
		{"empty", nil, content.FileError{Message: "format.unsupported_file"}},
		{"a zip of something else", zipOf(map[string]string{"word/document.xml": "<w/>"}), content.FileError{Message: "format.corrupt_xlsx"}},
		{"cut short", good[:len(good)/2], content.FileError{Message: "format.corrupt_xlsx"}},
		{"damaged", damaged, content.FileError{Message: "format.corrupt_xlsx"}},
		{"no rows", formatTestWorkbook(t, nil), content.FileError{Message: "format.empty_file"}},
		{"too large", append([]byte("PK\x03\x04"), make([]byte, content.MaxImportBytes)...), content.FileError{Message: "format.file_too_large", Args: map[string]any{"MaxMB": 20}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drafts, errs := content.ParseXLSX(bytes.NewReader(tc.data))
			assert.Nil(t, drafts)
			assert.Equal(t, []content.FileError{tc.want}, errs)
		})
	}
	drafts, errs := content.ParseXLSX(bytes.NewReader(good))
	require.Empty(t, errs)
	assert.Len(t, drafts, 1)
}

// formatTestReplaceParts returns workbook with the named parts replaced (or
// added).
func formatTestReplaceParts(t testing.TB, workbook []byte, parts map[string]string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	require.NoError(t, err)
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	done := map[string]bool{}
	for _, f := range zr.File {
		body, ok := parts[f.Name]
		if !ok {
			require.NoError(t, w.Copy(f))
			continue
		}
		done[f.Name] = true
		fw, err := w.Create(f.Name)
		require.NoError(t, err)
		_, err = fw.Write([]byte(body))
		require.NoError(t, err)
	}
	for name, body := range parts {
		if !done[name] {
			fw, err := w.Create(name)
			require.NoError(t, err)
			_, err = fw.Write([]byte(body))
			require.NoError(t, err)
		}
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// Other producers write sheets differently from excelize: prefixes, rich
// text, phonetic hints, escapes, cells without references, numbers as
// floating point.
func TestParseXLSX_ReadsSheetsAsOtherProgramsWriteThem(t *testing.T) {
	base := formatTestWorkbook(t, [][]string{{"x"}})
	sst := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
  <x:si><x:t>题型</x:t></x:si>
  <x:si><x:r><x:rPr><x:b/></x:rPr><x:t>重要客户</x:t></x:r><x:r><x:t xml:space="preserve"> 专线</x:t></x:r><x:rPh sb="0" eb="1"><x:t>ZHONG</x:t></x:rPh></x:si>
  <x:si><x:t>第一行_x000D_
第二行 &amp; x &lt; 5 _x005F_x0041_</x:t></x:si>
  <x:si><x:t><![CDATA[<p>HTML 题干</p>]]></x:t></x:si>
</x:sst>`
	sheet := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- written by another program -->
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>主题</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>题干</x:t></x:is></x:c>` +
		`<x:c t="inlineStr"><x:is><x:t>选项A</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>选项B</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>答案</x:t></x:is></x:c>` +
		`<x:c t="inlineStr"><x:is><x:t>分值</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>解析</x:t></x:is></x:c></x:row>
<x:row r="3" spans="1:8"><x:c r="A3" t="inlineStr"><x:is><x:t>单选</x:t></x:is></x:c><x:c r="B3" t="s"><x:v>1</x:v></x:c><x:c r="C3" t="s"><x:v>3</x:v></x:c>` +
		`<x:c r="D3" t="s"><x:v>2</x:v></x:c><x:c r="E3" t="b"><x:v>1</x:v></x:c><x:c r="F3" t="str"><x:v>A</x:v></x:c><x:c r="G3"><x:v>0.30000000000000004</x:v></x:c><x:c r="H3" s="1"/></x:row>
<x:row r="4"/>
</x:sheetData></x:worksheet>`
	data := formatTestReplaceParts(t, base, map[string]string{"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": sst})
	drafts, errs := content.ParseXLSX(bytes.NewReader(data))
	require.Empty(t, errs)
	assert.Equal(t, []content.Draft{{Pos: content.Pos{Row: 3}, Type: content.SingleChoice, TopicPath: []string{"重要客户 专线"},
		Stem:    "<p>HTML 题干</p>",
		Options: []content.Option{{Key: "A", Text: "第一行<br>第二行 & x < 5 _x0041_"}, {Key: "B", Text: "TRUE"}},
		Key:     content.Key{Choices: []string{"A"}}, Points: 30}}, drafts)
}

func TestParseXLSX_MalformedSheetXMLIsCorrupt(t *testing.T) {
	base := formatTestWorkbook(t, [][]string{{"题型", "主题", "题干", "答案"}, {"判断", "a", "b", "对"}})
	for name, sheet := range map[string]string{
		"bad entity":      `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&bogus;</t></is></c></row></sheetData></worksheet>`,
		"doctype":         `<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>`,
		"rows backwards":  `<worksheet><sheetData><row r="2"/><row r="1"/></sheetData></worksheet>`,
		"bad reference":   `<worksheet><sheetData><row r="1"><c r="1A"><v>1</v></c></row></sheetData></worksheet>`,
		"string index":    `<worksheet><sheetData><row r="1"><c t="s"><v>99</v></c></row></sheetData></worksheet>`,
		"cut in a tag":    `<worksheet><sheetData><row r="1"><c t="inl`,
		"invalid UTF-8":   "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>\xff</t></is></c></row></sheetData></worksheet>",
		"text after root": `<worksheet/>trailing`,
	} {
		t.Run(name, func(t *testing.T) {
			data := formatTestReplaceParts(t, base, map[string]string{"xl/worksheets/sheet1.xml": sheet})
			drafts, errs := content.ParseXLSX(bytes.NewReader(data))
			assert.Nil(t, drafts)
			assert.Equal(t, []content.FileError{{Message: "format.corrupt_xlsx"}}, errs)
		})
	}
}

// FuzzParseXLSXSheet feeds the sheet reader arbitrary sheet XML inside a
// valid workbook: it never panics, and rows it reads are rows of the sheet.
func FuzzParseXLSXSheet(f *testing.F) {
	base := formatTestWorkbook(f, [][]string{{"x"}})
	f.Add(`<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>题型</t></is></c><c t="inlineStr"><is><t>主题</t></is></c><c t="inlineStr"><is><t>题干</t></is></c><c t="inlineStr"><is><t>答案</t></is></c></row>` +
		`<row r="2"><c t="inlineStr"><is><t>判断</t></is></c><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b &amp; c</t></is></c><c><f>1</f><v>1</v></c></row></sheetData></worksheet>`)
	f.Add(`<?xml version="1.0"?><!-- c --><x:worksheet xmlns:x="u"><x:sheetData><x:row><x:c t="b"><x:v>1</x:v></x:c><x:c/><x:c t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>`)
	f.Add(`<worksheet><sheetData><row r="1"><c r="XFD1" t="inlineStr"><is><r><t><![CDATA[a>b]]></t></r><rPh><t>x</t></rPh></is></c></row></sheetData></worksheet>`)
	f.Fuzz(func(t *testing.T, sheet string) {
		data := formatTestReplaceParts(t, base, map[string]string{"xl/worksheets/sheet1.xml": sheet})
		drafts, errs := content.ParseXLSX(bytes.NewReader(data))
		formatTestCheckResult(t, drafts, errs)
		for _, d := range drafts {
			if d.Pos.Row < 2 || d.Pos.Row > 1<<20 {
				t.Fatalf("row %d", d.Pos.Row)
			}
		}
	})
}

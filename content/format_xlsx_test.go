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

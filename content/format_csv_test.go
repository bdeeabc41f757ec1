package content_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"skillarena/content"
)

func formatTestGB18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

// formatTestBadRows are the expected problems of testdata/sheet/bad.csv, one
// row each, at the spreadsheet row (a quoted line break in row 2 does not
// count) and column under the header as written.
func formatTestBadRows() []content.FileError {
	e := func(row int, col, field, msg string, args map[string]any) content.FileError {
		return content.FileError{Pos: content.Pos{Row: row, Column: col}, Field: field, Message: msg, Args: args}
	}
	return []content.FileError{
		e(3, "A", "Type", "format.unknown_type", map[string]any{"Value": "问答"}),
		e(4, "C", "题干", "format.stem_empty", nil),
		e(5, "E", "选项B", "format.option_gap", map[string]any{"Key": "B"}),
		e(6, "H", "答案 answer", "format.option_missing", map[string]any{"Key": "C"}),
		e(7, "H", "答案 answer", "format.single_choice_two_keys", nil),
		e(8, "H", "答案 answer", "format.multiple_choice_no_key", nil),
		e(9, "H", "答案 answer", "format.true_false_answer", map[string]any{"Value": "也许"}),
		e(10, "H", "答案 answer", "format.blank_count", map[string]any{"Markers": 1, "Blanks": 2}),
		e(11, "H", "答案 answer", "format.blank_without_answer", map[string]any{"Blank": 2}),
		e(12, "J", "难度", "format.difficulty_range", map[string]any{"Value": "6"}),
		e(13, "J", "难度", "format.difficulty_range", map[string]any{"Value": "难"}),
		e(14, "K", "points", "format.points", map[string]any{"Value": "1.255"}),
		e(15, "C", "题干", "format.formula_cell", nil),
		e(16, "B", "Topic", "format.topic_empty", nil),
		e(17, "L", "填空规则", "format.blank_rule", map[string]any{"Value": "不区分"}),
		e(18, "H", "答案 answer", "format.answer_empty", nil),
		e(19, "E", "选项B", "format.too_few_options", map[string]any{"Min": 2}),
		e(20, "H", "答案 answer", "format.answer_letters", map[string]any{"Value": "1"}),
	}
}

// formatTestBadFileGood is the one good row of the bad file.
var formatTestBadFileGood = content.Draft{Pos: content.Pos{Row: 2}, Type: content.SingleChoice, TopicPath: []string{"维护流程"},
	Stem:    "重要客户专线全阻故障的修复时限一般不超过几小时？",
	Options: []content.Option{{Key: "A", Text: "2"}, {Key: "B", Text: "4"}, {Key: "C", Text: "8"}, {Key: "D", Text: "24"}},
	Key:     content.Key{Choices: []string{"B"}}, Explanation: "解析第一行<br>解析第二行", Difficulty: 2, Points: 100}

func TestParseCSV_BadFileReportsEveryRowAtItsCell(t *testing.T) {
	drafts, errs := content.ParseCSV(bytes.NewReader(formatTestdata(t, "sheet/bad.csv")))
	assert.Equal(t, formatTestBadRows(), errs)
	assert.Equal(t, []content.Draft{formatTestBadFileGood}, drafts)
}

func TestParseCSV_EncodingsGiveTheSameDrafts(t *testing.T) {
	text := string(formatTestdata(t, "sheet/bad.csv"))
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"UTF-8", []byte(text)},
		{"UTF-8 with BOM", append([]byte("\xef\xbb\xbf"), text...)},
		{"GB18030", formatTestGB18030(t, text)},
		{"CRLF", []byte(strings.ReplaceAll(text, "\n", "\r\n"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drafts, errs := content.ParseCSV(bytes.NewReader(tc.data))
			assert.Equal(t, formatTestBadRows(), errs)
			assert.Equal(t, []content.Draft{formatTestBadFileGood}, drafts)
		})
	}
}

func TestParseCSV_RowRules(t *testing.T) {
	const header = "题型 type,主题 topic,题干 stem,选项A option_a,选项B option_b,选项C option_c,答案 answer,难度 difficulty,分值 points,标签 tags,填空规则 blank_rules,评分标准 rubric,名称 name,解析 explanation\n"
	for _, tc := range []struct {
		name string
		row  string
		want content.Draft
	}{
		{"single choice, lower-case full-width key, tags of every separator",
			"单选题,维护流程 / 故障处理 ,题干,甲,乙,丙,ｂ,5,0.5,\"a, b，c、d;e\",,,名称,",
			content.Draft{Type: content.SingleChoice, TopicPath: []string{"维护流程", "故障处理"}, Stem: "题干",
				Options: []content.Option{{Key: "A", Text: "甲"}, {Key: "B", Text: "乙"}, {Key: "C", Text: "丙"}},
				Key:     content.Key{Choices: []string{"B"}}, Difficulty: 5, Points: 50, Tags: []string{"a", "b", "c", "d", "e"}, Name: "名称"}},
		{"multiple choice keys in any order and separators",
			"multiple_choice,维护流程,题干,甲,乙,丙,\"C, a\",,,,,,,",
			content.Draft{Type: content.MultipleChoice, TopicPath: []string{"维护流程"}, Stem: "题干",
				Options: []content.Option{{Key: "A", Text: "甲"}, {Key: "B", Text: "乙"}, {Key: "C", Text: "丙"}},
				Key:     content.Key{Choices: []string{"A", "C"}}}},
		{"true/false as ×, options ignored",
			"判断,维护流程,题干,对,错,,×,,,,,,,",
			content.Draft{Type: content.TrueFalse, TopicPath: []string{"维护流程"}, Stem: "题干", Key: content.Key{True: formatTestBool(false)}}},
		{"fill in with rules, spaces kept",
			"填空,C网承接,___ 与 ___,,,, a | b ||c ,,,,\"区分大小写、保留空格\",,,",
			content.Draft{Type: content.FillBlank, TopicPath: []string{"C网承接"}, Stem: "___ 与 ___",
				Key:           content.Key{Blanks: []content.Blank{{Accepted: []string{" a ", " b "}}, {Accepted: []string{"c "}}}},
				Normalization: content.Normalization{FoldWidth: true}}},
		{"fill in, default rules trim answers",
			"填空,C网承接,___ 与 ___,,,, a | b ||c ,,,,case_sensitive width_sensitive,,,",
			content.Draft{Type: content.FillBlank, TopicPath: []string{"C网承接"}, Stem: "___ 与 ___",
				Key:           content.Key{Blanks: []content.Blank{{Accepted: []string{"a", "b"}}, {Accepted: []string{"c"}}}},
				Normalization: content.Normalization{TrimSpace: true}}},
		{"short answer: the answer is the reference, line breaks become <br>",
			"简答,维护流程,\"第一行\n第二行\",,,,\"受理\n定位\",,,,,每步 1 分,,",
			content.Draft{Type: content.ShortAnswer, TopicPath: []string{"维护流程"}, Stem: "第一行<br>第二行", ReferenceAnswer: "受理<br>定位", Rubric: "每步 1 分"}},
		{"essay without answer, HTML kept as written",
			"方案设计,方案设计,\"<p>设计</p>\n<p>方案</p>\",,,,,,10.25,,,,,",
			content.Draft{Type: content.Essay, TopicPath: []string{"方案设计"}, Stem: "<p>设计</p>\n<p>方案</p>", Points: 1025}},
		{"an apostrophe before = + - @ is taken off",
			"判断,维护流程,'=1+1 是文本,,,,对,,,,,,'@名称,'-48V",
			content.Draft{Type: content.TrueFalse, TopicPath: []string{"维护流程"}, Stem: "=1+1 是文本", Key: content.Key{True: formatTestBool(true)}, Name: "@名称", Explanation: "-48V"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drafts, errs := content.ParseCSV(strings.NewReader(header + tc.row + "\n"))
			require.Empty(t, errs)
			tc.want.Pos = content.Pos{Row: 2}
			assert.Equal(t, []content.Draft{tc.want}, drafts)
		})
	}
}

func TestParseCSV_HeaderProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []content.FileError
	}{
		{"missing required columns", "\n题型,题干,解析\n单选,x,y\n", []content.FileError{
			{Pos: content.Pos{Row: 2}, Field: "主题 topic", Message: "format.missing_column", Args: map[string]any{"Column": "主题 topic"}},
			{Pos: content.Pos{Row: 2}, Field: "答案 answer", Message: "format.missing_column", Args: map[string]any{"Column": "答案 answer"}},
		}},
		{"duplicate column", "type,topic,stem,answer,答案\n", []content.FileError{
			{Pos: content.Pos{Row: 1, Column: "E"}, Field: "答案", Message: "format.duplicate_column", Args: map[string]any{"Column": "答案"}},
		}},
		{"header only", "题型,主题,题干,答案\n,,,\n", []content.FileError{{Pos: content.Pos{Row: 1}, Message: "format.empty_file"}}},
		{"nothing", " \n", []content.FileError{{Message: "format.empty_file"}}},
		{"bad quotes", "题型,主题,题干,答案\n单选,\"x,y\n", []content.FileError{{Pos: content.Pos{Row: 2}, Message: "format.csv_syntax", Args: map[string]any{"Row": 2}}}},
		{"binary", "PK\x03\x04\x00\x00", []content.FileError{{Message: "format.unsupported_file"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drafts, errs := content.ParseCSV(strings.NewReader(tc.text))
			assert.Empty(t, drafts)
			assert.Equal(t, tc.want, errs)
		})
	}
}

func TestParseCSV_HeadersMatchInChineseOrEnglishAnyCaseAndOrder(t *testing.T) {
	for _, tc := range []struct{ header, row string }{
		{"题型,主题,题干,选项A,选项B,答案", "单选,维护流程,题干,甲,乙,B"},
		{"Type,Topic,Stem,Option A,Option B,Answer", "单选,维护流程,题干,甲,乙,B"},
		{"题型 type,主题 topic,题干 stem,选项A option_a,选项B option_b,答案 answer", "单选,维护流程,题干,甲,乙,B"},
		{"*题型（type）,主题/Topic,STEM,option_a,选项 B,答案*", "单选,维护流程,题干,甲,乙,B"},
		{"answer,option_b,unknown,option_a,stem,topic,type", "B,乙,ignored,甲,题干,维护流程,单选"},
	} {
		t.Run(tc.header, func(t *testing.T) {
			drafts, errs := content.ParseCSV(strings.NewReader(tc.header + "\n" + tc.row + "\n"))
			require.Empty(t, errs)
			assert.Equal(t, []content.Draft{{Pos: content.Pos{Row: 2}, Type: content.SingleChoice, TopicPath: []string{"维护流程"}, Stem: "题干",
				Options: []content.Option{{Key: "A", Text: "甲"}, {Key: "B", Text: "乙"}}, Key: content.Key{Choices: []string{"B"}}}}, drafts)
		})
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add(formatTestdata(f, "sheet/bad.csv"))
	f.Add(formatTestGB18030(f, string(formatTestdata(f, "sheet/bad.csv"))))
	f.Add([]byte("题型,主题,题干,选项A,选项B,答案,填空规则\n填空,a/b,___,,,x|y||,保留空格\n单选,a,b,c,d,ab\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		drafts, errs := content.ParseCSV(bytes.NewReader(data))
		formatTestCheckResult(t, drafts, errs)
		for _, e := range errs {
			if e.Pos.Row < 0 {
				t.Fatalf("negative row: %+v", e)
			}
		}
	})
}

package content_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena/content"
)

// formatTestdata reads a file of content/testdata.
func formatTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

func formatTestBool(b bool) *bool { return &b }

func TestParseMoodleXML_TelecomFileGivesEveryConstruct(t *testing.T) {
	drafts, skipped, errs := content.ParseMoodleXMLWithSkipped(bytes.NewReader(formatTestdata(t, "moodle/telecom.xml")))
	require.Empty(t, errs)
	assert.Equal(t, 1, skipped, "the description")
	maint := []string{"维护流程"}
	design := []string{"方案设计", "重要客户/专线保障"} // "//" is a slash inside a name
	cnet := []string{"C网承接"}
	want := []content.Draft{
		{Pos: content.Pos{Line: 14}, Type: content.SingleChoice, TopicPath: maint, Name: "故障修复时限",
			Stem:    "<p>重要客户专线发生<strong>全阻</strong>故障时，修复时限一般不超过（ ）小时。</p>",
			Options: []content.Option{{Key: "A", Text: "2"}, {Key: "B", Text: "4"}, {Key: "C", Text: "8"}, {Key: "D", Text: "24"}},
			Key:     content.Key{Choices: []string{"B"}}, Explanation: "<p>以本单位服务标准为准。</p>", Points: 100, Tags: []string{"故障处理", "时限"}},
		{Pos: content.Pos{Line: 49}, Type: content.TrueFalse, TopicPath: maint, Name: "销障确认",
			Stem: "故障处理完毕后，<br>必须与客户确认业务恢复后才能销障。", Key: content.Key{True: formatTestBool(true)}, Points: 100},
		{Pos: content.Pos{Line: 84}, Type: content.MultipleChoice, TopicPath: design, Name: "双路由保护",
			Stem: `<p>为重要客户提供双路由保护时，下列做法正确的有（ ）。<img src="@@PLUGINFILE@@/route.png" alt="路由图"></p>`,
			Options: []content.Option{{Key: "A", Text: "主备路由走不同的光缆和管道"}, {Key: "B", Text: "主备路由使用同一条光缆的不同纤芯"},
				{Key: "C", Text: "主备路由时延差 &lt; 5 ms"}, {Key: "D", Text: "定期进行<em>主备倒换</em>演练"}},
			Key:         content.Key{Choices: []string{"A", "C", "D"}},
			Explanation: "同缆不同芯 &amp; 同管道都不是真正的双路由。", Points: 250},
		{Pos: content.Pos{Line: 111}, Type: content.Essay, TopicPath: design, Name: "银行双路由接入方案",
			Stem:   "<p>某银行分行需要接入两条互为备份的专线。</p><p>请设计接入方案，并说明如何保证业务连续性。</p>",
			Rubric: "<p>路由与局向分离 4 分；设备冗余 2 分；倒换机制 2 分；应急演练 2 分。</p>", Points: 1000},
		{Pos: content.Pos{Line: 136}, Type: content.ShortAnswer, TopicPath: design, Name: "故障处理流程",
			Stem: "简述重要客户专线故障处理的基本流程。", ReferenceAnswer: "受理、定位、抢修、确认、归档。", Difficulty: 3, Points: 500},
		{Pos: content.Pos{Line: 165}, Type: content.FillBlank, TopicPath: cnet, Name: "软切换",
			Stem: "<p>CDMA 系统中，移动台同时与多个基站通信的切换称为 ______ 切换。</p>",
			Key:  content.Key{Blanks: []content.Blank{{Accepted: []string{"软", "soft"}}}}, Normalization: content.DefaultNormalization, Points: 200},
		{Pos: content.Pos{Line: 185}, Type: content.FillBlank, TopicPath: cnet, Name: "CDMA全称\u00a0(英文)",
			Stem:          "CDMA 的英文全称是什么？<br>（区分大小写） ___",
			Key:           content.Key{Blanks: []content.Blank{{Accepted: []string{"Code Division Multiple Access"}}}},
			Normalization: content.Normalization{FoldWidth: true, TrimSpace: true}, Points: 133},
		{Pos: content.Pos{Line: 200}, Type: content.FillBlank, TopicPath: cnet, Name: "载频带宽",
			Stem: "<p>CDMA2000 1x 一个载频的带宽是 ___ MHz。</p>",
			Key:  content.Key{Blanks: []content.Blank{{Accepted: []string{"1.25"}}}}, Normalization: content.DefaultNormalization, Points: 200},
		{Pos: content.Pos{Line: 221}, Type: content.FillBlank, TopicPath: cnet, Name: "光纤窗口",
			Stem:          "<p>光纤通信常用的低损耗窗口有 850 nm、___ nm 和 ___ nm。</p>",
			Key:           content.Key{Blanks: []content.Blank{{Accepted: []string{"1310"}}, {Accepted: []string{"1550"}}}},
			Normalization: content.DefaultNormalization, Explanation: "单模光纤常用 1310 nm 和 1550 nm。"},
	}
	assert.Equal(t, want, drafts)
}

// The shared fixture is a real Moodle export: nested categories and five
// questions.
func TestParseMoodleXML_SharedFixtureCreatesTopicPathsAndFiveQuestions(t *testing.T) {
	drafts, errs := content.ParseMoodleXML(bytes.NewReader(formatTestdata(t, "moodle/nested_categories_with_questions.xml")))
	require.Empty(t, errs)
	var got [][]string
	var types []content.QuestionType
	for _, d := range drafts {
		got = append(got, d.TopicPath)
		types = append(types, d.Type)
	}
	assert.Equal(t, [][]string{{"Iota"}, {"Iota", "Kappa"}, {"Iota", "Kappa"}, {"Iota", "Kappa", "Lambda"}, {"Iota", "Mu"}}, got)
	assert.Equal(t, []content.QuestionType{content.TrueFalse, content.Essay, content.TrueFalse, content.TrueFalse, content.TrueFalse}, types)
	assert.Equal(t, "<p>Testing Iota Question</p>", drafts[0].Stem)
	assert.Equal(t, "Kappa Essay Question", drafts[1].Name)
	assert.Equal(t, "Testing Kappa Essay Question", drafts[1].Stem)
	assert.Equal(t, true, *drafts[4].Key.True)
}

func TestParseMoodleXML_BadFileReportsEveryQuestionAtItsLine(t *testing.T) {
	drafts, errs := content.ParseMoodleXML(bytes.NewReader(formatTestdata(t, "moodle/bad.xml")))
	assert.Empty(t, drafts)
	e := func(line int, field, msg string, args map[string]any) content.FileError {
		return content.FileError{Pos: content.Pos{Line: line}, Field: field, Message: msg, Args: args}
	}
	assert.Equal(t, []content.FileError{
		e(8, "answer", "format.single_choice_two_keys", nil),
		e(14, "answer", "format.multiple_choice_no_key", nil),
		e(20, "question", "format.unsupported_type", map[string]any{"Type": "matching"}),
		e(23, "question", "format.unsupported_type", map[string]any{"Type": "ddwtos"}),
		e(26, "answer", "format.true_false_no_key", nil),
		e(31, "answer", "format.blank_without_answer", map[string]any{"Blank": 1}),
		e(35, "defaultgrade", "format.points", map[string]any{"Value": "-1"}),
		e(39, "tolerance", "format.numerical_tolerance", map[string]any{"Value": "1.25"}),
		e(43, "questiontext", "format.stem_empty", nil),
		e(48, "answer", "format.fraction", map[string]any{"Value": "abc"}),
		e(53, "question", "format.unsupported_type", map[string]any{"Type": "cloze"}),
	}, errs)
}

func TestParseMoodleXML_FileLevelFailures(t *testing.T) {
	q := `<question type="truefalse"><questiontext><text>x</text></questiontext><answer fraction="100"><text>true</text></answer></question>`
	for _, tc := range []struct {
		name string
		xml  string
		want content.FileError
	}{
		{"unclosed element", "<quiz>\n" + q + "\n<question>\n</quiz>", content.FileError{Pos: content.Pos{Line: 4}, Message: "format.malformed_xml", Args: map[string]any{"Line": 4}}},
		{"bad entity", "<quiz>\n\n<question type=\"essay\"><questiontext><text>&bogus;</text></questiontext></question></quiz>", content.FileError{Pos: content.Pos{Line: 3}, Message: "format.malformed_xml", Args: map[string]any{"Line": 3}}},
		{"cut short", "<quiz>\n" + q, content.FileError{Pos: content.Pos{Line: 2}, Message: "format.malformed_xml", Args: map[string]any{"Line": 2}}},
		{"nested too deep", "<quiz><question type=\"essay\">" + strings.Repeat("<a>", 40) + strings.Repeat("</a>", 40) + "</question></quiz>", content.FileError{Pos: content.Pos{Line: 1}, Message: "format.malformed_xml", Args: map[string]any{"Line": 1}}},
		{"not a quiz", "<html><body>x</body></html>", content.FileError{Pos: content.Pos{Line: 1}, Message: "format.unsupported_file"}},
		{"no questions", "<?xml version=\"1.0\"?>\n<quiz>\n</quiz>", content.FileError{Message: "format.empty_file"}},
		{"empty", "", content.FileError{Message: "format.empty_file"}},
		{"other encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><quiz>` + q + `</quiz>`, content.FileError{Pos: content.Pos{Line: 1}, Message: "format.malformed_xml", Args: map[string]any{"Line": 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drafts, errs := content.ParseMoodleXML(strings.NewReader(tc.xml))
			assert.Nil(t, drafts)
			assert.Equal(t, []content.FileError{tc.want}, errs)
		})
	}
}

func TestParseMoodleXML_GB18030DeclaredEncoding(t *testing.T) {
	src := `<?xml version="1.0" encoding="GBK"?><quiz><question type="truefalse"><questiontext format="plain_text"><text>软切换是先连后断。</text></questiontext>` +
		`<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>`
	gb := formatTestGB18030(t, src)
	drafts, errs := content.ParseMoodleXML(bytes.NewReader(gb))
	require.Empty(t, errs)
	require.Len(t, drafts, 1)
	assert.Equal(t, "软切换是先连后断。", drafts[0].Stem)
}

func TestParseMoodleXML_CategoryPaths(t *testing.T) {
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"$course$/Iota/Kappa", []string{"Iota", "Kappa"}},
		{"$system$/top/维护流程", []string{"维护流程"}},
		{"$cat1$/top/Default for X/题库", []string{"Default for X", "题库"}},
		{"$module$/top", nil},
		{"top/a // b/c", []string{"a / b", "c"}},
		{" 维护流程 / 故障处理 ", []string{"维护流程", "故障处理"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			src := `<quiz><question type="category"><category><text>` + tc.path + `</text></category></question>` +
				`<question type="essay"><questiontext><text>论述</text></questiontext></question></quiz>`
			drafts, errs := content.ParseMoodleXML(strings.NewReader(src))
			require.Empty(t, errs)
			require.Len(t, drafts, 1)
			assert.Equal(t, tc.want, drafts[0].TopicPath)
		})
	}
}

func TestParseMoodleXML_TooManyQuestionsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("<quiz>\n")
	for range content.MaxImportQuestions + 1 {
		b.WriteString("<question type=\"essay\"><questiontext><text>x</text></questiontext></question>\n")
	}
	b.WriteString("</quiz>")
	drafts, errs := content.ParseMoodleXML(strings.NewReader(b.String()))
	assert.Nil(t, drafts)
	assert.Equal(t, []content.FileError{{Pos: content.Pos{Line: content.MaxImportQuestions + 2}, Message: "format.too_many_questions",
		Args: map[string]any{"Max": content.MaxImportQuestions}}}, errs)
}

// formatTestDrafts are drafts of every type and feature the writers must
// carry, in the form the parsers give back.
func formatTestDrafts() []content.Draft {
	return []content.Draft{
		{Type: content.SingleChoice, TopicPath: []string{"维护流程"}, Name: "故障修复时限",
			Stem:    "<p>重要客户专线全阻故障，修复时限一般不超过（ ）小时。</p>",
			Options: []content.Option{{Key: "A", Text: "2"}, {Key: "B", Text: "4"}, {Key: "C", Text: "8 & 24"}},
			Key:     content.Key{Choices: []string{"B"}}, Explanation: "以本单位服务标准为准。", Difficulty: 2, Points: 150, Tags: []string{"故障处理", "时限"}},
		{Type: content.MultipleChoice, TopicPath: []string{"方案设计", "重要客户"},
			Stem: "为重要客户提供双路由保护时，下列做法正确的有：{a=b~c#d:e}",
			Options: []content.Option{{Key: "A", Text: "主备路由走不同的光缆和管道"}, {Key: "B", Text: "同缆不同芯"},
				{Key: "C", Text: "接入不同的传输设备"}, {Key: "D", Text: "=SUM(A1) 不是公式"}},
			Key: content.Key{Choices: []string{"A", "C", "D"}}, Difficulty: 4, Points: 250},
		{Type: content.TrueFalse, TopicPath: []string{"C网承接"}, Stem: "CDMA 软切换是“先连后断”。", Key: content.Key{True: formatTestBool(true)}, Explanation: "-48V 直流供电与此无关。"},
		{Type: content.TrueFalse, TopicPath: []string{"C网承接"}, Stem: "@提及 不是命令。", Key: content.Key{True: formatTestBool(false)}},
		{Type: content.FillBlank, TopicPath: []string{"全业务网络知识", "传输"}, Stem: "光纤通信常用的低损耗窗口有 850 nm、___ nm。",
			Key: content.Key{Blanks: []content.Blank{{Accepted: []string{"1310", "一三一零"}}}}, Normalization: content.DefaultNormalization, Points: 200},
		{Type: content.FillBlank, TopicPath: []string{"全业务网络知识", "传输"}, Stem: "答案在末尾___",
			Key: content.Key{Blanks: []content.Blank{{Accepted: []string{"-48V"}}}}, Normalization: content.DefaultNormalization},
		{Type: content.ShortAnswer, TopicPath: []string{"维护流程"}, Stem: "简述重要客户专线故障处理的基本流程。",
			ReferenceAnswer: "<p>受理、定位、抢修、确认、归档。</p>", Rubric: "每步 1 分。", Difficulty: 3, Points: 500},
		{Type: content.Essay, TopicPath: []string{"方案设计"}, Stem: "设计银行分行双路由接入方案。", Explanation: "注意局向分离。",
			Rubric: "<p>路由分离 4 分；设备冗余 2 分。</p>", Points: 1000, Name: "银行双路由"},
	}
}

// formatTestOnlyMoodle are drafts only some formats can carry: several blanks,
// comparison rules beyond the defaults, an essay with a reference answer.
func formatTestOnlyMoodle() []content.Draft {
	return []content.Draft{
		{Type: content.FillBlank, TopicPath: []string{"全业务网络知识", "传输"}, Stem: "<p>低损耗窗口有 ___ nm 和 ___ nm。</p>",
			Key:           content.Key{Blanks: []content.Blank{{Accepted: []string{"1310"}}, {Accepted: []string{"1550", "1550nm", "a}b~c#d/e\"f"}}}},
			Normalization: content.Normalization{FoldWidth: true, TrimSpace: true}, Points: 400},
		{Type: content.FillBlank, TopicPath: []string{"C网承接"}, Stem: "CDMA 的英文缩写是 ___。",
			Key: content.Key{Blanks: []content.Blank{{Accepted: []string{"CDMA", "*"}}}}, Normalization: content.Normalization{}},
		{Type: content.Essay, TopicPath: []string{"方案设计"}, Stem: "论述]]>风险。", ReferenceAnswer: "双局向。", Points: 1000},
	}
}

func TestMoodleXML_RoundTrip(t *testing.T) {
	want := append(formatTestDrafts(), formatTestOnlyMoodle()...)
	var buf bytes.Buffer
	require.NoError(t, content.WriteMoodleXML(&buf, want))
	got, errs := content.ParseMoodleXML(bytes.NewReader(buf.Bytes()))
	require.Empty(t, errs, buf.String())
	for i := range got {
		got[i].Pos = content.Pos{}
	}
	assert.Equal(t, want, got)
	assert.Contains(t, buf.String(), `<question type="category">`)
	assert.Contains(t, buf.String(), "<text>$course$/top/方案设计/重要客户</text>")
	assert.Contains(t, buf.String(), "{1:SHORTANSWER_C:=1310}", "several blanks are written as cloze, case-sensitive here")
	assert.Equal(t, 9, strings.Count(buf.String(), `type="category"`), "one category per run of questions with the same topic")
}

func FuzzParseMoodleXML(f *testing.F) {
	for _, name := range []string{"moodle/telecom.xml", "moodle/bad.xml", "moodle/nested_categories_with_questions.xml"} {
		f.Add(formatTestdata(f, name))
	}
	var buf bytes.Buffer
	if err := content.WriteMoodleXML(&buf, append(formatTestDrafts(), formatTestOnlyMoodle()...)); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`<quiz><question type="cloze"><questiontext><text>{1:SA:=a\}~%100%b#c} {:MWC:=x}</text></questiontext></question></quiz>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		drafts, errs := content.ParseMoodleXML(bytes.NewReader(data))
		formatTestCheckResult(t, drafts, errs)
	})
}

// formatTestCheckResult states what every parser's result obeys, whatever
// the input: drafts have a known type, choice keys name options, and every
// problem has a message id.
func formatTestCheckResult(t *testing.T, drafts []content.Draft, errs []content.FileError) {
	t.Helper()
	for _, d := range drafts {
		if !d.Type.Valid() {
			t.Fatalf("draft with type %q", d.Type)
		}
		have := map[string]bool{}
		for _, o := range d.Options {
			have[o.Key] = true
		}
		for _, k := range d.Key.Choices {
			if !have[k] {
				t.Fatalf("key %q names no option", k)
			}
		}
	}
	for _, e := range errs {
		if !strings.HasPrefix(e.Message, "format.") {
			t.Fatalf("error without a message id: %+v", e)
		}
	}
}

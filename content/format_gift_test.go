package content_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena/content"
)

func TestParseGIFT_TelecomFileGivesEveryConstruct(t *testing.T) {
	drafts, skipped, errs := content.ParseGIFTWithSkipped(bytes.NewReader(formatTestdata(t, "gift/telecom.gift")))
	require.Empty(t, errs)
	assert.Equal(t, 1, skipped, "the description")
	maint := []string{"维护流程"}
	design := []string{"方案设计", "重要客户/专线"}
	cnet := []string{"C网承接"}
	fill := func(line int, name, stem string, accepted ...string) content.Draft {
		return content.Draft{Pos: content.Pos{Line: line}, Type: content.FillBlank, TopicPath: cnet, Name: name, Stem: stem,
			Key: content.Key{Blanks: []content.Blank{{Accepted: accepted}}}, Normalization: content.DefaultNormalization}
	}
	want := []content.Draft{
		{Pos: content.Pos{Line: 7}, Type: content.SingleChoice, TopicPath: maint, Name: "故障修复时限", Tags: []string{"故障处理", "时限"},
			Stem:    "重要客户专线发生全阻故障时，修复时限一般不超过多少小时？",
			Options: []content.Option{{Key: "A", Text: "2 小时"}, {Key: "B", Text: "4 小时"}, {Key: "C", Text: "8 小时"}, {Key: "D", Text: "24 小时"}},
			Key:     content.Key{Choices: []string{"B"}}, Explanation: "以本单位服务标准为准。"},
		{Pos: content.Pos{Line: 15}, Type: content.TrueFalse, TopicPath: maint, Name: "销障确认",
			Stem: "故障处理完毕后，必须与客户确认业务恢复后才能销障。", Key: content.Key{True: formatTestBool(true)}},
		{Pos: content.Pos{Line: 17}, Type: content.TrueFalse, TopicPath: maint, Name: "未经确认销障",
			Stem: "未经客户确认即可销障。", Key: content.Key{True: formatTestBool(false)}},
		{Pos: content.Pos{Line: 20}, Type: content.SingleChoice, TopicPath: maint, Stem: "重要客户专线故障应在 ___ 小时内修复。",
			Options: []content.Option{{Key: "A", Text: "2"}, {Key: "B", Text: "4"}, {Key: "C", Text: "8"}}, Key: content.Key{Choices: []string{"B"}}},
		{Pos: content.Pos{Line: 26}, Type: content.MultipleChoice, TopicPath: design, Name: "双路由保护",
			Stem: "<p>为重要客户提供<strong>双路由</strong>保护时，下列做法正确的有：</p>",
			Options: []content.Option{{Key: "A", Text: "主备路由走不同的光缆和管道"}, {Key: "B", Text: "主备路由使用同一条光缆的不同纤芯"},
				{Key: "C", Text: "主备路由接入<em>不同的</em>传输设备"}, {Key: "D", Text: "只建一条路由，另一条按需临时开通"}},
			Key: content.Key{Choices: []string{"A", "C"}}},
		{Pos: content.Pos{Line: 33}, Type: content.Essay, TopicPath: design, Name: "方案设计",
			Stem:        "<p>某银行分行需要接入两条互为备份的专线。</p><p>请设计接入方案，并说明如何保证业务连续性。</p>",
			Explanation: "<p>要点：双局向、双路由、设备冗余、倒换演练。</p>"},
		{Pos: content.Pos{Line: 37}, Type: content.TrueFalse, TopicPath: design, Name: "符号转义",
			Stem: `告警级别写作 {紧急}，公式 a=b~c，编号 #1，比例 1:1，反斜杠 \。`, Key: content.Key{True: formatTestBool(false)}},
		{Pos: content.Pos{Line: 39}, Type: content.TrueFalse, TopicPath: design, Name: "多行题干",
			Stem: "第一行说明故障现象，<br>第二行说明处理要求。", Key: content.Key{True: formatTestBool(true)}},
		fill(44, "CDMA 全称", "CDMA 的英文全称是 &lt;全称&gt; ___", "Code Division Multiple Access", "code division multiple access"),
		fill(46, "软切换", "CDMA 系统中，移动台同时与多个基站通信的切换称为 ___ 切换。", "软", "soft"),
		fill(48, "载频带宽", "CDMA2000 1x 一个载频的带宽是多少 MHz？___", "1.25"),
		fill(50, "载频带宽（部分分）", "CDMA2000 1x 载频带宽（MHz）：___", "1.25"),
		{Pos: content.Pos{Line: 52}, Type: content.Essay, TopicPath: cnet, Name: "C网风险", Stem: "论述 C 网承接中的主要风险及应对措施。"},
	}
	assert.Equal(t, want, drafts)
}

func TestParseGIFT_BadFileReportsEveryQuestionAtItsLine(t *testing.T) {
	drafts, errs := content.ParseGIFT(bytes.NewReader(formatTestdata(t, "gift/bad.gift")))
	assert.Empty(t, drafts)
	e := func(line int, field, msg string, args map[string]any) content.FileError {
		return content.FileError{Pos: content.Pos{Line: line}, Field: field, Message: msg, Args: args}
	}
	assert.Equal(t, []content.FileError{
		e(5, "answer", "format.unclosed_brace", nil),
		e(7, "answer", "format.stray_brace", nil),
		e(9, "answer", "format.single_choice_two_keys", nil),
		e(11, "answer", "format.multiple_choice_no_key", nil),
		e(13, "answer", "format.unsupported_type", map[string]any{"Type": "matching"}),
		e(15, "answer", "format.blank_without_answer", map[string]any{"Blank": 1}),
		e(17, "answer", "format.numerical_tolerance", map[string]any{"Value": "1.25:0.05"}),
		e(19, "answer", "format.numerical_answer", map[string]any{"Value": "abc"}),
		e(21, "answer", "format.too_few_options", map[string]any{"Min": 2}),
		e(23, "answer", "format.several_answer_blocks", nil),
		e(25, "stem", "format.stem_empty", nil),
	}, errs)
}

func TestParseGIFT_Forms(t *testing.T) {
	for _, tc := range []struct {
		name    string
		gift    string
		want    content.Draft
		wantErr string
	}{
		{"true/false words in any case, feedback ignored", "天线 {true#对#错}",
			content.Draft{Type: content.TrueFalse, Stem: "天线", Key: content.Key{True: formatTestBool(true)}}, ""},
		{"short answer without =, wildcard escaped", `答案 {3\*4}`,
			content.Draft{Type: content.FillBlank, Stem: "答案 ___", Key: content.Key{Blanks: []content.Blank{{Accepted: []string{"3*4"}}}}, Normalization: content.DefaultNormalization}, ""},
		{"numerical range of one number", "数 {#2..2}",
			content.Draft{Type: content.FillBlank, Stem: "数 ___", Key: content.Key{Blanks: []content.Blank{{Accepted: []string{"2"}}}}, Normalization: content.DefaultNormalization}, ""},
		{"essay with text after the braces", "请论述 {} 的要点",
			content.Draft{Type: content.Essay, Stem: "请论述 的要点"}, ""},
		{"plain format escapes, markdown paragraphs", "[plain]a < b\\n& c{=x ~y ####[markdown]第一段\\n\\n第二段}",
			content.Draft{Type: content.SingleChoice, Stem: "a &lt; b<br>&amp; c", Options: []content.Option{{Key: "A", Text: "x"}, {Key: "B", Text: "y"}},
				Key: content.Key{Choices: []string{"A"}}, Explanation: "<p>第一段</p><p>第二段</p>"}, ""},
		{"= makes a single choice, whose partial credits are two keys", "选 {=%50%甲 ~%50%乙 ~丙}",
			content.Draft{}, "format.single_choice_two_keys"},
		{"weights without = make a multiple choice", "选 {~%50%甲 ~%50%乙 ~%-100%丙}",
			content.Draft{Type: content.MultipleChoice, Stem: "选", Options: []content.Option{{Key: "A", Text: "甲"}, {Key: "B", Text: "乙"}, {Key: "C", Text: "丙"}},
				Key: content.Key{Choices: []string{"A", "B"}}}, ""},
		{"comment lines inside a question and CRLF", "// 注释\r\n题干\r\n// [tag:a\\]b]\r\n{T}",
			content.Draft{Type: content.TrueFalse, Stem: "题干", Tags: []string{"a]b"}, Key: content.Key{True: formatTestBool(true)}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drafts, errs := content.ParseGIFT(strings.NewReader(tc.gift))
			if tc.wantErr != "" {
				assert.Empty(t, drafts)
				assert.Equal(t, []content.FileError{{Pos: content.Pos{Line: 1}, Field: "answer", Message: tc.wantErr}}, errs)
				return
			}
			require.Empty(t, errs)
			tc.want.Pos = drafts[0].Pos
			assert.Equal(t, []content.Draft{tc.want}, drafts)
		})
	}
}

func TestParseGIFT_FileLevelFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want content.FileError
	}{
		{"only comments", "// a\n\n// b\n", content.FileError{Message: "format.empty_file"}},
		{"binary", "\x00\x01", content.FileError{Message: "format.unsupported_file"}},
		{"too large", strings.Repeat("a", content.MaxImportBytes+1), content.FileError{Message: "format.file_too_large", Args: map[string]any{"MaxMB": 20}}},
		{"too many", strings.Repeat("Q{T}\n\n", content.MaxImportQuestions+1),
			content.FileError{Pos: content.Pos{Line: 2*content.MaxImportQuestions + 1}, Message: "format.too_many_questions", Args: map[string]any{"Max": content.MaxImportQuestions}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drafts, errs := content.ParseGIFT(strings.NewReader(tc.data))
			assert.Nil(t, drafts)
			assert.Equal(t, []content.FileError{tc.want}, errs)
		})
	}
}

// GIFT carries types, stems, options, keys, one-blank fill-ins with default
// rules, explanations, names, tags and topics; not difficulty, points, a
// reference answer or rubric, and a judged short answer comes back an essay.
func TestGIFT_RoundTripWhatTheFormatExpresses(t *testing.T) {
	in := formatTestDrafts()
	var buf bytes.Buffer
	require.NoError(t, content.WriteGIFT(&buf, in))
	got, errs := content.ParseGIFT(bytes.NewReader(buf.Bytes()))
	require.Empty(t, errs, buf.String())
	want := make([]content.Draft, len(in))
	for i, d := range in {
		d.Difficulty, d.Points, d.ReferenceAnswer, d.Rubric = 0, 0, "", ""
		if d.Type == content.ShortAnswer {
			d.Type = content.Essay
		}
		want[i] = d
		got[i].Pos = content.Pos{}
	}
	assert.Equal(t, want, got)
	assert.Contains(t, buf.String(), "$CATEGORY: $course$/top/方案设计/重要客户\n")
	assert.Contains(t, buf.String(), `\{a\=b\~c\#d\:e\}`)
	assert.Contains(t, buf.String(), "// [tag:故障处理]\n// [tag:时限]\n::故障修复时限::")
}

func TestWriteGIFT_RefusesSeveralBlanks(t *testing.T) {
	err := content.WriteGIFT(&bytes.Buffer{}, formatTestOnlyMoodle()[:1])
	require.Error(t, err)
	assert.Contains(t, err.Error(), "format.gift_several_blanks")
}

func FuzzParseGIFT(f *testing.F) {
	f.Add(formatTestdata(f, "gift/telecom.gift"))
	f.Add(formatTestdata(f, "gift/bad.gift"))
	var buf bytes.Buffer
	if err := content.WriteGIFT(&buf, formatTestDrafts()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("::a::[html]b{#=1:0 =%50%2..3 ~x}\n\n$CATEGORY: x\n\n::t\\:x::{}\n\nq {=a->b}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		drafts, errs := content.ParseGIFT(bytes.NewReader(data))
		formatTestCheckResult(t, drafts, errs)
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		for _, e := range errs {
			if e.Pos.Line < 0 || e.Pos.Line > lines {
				t.Fatalf("error at line %d of %d: %+v", e.Pos.Line, lines, e)
			}
		}
	})
}

package content_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena/content"
)

func TestParseAiken_TelecomFile(t *testing.T) {
	drafts, errs := content.ParseAiken(bytes.NewReader(formatTestdata(t, "aiken/telecom.txt")))
	require.Empty(t, errs)
	q := func(line int, stem string, key string, opts ...string) content.Draft {
		d := content.Draft{Pos: content.Pos{Line: line}, Type: content.SingleChoice, Stem: stem, Key: content.Key{Choices: []string{key}}}
		for i, o := range opts {
			d.Options = append(d.Options, content.Option{Key: string(rune('A' + i)), Text: o})
		}
		return d
	}
	assert.Equal(t, []content.Draft{
		q(1, "重要客户专线发生全阻故障时，修复时限一般不超过多少小时？", "B", "2", "4", "8", "24"),
		q(8, "CDMA 软切换的特点是什么？<br>（选择最准确的一项）", "B", "先断后连", "先连后断", "只在同一基站内切换"),
		q(15, "下列哪项符合重要客户双路由保护的要求？", "A", "主备路由走不同的光缆和管道", "主备路由共用一条光缆"),
		q(20, "告警门限写作 x &lt; y &amp; z 时，表示什么？", "A", "小于", "大于"),
	}, drafts)
}

func TestParseAiken_BadFileReportsEveryProblemAtItsLine(t *testing.T) {
	drafts, errs := content.ParseAiken(bytes.NewReader(formatTestdata(t, "aiken/bad.txt")))
	assert.Empty(t, drafts)
	e := func(line int, field, msg string, args map[string]any) content.FileError {
		return content.FileError{Pos: content.Pos{Line: line}, Field: field, Message: msg, Args: args}
	}
	assert.Equal(t, []content.FileError{
		e(1, "ANSWER", "format.aiken_no_answer", nil),
		e(8, "ANSWER", "format.option_missing", map[string]any{"Key": "C"}),
		e(12, "option", "format.option_gap", map[string]any{"Key": "B"}),
		e(18, "ANSWER", "format.single_choice_two_keys", nil),
		e(22, "option", "format.too_few_options", map[string]any{"Min": 2}),
		e(24, "stem", "format.stem_empty", nil),
		e(29, "ANSWER", "format.answer_letters", map[string]any{"Value": "1"}),
		e(31, "ANSWER", "format.aiken_no_answer", nil),
	}, errs)
}

func TestParseAiken_Lines(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []content.FileError
	}{
		{"nine options", "题\nA. 1\nB. 2\nC. 3\nD. 4\nE. 5\nF. 6\nG. 7\nH. 8\nI. 9\nANSWER: A\n",
			[]content.FileError{{Pos: content.Pos{Line: 10}, Field: "option", Message: "format.too_many_options", Args: map[string]any{"Max": 8}}}},
		{"no answer letter", "题\nA. 1\nB. 2\nANSWER:\n",
			[]content.FileError{{Pos: content.Pos{Line: 4}, Field: "ANSWER", Message: "format.single_choice_no_key"}}},
		{"empty", "\n\n", []content.FileError{{Message: "format.empty_file"}}},
		{"too many", strings.Repeat("Q\nA. a\nB. b\nANSWER: A\n", content.MaxImportQuestions+1),
			[]content.FileError{{Pos: content.Pos{Line: 4 * (content.MaxImportQuestions + 1)}, Message: "format.too_many_questions", Args: map[string]any{"Max": content.MaxImportQuestions}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drafts, errs := content.ParseAiken(strings.NewReader(tc.text))
			assert.Nil(t, drafts)
			assert.Equal(t, tc.want, errs)
		})
	}
}

func TestParseAiken_GB18030AndBOM(t *testing.T) {
	text := "软切换是？\r\nA) 先连后断\r\nB) 先断后连\r\nANSWER: A\r\n"
	for _, data := range [][]byte{formatTestGB18030(t, text), append([]byte("\xef\xbb\xbf"), text...)} {
		drafts, errs := content.ParseAiken(bytes.NewReader(data))
		require.Empty(t, errs)
		assert.Equal(t, []content.Draft{{Pos: content.Pos{Line: 1}, Type: content.SingleChoice, Stem: "软切换是？",
			Options: []content.Option{{Key: "A", Text: "先连后断"}, {Key: "B", Text: "先断后连"}}, Key: content.Key{Choices: []string{"A"}}}}, drafts)
	}
}

func FuzzParseAiken(f *testing.F) {
	f.Add(formatTestdata(f, "aiken/telecom.txt"))
	f.Add(formatTestdata(f, "aiken/bad.txt"))
	f.Add([]byte("Q\nA．甲\nB、乙\n答案：b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		drafts, errs := content.ParseAiken(bytes.NewReader(data))
		formatTestCheckResult(t, drafts, errs)
		for _, d := range drafts {
			if d.Type != content.SingleChoice || len(d.Key.Choices) != 1 || len(d.Options) < 2 {
				t.Fatalf("not a single choice: %+v", d)
			}
		}
	})
}

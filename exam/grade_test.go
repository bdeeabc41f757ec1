package exam

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena"
	"skillarena/content"
)

type gradeCase struct {
	name     string
	order    []string // option order shown; nil: the version's own
	response string
	want     Grade
}

func runGradeCases(t *testing.T, typ content.QuestionType, key content.Key, norm content.Normalization, points skillarena.Points, opts GradeOptions, cases []gradeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, err := GradeObjective(typ, key, norm, points, tc.order, json.RawMessage(tc.response), opts)
			require.NoError(t, err)
			assert.Equal(t, tc.want, g)
		})
	}
}

var (
	full    = func(p skillarena.Points) Grade { return Grade{Score: p, Correct: true, Answered: true} }
	wrong   = Grade{Answered: true}
	partial = func(p skillarena.Points) Grade { return Grade{Score: p, Answered: true} }
	yes, no = true, false
)

func TestGradeObjective_SingleChoice(t *testing.T) {
	key := content.Key{Choices: []string{"B"}}
	runGradeCases(t, content.SingleChoice, key, content.Normalization{}, 100, GradeOptions{}, []gradeCase{
		{"the key", nil, `"B"`, full(100)},
		{"another option", nil, `"A"`, wrong},
		{"a letter past the options but among A–H", nil, `"H"`, wrong},
		{"spaces around JSON", nil, " \"B\"\n", full(100)},
		// Shown "A" is the version's C, shown "C" the version's B.
		{"shuffled: shown letter of the key", []string{"C", "D", "B", "A"}, `"C"`, full(100)},
		{"shuffled: the key's own letter is wrong", []string{"C", "D", "B", "A"}, `"B"`, wrong},
		{"shuffled: two options", []string{"B", "A"}, `"A"`, full(100)},
	})
}

func TestGradeObjective_MultipleChoiceAllOrNothing(t *testing.T) {
	key := content.Key{Choices: []string{"A", "C", "D"}}
	runGradeCases(t, content.MultipleChoice, key, content.Normalization{}, 200, GradeOptions{}, []gradeCase{
		{"exact set", nil, `["A","C","D"]`, full(200)},
		{"order ignored", nil, `["D","A","C"]`, full(200)},
		{"repeats ignored", nil, `["A","C","D","C","A"]`, full(200)},
		{"subset", nil, `["A","C"]`, wrong},
		{"one", nil, `["A"]`, wrong},
		{"superset", nil, `["A","B","C","D"]`, wrong},
		{"wrong one", nil, `["B"]`, wrong},
		// Shown A,B,C,D are the version's D,C,B,A: the key A,C,D shows as D,B,A.
		{"shuffled exact", []string{"D", "C", "B", "A"}, `["A","B","D"]`, full(200)},
		{"shuffled own letters are wrong", []string{"D", "C", "B", "A"}, `["A","C","D"]`, wrong},
	})
}

func TestGradeObjective_MultipleChoicePartialCredit(t *testing.T) {
	pc := GradeOptions{PartialCredit: true}
	key3 := content.Key{Choices: []string{"A", "B", "C"}}
	runGradeCases(t, content.MultipleChoice, key3, content.Normalization{}, 300, pc, []gradeCase{
		{"3.00, key of 3, one chosen → 1.00", nil, `["B"]`, partial(100)},
		{"3.00, key of 3, two chosen → 2.00", nil, `["A","C"]`, partial(200)},
		{"exact set is correct", nil, `["C","B","A"]`, full(300)},
		{"any wrong letter → 0", nil, `["A","B","D"]`, wrong},
		{"only a wrong letter → 0", nil, `["D"]`, wrong},
		{"repeats count once", nil, `["A","A","A"]`, partial(100)},
		{"shuffled subset", []string{"D", "C", "B", "A"}, `["B","C"]`, partial(200)},
		{"shuffled wrong", []string{"D", "C", "B", "A"}, `["A","B"]`, wrong},
	})
	runGradeCases(t, content.MultipleChoice, key3, content.Normalization{}, 200, pc, []gradeCase{
		{"2.00, key of 3, one chosen → 0.67", nil, `["A"]`, partial(67)},
		{"2.00, key of 3, two chosen → 1.33", nil, `["A","B"]`, partial(133)},
	})
	key2 := content.Key{Choices: []string{"A", "D"}}
	runGradeCases(t, content.MultipleChoice, key2, content.Normalization{}, 5, pc, []gradeCase{
		{"0.05, 1 of 2 → 0.03 (half up)", nil, `["D"]`, partial(3)},
	})
	runGradeCases(t, content.MultipleChoice, key2, content.Normalization{}, 1, pc, []gradeCase{
		{"0.01, 1 of 2 → 0.01 (half up)", nil, `["A"]`, partial(1)},
	})
	key4 := content.Key{Choices: []string{"A", "B", "C", "D"}}
	runGradeCases(t, content.MultipleChoice, key4, content.Normalization{}, 1, pc, []gradeCase{
		{"0.01, 1 of 4 → 0.00 (below half)", nil, `["A"]`, partial(0)},
		{"0.01, 2 of 4 → 0.01 (half up)", nil, `["A","B"]`, partial(1)},
	})
}

func TestShareHalfUp(t *testing.T) {
	for _, tc := range []struct {
		points skillarena.Points
		k, n   int
		want   skillarena.Points
	}{
		{300, 1, 3, 100}, {200, 1, 3, 67}, {200, 2, 3, 133}, {5, 1, 2, 3}, {1, 1, 2, 1}, {1, 1, 3, 0},
		{100, 0, 4, 0}, {100, 4, 4, 100}, {1000, 1, 8, 125}, {1, 3, 8, 0}, {3, 1, 2, 2},
		// The largest figures cannot overflow: 999,849.984998… and 499,999.995.
		{skillarena.MaxPoints, 6665, 6666, 99_984_998}, {skillarena.MaxPoints - 1, 1, 2, 50_000_000},
	} {
		assert.Equal(t, tc.want, shareHalfUp(tc.points, tc.k, tc.n), "%s × %d/%d", tc.points, tc.k, tc.n)
	}
}

func TestGradeObjective_TrueFalse(t *testing.T) {
	runGradeCases(t, content.TrueFalse, content.Key{True: &yes}, content.Normalization{}, 100, GradeOptions{}, []gradeCase{
		{"true is right", nil, `true`, full(100)},
		{"false is wrong", nil, `false`, wrong},
	})
	runGradeCases(t, content.TrueFalse, content.Key{True: &no}, content.Normalization{}, 100, GradeOptions{}, []gradeCase{
		{"false is right", nil, `false`, full(100)},
		{"true is wrong", nil, `true`, wrong},
	})
}

func TestGradeObjective_FillBlank(t *testing.T) {
	key := content.Key{Blanks: []content.Blank{
		{Accepted: []string{"OSPF", "开放最短路径优先"}},
		{Accepted: []string{"192.168.1.1"}},
		{Accepted: []string{"Fiber To The Home", "FTTH"}},
	}}
	def := content.DefaultNormalization
	runGradeCases(t, content.FillBlank, key, def, 300, GradeOptions{}, []gradeCase{
		{"all right", nil, `["OSPF","192.168.1.1","FTTH"]`, full(300)},
		{"another accepted answer", nil, `["开放最短路径优先","192.168.1.1","Fiber To The Home"]`, full(300)},
		{"full-width with FoldWidth", nil, `["ＯＳＰＦ","１９２。１６８。１。１","ＦＴＴＨ"]`, full(300)},
		{"case", nil, `["ospf","192.168.1.1","fiber to the HOME"]`, full(300)},
		{"spaces", nil, `["  OSPF ","192.168.1.1\u3000","Fiber   To\tThe  Home"]`, full(300)},
		{"two of three", nil, `["OSPF","10.0.0.1","FTTH"]`, partial(200)},
		{"one of three", nil, `["RIP","","FTTH"]`, partial(100)},
		{"fewer answers than blanks", nil, `["OSPF"]`, partial(100)},
		{"none right", nil, `["RIP","x","y"]`, wrong},
		{"option order is irrelevant", []string{"B", "A"}, `["OSPF","192.168.1.1","FTTH"]`, full(300)},
	})
	runGradeCases(t, content.FillBlank, key, def, 200, GradeOptions{}, []gradeCase{
		{"2.00, one of three → 0.67", nil, `["OSPF"]`, partial(67)},
		{"2.00, two of three → 1.33", nil, `["OSPF","192.168.1.1"]`, partial(133)},
	})
	exact := content.Normalization{}
	runGradeCases(t, content.FillBlank, key, exact, 300, GradeOptions{}, []gradeCase{
		{"exact: same text", nil, `["OSPF","192.168.1.1","FTTH"]`, full(300)},
		{"exact: case counts", nil, `["ospf","192.168.1.1","FTTH"]`, partial(200)},
		{"exact: width counts", nil, `["ＯＳＰＦ","192.168.1.1","FTTH"]`, partial(200)},
		{"exact: spaces count", nil, `[" OSPF","192.168.1.1","FTTH"]`, partial(200)},
	})
	// The accepted answers are normalised too.
	wide := content.Key{Blanks: []content.Blank{{Accepted: []string{" Ｖｌａｎ "}}}}
	runGradeCases(t, content.FillBlank, wide, def, 100, GradeOptions{}, []gradeCase{
		{"normalised key", nil, `["vlan"]`, full(100)},
	})
	// An accepted answer that normalises to "" never matches an empty blank.
	blankKey := content.Key{Blanks: []content.Blank{{Accepted: []string{" "}}, {Accepted: []string{"x"}}}}
	runGradeCases(t, content.FillBlank, blankKey, def, 100, GradeOptions{}, []gradeCase{
		{"empty blank is never right", nil, `["  ","x"]`, partial(50)},
	})
}

func TestGradeObjective_Unanswered(t *testing.T) {
	tf := true
	keys := map[content.QuestionType]content.Key{
		content.SingleChoice:   {Choices: []string{"A"}},
		content.MultipleChoice: {Choices: []string{"A", "B"}},
		content.TrueFalse:      {True: &tf},
		content.FillBlank:      {Blanks: []content.Blank{{Accepted: []string{"a"}}, {Accepted: []string{"b"}}}},
	}
	for typ, key := range keys {
		for _, r := range []string{``, `null`, ` null `, `""`, `[]`, `[ ]`} {
			g, err := GradeObjective(typ, key, content.DefaultNormalization, 100, nil, json.RawMessage(r), GradeOptions{PartialCredit: true})
			require.NoError(t, err, "%s %q", typ, r)
			assert.Equal(t, Grade{}, g, "%s %q", typ, r)
		}
	}
	for _, r := range []string{`["",""]`, `[""]`, `[null]`, `["  ","\u3000"]`} {
		g, err := GradeObjective(content.FillBlank, keys[content.FillBlank], content.DefaultNormalization, 100, nil, json.RawMessage(r), GradeOptions{})
		require.NoError(t, err, r)
		assert.Equal(t, Grade{}, g, r)
	}
}

func TestGradeObjective_Malformed(t *testing.T) {
	tf := true
	for _, tc := range []struct {
		typ      content.QuestionType
		key      content.Key
		order    []string
		response string
		message  string
	}{
		{content.SingleChoice, content.Key{Choices: []string{"A"}}, nil, `["A"]`, "want one letter A–H"},
		{content.SingleChoice, content.Key{Choices: []string{"A"}}, nil, `"I"`, "want one letter A–H"},
		{content.SingleChoice, content.Key{Choices: []string{"A"}}, nil, `"a"`, "want one letter A–H"},
		{content.SingleChoice, content.Key{Choices: []string{"A"}}, nil, `"AB"`, "want one letter A–H"},
		{content.SingleChoice, content.Key{Choices: []string{"A"}}, nil, `" "`, "want one letter A–H"},
		{content.SingleChoice, content.Key{Choices: []string{"A"}}, nil, `1`, "want one letter A–H"},
		{content.SingleChoice, content.Key{Choices: []string{"A"}}, []string{"B", "A", "C", "D"}, `"E"`, "want one letter A–D"},
		{content.SingleChoice, content.Key{Choices: []string{"A"}}, nil, `"A`, "want one letter"},
		{content.MultipleChoice, content.Key{Choices: []string{"A"}}, nil, `"A"`, "want a list of letters A–H"},
		{content.MultipleChoice, content.Key{Choices: []string{"A"}}, []string{"A", "B"}, `["A","C"]`, "want a list of letters A–B"},
		{content.MultipleChoice, content.Key{Choices: []string{"A"}}, nil, `["A",""]`, "want a list of letters"},
		{content.MultipleChoice, content.Key{Choices: []string{"A"}}, nil, `[1]`, "want a list of letters"},
		{content.MultipleChoice, content.Key{Choices: []string{"A"}}, nil, `{"A":true}`, "want a list of letters"},
		{content.TrueFalse, content.Key{True: &tf}, nil, `"true"`, "want true or false"},
		{content.TrueFalse, content.Key{True: &tf}, nil, `1`, "want true or false"},
		{content.TrueFalse, content.Key{True: &tf}, nil, `[true]`, "want true or false"},
		{content.FillBlank, content.Key{Blanks: []content.Blank{{Accepted: []string{"a"}}}}, nil, `["a","b"]`, "at most 1 texts"},
		{content.FillBlank, content.Key{Blanks: []content.Blank{{Accepted: []string{"a"}}}}, nil, `"a"`, "at most 1 texts"},
		{content.FillBlank, content.Key{Blanks: []content.Blank{{Accepted: []string{"a"}}}}, nil, `[1]`, "at most 1 texts"},
		{content.FillBlank, content.Key{Blanks: []content.Blank{{Accepted: []string{"a"}}}}, nil, `["` + strings.Repeat("字", MaxAnswerChars+1) + `"]`, "blank 1 is longer than 20000 characters"},
	} {
		g, err := GradeObjective(tc.typ, tc.key, content.DefaultNormalization, 100, tc.order, json.RawMessage(tc.response), GradeOptions{})
		require.ErrorIs(t, err, ErrMalformedResponse, "%s %s", tc.typ, tc.response)
		assert.ErrorContains(t, err, tc.message, "%s %s", tc.typ, tc.response)
		assert.Equal(t, Grade{Answered: true}, g, "stored as wrong")
		var appErr *skillarena.Error
		require.ErrorAs(t, err, &appErr)
		assert.Equal(t, skillarena.EINVALID, appErr.Code)
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err))
	}
}

func TestGradeObjective_NotObjective(t *testing.T) {
	for _, typ := range []content.QuestionType{content.ShortAnswer, content.Essay} {
		_, err := GradeObjective(typ, content.Key{}, content.Normalization{}, 100, nil, json.RawMessage(`"text"`), GradeOptions{})
		assert.ErrorIs(t, err, ErrNotObjective)
	}
	_, err := GradeObjective("matching", content.Key{}, content.Normalization{}, 100, nil, json.RawMessage(`"x"`), GradeOptions{})
	assert.ErrorContains(t, err, `unknown question type "matching"`)
}

func TestGradeObjective_InvalidKeyAndPoints(t *testing.T) {
	for name, tc := range map[string]struct {
		typ   content.QuestionType
		key   content.Key
		order []string
	}{
		"single without key":        {content.SingleChoice, content.Key{}, nil},
		"single with two keys":      {content.SingleChoice, content.Key{Choices: []string{"A", "B"}}, nil},
		"multiple without key":      {content.MultipleChoice, content.Key{}, nil},
		"key letter not in options": {content.MultipleChoice, content.Key{Choices: []string{"E"}}, []string{"A", "B", "C", "D"}},
		"true/false without key":    {content.TrueFalse, content.Key{}, nil},
		"fill without blanks":       {content.FillBlank, content.Key{}, nil},
	} {
		_, err := GradeObjective(tc.typ, tc.key, content.Normalization{}, 100, tc.order, json.RawMessage(`null`), GradeOptions{})
		assert.ErrorIs(t, err, ErrInvalidKey, name)
	}
	key := content.Key{Choices: []string{"A"}}
	_, err := GradeObjective(content.SingleChoice, key, content.Normalization{}, -1, nil, json.RawMessage(`"A"`), GradeOptions{})
	assert.ErrorContains(t, err, "out of range")
	_, err = GradeObjective(content.SingleChoice, key, content.Normalization{}, skillarena.MaxPoints+1, nil, json.RawMessage(`"A"`), GradeOptions{})
	assert.ErrorContains(t, err, "out of range")
	g, err := GradeObjective(content.SingleChoice, key, content.Normalization{}, 0, nil, json.RawMessage(`"A"`), GradeOptions{})
	require.NoError(t, err)
	assert.Equal(t, Grade{Correct: true, Answered: true}, g, "an item worth 0 can still be right")
}

func TestValidateResponse(t *testing.T) {
	long := func(n int) string { b, _ := json.Marshal(strings.Repeat("题", n)); return string(b) }
	for _, tc := range []struct {
		typ             content.QuestionType
		options, blanks int
		response        string
		message         string // "" when valid
	}{
		{content.SingleChoice, 4, 0, `"D"`, ""},
		{content.SingleChoice, 4, 0, `"A"`, ""},
		{content.SingleChoice, 4, 0, `"E"`, "invalid answer for a single-choice question: want one letter A–D"},
		{content.SingleChoice, 2, 0, `"C"`, "want one letter A–B"},
		{content.SingleChoice, 4, 0, `["A"]`, "want one letter A–D"},
		{content.SingleChoice, 30, 0, `"Z"`, ""},
		{content.SingleChoice, 30, 0, `"["`, "want one letter A–Z"},
		{content.MultipleChoice, 5, 0, `["A","E"]`, ""},
		{content.MultipleChoice, 5, 0, `["A","A"]`, ""},
		{content.MultipleChoice, 5, 0, `["A","F"]`, "invalid answer for a multiple-choice question: want a list of letters A–E"},
		{content.MultipleChoice, 5, 0, `"A"`, "want a list of letters A–E"},
		{content.TrueFalse, 0, 0, `false`, ""},
		{content.TrueFalse, 0, 0, `"false"`, "invalid answer for a true/false question: want true or false"},
		{content.FillBlank, 0, 2, `["a","b"]`, ""},
		{content.FillBlank, 0, 2, `["a"]`, ""},
		{content.FillBlank, 0, 2, `["a",null]`, ""},
		{content.FillBlank, 0, 2, `["a","b","c"]`, "want a list of at most 2 texts, one per blank"},
		{content.FillBlank, 0, 2, `[` + long(MaxAnswerChars) + `]`, ""},
		{content.FillBlank, 0, 2, `["a",` + long(MaxAnswerChars+1) + `]`, "blank 2 is longer than 20000 characters"},
		{content.ShortAnswer, 0, 0, long(MaxAnswerChars), ""},
		{content.ShortAnswer, 0, 0, long(MaxAnswerChars + 1), "longer than 20000 characters"},
		{content.ShortAnswer, 0, 0, `["text"]`, "want a text"},
		{content.Essay, 0, 0, long(MaxEssayChars), ""},
		{content.Essay, 0, 0, long(MaxEssayChars + 1), "longer than 50000 characters"},
		{content.Essay, 0, 0, `42`, "want a text"},
	} {
		err := ValidateResponse(tc.typ, tc.options, tc.blanks, json.RawMessage(tc.response))
		name := string(tc.typ) + " " + tc.response[:min(len(tc.response), 20)]
		if tc.message == "" {
			assert.NoError(t, err, name)
			continue
		}
		assert.ErrorContains(t, err, tc.message, name)
		assert.ErrorIs(t, err, ErrMalformedResponse, name)
		var re *ResponseError
		require.ErrorAs(t, err, &re, name)
		var appErr *skillarena.Error
		require.ErrorAs(t, err, &appErr, name)
		assert.Equal(t, skillarena.EINVALID, appErr.Code)
		assert.Equal(t, re.MessageID, appErr.Message)
		assert.Equal(t, re.MessageID, appErr.Fields["response"])
		assert.Equal(t, re.Args, appErr.Args)
	}

	// Empty responses clear the answer, for every type.
	for _, typ := range content.QuestionTypes {
		for _, r := range []string{``, `null`, `""`, `[]`} {
			assert.NoError(t, ValidateResponse(typ, 4, 2, json.RawMessage(r)), "%s %q", typ, r)
		}
	}

	// The caller's mistakes are not the contestant's.
	for _, err := range []error{
		ValidateResponse(content.SingleChoice, 0, 0, json.RawMessage(`"A"`)),
		ValidateResponse(content.FillBlank, 0, 0, json.RawMessage(`["a"]`)),
		ValidateResponse("matching", 4, 0, json.RawMessage(`"A"`)),
	} {
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrMalformedResponse)
	}
}

// Every message id a ResponseError carries has English text, and the
// validator's ids are all among them.
func TestResponseError_MessagesKnown(t *testing.T) {
	for id, text := range responseMessages {
		assert.True(t, strings.HasPrefix(id, "answer."), id)
		assert.NotEmpty(t, text)
	}
	e := &ResponseError{Type: content.FillBlank, MessageID: "answer.blank_too_long", Args: map[string]any{"Blank": 2, "Max": 20000}}
	assert.Equal(t, "invalid answer for a fill-in-the-blank question: blank 2 is longer than 20000 characters", e.Error())
}

func FuzzGradeObjective(f *testing.F) {
	for _, r := range []string{`"A"`, `"B"`, `["A","C"]`, `["C"]`, `true`, `false`, `["ＯＳＰＦ"," x "]`, `null`, `[]`, `""`, `["A","A","B"]`, `[null,"x"]`, `{"a":1}`, `"`, `1e999`} {
		for typ := range uint8(6) {
			f.Add(typ, r, int64(200), true, true)
			f.Add(typ, r, int64(5), false, false)
		}
	}
	f.Fuzz(func(t *testing.T, typIndex uint8, response string, points int64, partial, shuffled bool) {
		typ := content.QuestionTypes[int(typIndex)%len(content.QuestionTypes)]
		tf := typIndex&8 != 0
		key := content.Key{True: &tf, Blanks: []content.Blank{{Accepted: []string{"OSPF", "ospf "}}, {Accepted: []string{"x"}}}}
		if typ == content.SingleChoice {
			key.Choices = []string{"C"}
		} else {
			key.Choices = []string{"A", "C", "D"}
		}
		var order []string
		if shuffled {
			order = []string{"D", "A", "C", "B"}
		}
		p := skillarena.Points(points)
		g, err := GradeObjective(typ, key, content.DefaultNormalization, p, order, json.RawMessage(response), GradeOptions{PartialCredit: partial})
		if p < 0 || p > skillarena.MaxPoints || !typ.Objective() {
			if err == nil {
				t.Fatalf("want an error for %s worth %d", typ, p)
			}
			return
		}
		if g.Score < 0 || g.Score > p {
			t.Fatalf("score %s outside [0, %s] for %s %q", g.Score, p, typ, response)
		}
		if g.Correct && (g.Score != p || !g.Answered) {
			t.Fatalf("correct but %+v for %s %q", g, typ, response)
		}
		if !g.Answered && g.Score != 0 {
			t.Fatalf("unanswered but scored: %+v", g)
		}
		if err != nil && (g.Score != 0 || g.Correct) {
			t.Fatalf("error %v with %+v", err, g)
		}
		// The save check and the grader agree on what is malformed.
		verr := ValidateResponse(typ, 4, 2, json.RawMessage(response))
		if shuffled && (err == nil) != (verr == nil) {
			t.Fatalf("grade error %v, validate error %v for %s %q", err, verr, typ, response)
		}
	})
}

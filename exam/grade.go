package exam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"skillarena"
	"skillarena/content"
)

// Limits on a saved answer, in characters (runes).
const (
	MaxAnswerChars = 20_000 // one blank, or a short answer
	MaxEssayChars  = 50_000
)

// maxOptionLetters are the letters an option may have when the option count
// is not known (content allows A–H).
const maxOptionLetters = 8

var (
	// ErrMalformedResponse: the response does not have the shape its
	// question type takes (see ResponseError, which wraps it).
	ErrMalformedResponse = errors.New("exam: malformed response")
	// ErrNotObjective: short answers and essays are marked by judges, not
	// by GradeObjective.
	ErrNotObjective = errors.New("exam: question type is not graded automatically")
	// ErrInvalidKey: the stored key cannot grade anything (a single-choice
	// key without exactly one letter, a key letter not among the shown
	// options, no blanks, …). It is a data error, never the contestant's.
	ErrInvalidKey = errors.New("exam: invalid answer key")
)

// Grade is the automatic mark of one objective item.
type Grade struct {
	Score skillarena.Points `json:"score"`
	// Correct is true for a fully right answer only (partial credit is not
	// correct).
	Correct bool `json:"correct"`
	// Answered is false for an empty response: absent, null, "", [] or
	// blanks that are all empty.
	Answered bool `json:"answered"`
}

// ResponseError says why a response does not fit its question. It wraps
// both ErrMalformedResponse and a *skillarena.Error (code invalid, with the
// message id and arguments the server translates; field "response"), so
// errors.Is(err, ErrMalformedResponse) and errors.As(err, **skillarena.Error)
// both work. Error() is the English text.
type ResponseError struct {
	Type      content.QuestionType
	MessageID string
	Args      map[string]any
}

// responseMessages are the English texts of ResponseError message ids, in
// go-i18n template syntax.
var responseMessages = map[string]string{
	"answer.invalid_single_choice":   "invalid answer for a single-choice question: want one letter A–{{.Last}}",
	"answer.invalid_multiple_choice": "invalid answer for a multiple-choice question: want a list of letters A–{{.Last}}",
	"answer.invalid_true_false":      "invalid answer for a true/false question: want true or false",
	"answer.invalid_fill_blank":      "invalid answer for a fill-in-the-blank question: want a list of at most {{.Blanks}} texts, one per blank",
	"answer.invalid_text":            "invalid answer: want a text",
	"answer.blank_too_long":          "invalid answer for a fill-in-the-blank question: blank {{.Blank}} is longer than {{.Max}} characters",
	"answer.too_long":                "invalid answer: longer than {{.Max}} characters",
}

// Error renders the English message.
func (e *ResponseError) Error() string {
	s := responseMessages[e.MessageID]
	for k, v := range e.Args {
		s = strings.ReplaceAll(s, "{{."+k+"}}", fmt.Sprint(v))
	}
	return s
}

// Unwrap gives ErrMalformedResponse and the application error the server
// renders.
func (e *ResponseError) Unwrap() []error {
	return []error{ErrMalformedResponse, &skillarena.Error{
		Code: skillarena.EINVALID, Message: e.MessageID, Args: e.Args,
		Fields: map[string]string{"response": e.MessageID}, FieldArgs: map[string]map[string]any{"response": e.Args},
	}}
}

// ValidateResponse checks the shape of a response before it is saved:
// single choice one letter among the first optionCount ("A"…); multiple
// choice a list of such letters (repeats allowed, they count once);
// true/false a boolean; fill in the blank a list of at most blanks texts
// (null entries count as empty); short answer and essay a text. Texts are
// at most MaxAnswerChars characters (a blank, a short answer) or
// MaxEssayChars (an essay). An empty response (absent, null, "", []) is
// valid for every type: it clears the answer. A bad response gives a
// *ResponseError; optionCount < 1 for a choice question, blanks < 1 for a
// fill-in one or an unknown type are the caller's errors.
func ValidateResponse(typ content.QuestionType, optionCount, blanks int, response json.RawMessage) error {
	switch typ {
	case content.SingleChoice, content.MultipleChoice:
		if optionCount < 1 {
			return fmt.Errorf("exam: validate %s response: option count %d", typ, optionCount)
		}
	case content.FillBlank:
		if blanks < 1 {
			return fmt.Errorf("exam: validate %s response: blank count %d", typ, blanks)
		}
	case content.TrueFalse, content.ShortAnswer, content.Essay:
	default:
		return fmt.Errorf("exam: validate response: unknown question type %q", typ)
	}
	if emptyResponse(response) {
		return nil
	}
	switch typ {
	case content.SingleChoice:
		_, err := parseSingleChoice(response, optionCount)
		return err
	case content.MultipleChoice:
		_, err := parseMultipleChoice(response, optionCount)
		return err
	case content.TrueFalse:
		_, err := parseTrueFalse(response)
		return err
	case content.FillBlank:
		_, err := parseFillBlank(response, blanks)
		return err
	}
	var s string
	if err := json.Unmarshal(response, &s); err != nil {
		return &ResponseError{Type: typ, MessageID: "answer.invalid_text"}
	}
	limit := MaxAnswerChars
	if typ == content.Essay {
		limit = MaxEssayChars
	}
	if utf8.RuneCountInString(s) > limit {
		return &ResponseError{Type: typ, MessageID: "answer.too_long", Args: map[string]any{"Max": limit}}
	}
	return nil
}

// GradeObjective marks one objective item worth points (0 ≤ points ≤
// skillarena.MaxPoints). The response names options by the letters shown:
// shown "A" is optionOrder[0], "B" optionOrder[1], …; with an empty
// optionOrder the letters are the version's own (A–H). The key is in the
// version's letters. Each type's rule is the function named after it:
// gradeSingleChoice, gradeMultipleChoiceAllOrNothing,
// gradeMultipleChoicePartialCredit (with opts.PartialCredit),
// gradeTrueFalse, gradeFillBlank.
//
// An empty response (absent, null, "", [], or only empty blanks) is not an
// error: Answered false, score 0. A malformed one (wrong JSON shape, a
// letter not shown, more blanks than the question has) scores 0, Answered
// true, with a *ResponseError wrapping ErrMalformedResponse. Short answers
// and essays give ErrNotObjective, an unusable key ErrInvalidKey.
func GradeObjective(typ content.QuestionType, key content.Key, norm content.Normalization, points skillarena.Points, optionOrder []string, response json.RawMessage, opts GradeOptions) (Grade, error) {
	if !typ.Valid() {
		return Grade{}, fmt.Errorf("exam: grade: unknown question type %q", typ)
	}
	if !typ.Objective() {
		return Grade{}, fmt.Errorf("%w: %s", ErrNotObjective, typ)
	}
	if points < 0 || points > skillarena.MaxPoints {
		return Grade{}, fmt.Errorf("exam: grade: points %s out of range", points)
	}
	if err := checkKey(typ, key, optionOrder); err != nil {
		return Grade{}, err
	}
	if emptyResponse(response) {
		return Grade{}, nil
	}
	letters := len(optionOrder)
	if letters == 0 {
		letters = maxOptionLetters
	}
	toKey := func(shown string) string {
		if len(optionOrder) == 0 {
			return shown
		}
		return optionOrder[shown[0]-'A']
	}
	malformed := func(err error) (Grade, error) { return Grade{Answered: true}, err }
	switch typ {
	case content.SingleChoice:
		shown, err := parseSingleChoice(response, letters)
		if err != nil {
			return malformed(err)
		}
		return gradeSingleChoice(key.Choices[0], toKey(shown), points), nil
	case content.MultipleChoice:
		shown, err := parseMultipleChoice(response, letters)
		if err != nil {
			return malformed(err)
		}
		chosen := map[string]bool{}
		for _, l := range shown {
			chosen[toKey(l)] = true
		}
		want := map[string]bool{}
		for _, k := range key.Choices {
			want[k] = true
		}
		if opts.PartialCredit {
			return gradeMultipleChoicePartialCredit(want, chosen, points), nil
		}
		return gradeMultipleChoiceAllOrNothing(want, chosen, points), nil
	case content.TrueFalse:
		b, err := parseTrueFalse(response)
		if err != nil {
			return malformed(err)
		}
		return gradeTrueFalse(*key.True, b, points), nil
	default: // content.FillBlank
		answers, err := parseFillBlank(response, len(key.Blanks))
		if err != nil {
			return malformed(err)
		}
		return gradeFillBlank(key.Blanks, norm, answers, points), nil
	}
}

// gradeSingleChoice: full points iff the one chosen option is the key;
// anything else scores 0.
func gradeSingleChoice(key, chosen string, points skillarena.Points) Grade {
	if chosen == key {
		return Grade{Score: points, Correct: true, Answered: true}
	}
	return Grade{Answered: true}
}

// gradeMultipleChoiceAllOrNothing: full points iff the set of chosen options
// equals the key's set exactly (order and repeats do not matter); anything
// else scores 0.
func gradeMultipleChoiceAllOrNothing(key, chosen map[string]bool, points skillarena.Points) Grade {
	if maps.Equal(key, chosen) {
		return Grade{Score: points, Correct: true, Answered: true}
	}
	return Grade{Answered: true}
}

// gradeMultipleChoicePartialCredit: any wrong option scores 0; the key's
// exact set scores full points; some of the key's options and no wrong one
// score points × chosen / len(key), rounded half up to hundredths once.
func gradeMultipleChoicePartialCredit(key, chosen map[string]bool, points skillarena.Points) Grade {
	for c := range chosen {
		if !key[c] {
			return Grade{Answered: true}
		}
	}
	if len(chosen) == len(key) {
		return Grade{Score: points, Correct: true, Answered: true}
	}
	return Grade{Score: shareHalfUp(points, len(chosen), len(key)), Answered: true}
}

// gradeTrueFalse: full points iff the answer is the key; otherwise 0.
func gradeTrueFalse(key, answer bool, points skillarena.Points) Grade {
	if answer == key {
		return Grade{Score: points, Correct: true, Answered: true}
	}
	return Grade{Answered: true}
}

// gradeFillBlank: each blank is worth points / len(blanks). Blank i is right
// when its normalised answer is not empty and equals the normalised form of
// any of its accepted answers (NormalizeBlank with norm); a missing or empty
// answer is wrong. The score is points × right / len(blanks), rounded half
// up to hundredths once; Correct only when every blank is right. Answered
// is false when every answer is empty after trimming white space.
func gradeFillBlank(blanks []content.Blank, norm content.Normalization, answers []string, points skillarena.Points) Grade {
	answered := false
	right := 0
	for i, b := range blanks {
		if i >= len(answers) {
			break
		}
		if strings.TrimSpace(answers[i]) != "" {
			answered = true
		}
		got := NormalizeBlank(answers[i], norm)
		if got == "" {
			continue
		}
		for _, a := range b.Accepted {
			if NormalizeBlank(a, norm) == got {
				right++
				break
			}
		}
	}
	if !answered {
		return Grade{}
	}
	return Grade{Score: shareHalfUp(points, right, len(blanks)), Correct: right == len(blanks), Answered: true}
}

// shareHalfUp is points × k / n rounded half up to hundredths, in integer
// hundredths: ⌊(2·points·k + n) / 2n⌋. 0 ≤ k ≤ n, n ≥ 1, and points ≤
// skillarena.MaxPoints keeps it far from overflow.
func shareHalfUp(points skillarena.Points, k, n int) skillarena.Points {
	p, kk, nn := int64(points), int64(k), int64(n)
	return skillarena.Points((2*p*kk + nn) / (2 * nn))
}

// checkKey refuses a key that cannot grade: single choice needs exactly one
// letter, multiple choice at least one, true/false a value, fill in the
// blank at least one blank; with an optionOrder every key letter must be in
// it.
func checkKey(typ content.QuestionType, key content.Key, optionOrder []string) error {
	switch typ {
	case content.SingleChoice, content.MultipleChoice:
		if typ == content.SingleChoice && len(key.Choices) != 1 {
			return fmt.Errorf("%w: single choice with %d key letters", ErrInvalidKey, len(key.Choices))
		}
		if len(key.Choices) == 0 {
			return fmt.Errorf("%w: multiple choice without key letters", ErrInvalidKey)
		}
		for _, k := range key.Choices {
			if len(optionOrder) > 0 && !slices.Contains(optionOrder, k) {
				return fmt.Errorf("%w: key letter %q not among the options %v", ErrInvalidKey, k, optionOrder)
			}
		}
	case content.TrueFalse:
		if key.True == nil {
			return fmt.Errorf("%w: true/false without a value", ErrInvalidKey)
		}
	case content.FillBlank:
		if len(key.Blanks) == 0 {
			return fmt.Errorf("%w: fill in the blank without blanks", ErrInvalidKey)
		}
	}
	return nil
}

// emptyResponse reports an answer left empty: nothing, null, "" or [] (any
// white space around them ignored).
func emptyResponse(r json.RawMessage) bool {
	t := bytes.TrimSpace(r)
	if len(t) == 0 || string(t) == "null" || string(t) == `""` {
		return true
	}
	if t[0] != '[' || t[len(t)-1] != ']' {
		return false
	}
	return len(bytes.TrimSpace(t[1:len(t)-1])) == 0
}

// letterIndex returns the index of a shown option letter among the first
// n letters ("A" is 0), or -1.
func letterIndex(s string, n int) int {
	n = min(n, 26)
	if len(s) != 1 || s[0] < 'A' || int(s[0]-'A') >= n {
		return -1
	}
	return int(s[0] - 'A')
}

// lastLetter is the last of the first n option letters, for messages.
func lastLetter(n int) string {
	n = min(n, 26)
	return string(rune('A' + n - 1))
}

// parseSingleChoice reads one letter among the first n.
func parseSingleChoice(r json.RawMessage, n int) (string, error) {
	var s string
	if err := json.Unmarshal(r, &s); err != nil || letterIndex(s, n) < 0 {
		return "", &ResponseError{Type: content.SingleChoice, MessageID: "answer.invalid_single_choice", Args: map[string]any{"Last": lastLetter(n)}}
	}
	return s, nil
}

// parseMultipleChoice reads a list of letters among the first n.
func parseMultipleChoice(r json.RawMessage, n int) ([]string, error) {
	var ls []string
	bad := &ResponseError{Type: content.MultipleChoice, MessageID: "answer.invalid_multiple_choice", Args: map[string]any{"Last": lastLetter(n)}}
	if err := json.Unmarshal(r, &ls); err != nil || ls == nil {
		return nil, bad
	}
	for _, l := range ls {
		if letterIndex(l, n) < 0 {
			return nil, bad
		}
	}
	return ls, nil
}

// parseTrueFalse reads a JSON boolean.
func parseTrueFalse(r json.RawMessage) (bool, error) {
	var b *bool
	if err := json.Unmarshal(r, &b); err != nil || b == nil {
		return false, &ResponseError{Type: content.TrueFalse, MessageID: "answer.invalid_true_false"}
	}
	return *b, nil
}

// parseFillBlank reads a list of at most blanks texts, each at most
// MaxAnswerChars characters; null entries read as "".
func parseFillBlank(r json.RawMessage, blanks int) ([]string, error) {
	var ss []string
	if err := json.Unmarshal(r, &ss); err != nil || ss == nil || len(ss) > blanks {
		return nil, &ResponseError{Type: content.FillBlank, MessageID: "answer.invalid_fill_blank", Args: map[string]any{"Blanks": blanks}}
	}
	for i, s := range ss {
		if utf8.RuneCountInString(s) > MaxAnswerChars {
			return nil, &ResponseError{Type: content.FillBlank, MessageID: "answer.blank_too_long", Args: map[string]any{"Blank": i + 1, "Max": MaxAnswerChars}}
		}
	}
	return ss, nil
}

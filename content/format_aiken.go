package content

import (
	"io"
	"regexp"
	"strings"

	"golang.org/x/text/width"
)

// Aiken (https://docs.moodle.org/en/Aiken_format): single-choice questions as
// plain text, each a stem, options "A. text" or "A) text" and a line
// "ANSWER: B".

// aikenOption matches an option line: a capital letter, then . or ) and a
// space, or a full-width ．）、 (as Chinese documents write them).
var aikenOption = regexp.MustCompile(`^([A-Z])(?:[.)][ \t]+|\s*[．）、]\s*)(.*)$`)

// aikenAnswer matches the answer line, "ANSWER: B" (also "答案：B").
var aikenAnswer = regexp.MustCompile(`^(?i:ANSWER|答案)\s*[:：]\s*(.*)$`)

// ParseAiken reads an Aiken file into single-choice Drafts (Pos.Line is the
// stem's first line). A stem may take several lines; options must follow it
// lettered from A without gaps, and the ANSWER line ends the question.
// Problems are reported by line.
func ParseAiken(r io.Reader) ([]Draft, []FileError) {
	data, ferrs := formatReadAll(r)
	if ferrs != nil {
		return nil, ferrs
	}
	text, ok := formatDecodeText(data)
	if !ok {
		return nil, formatFailure(Pos{}, "format.unsupported_file", nil)
	}
	var (
		errs   formatErrors
		drafts []Draft
		q      aikenQuestion
		count  int
	)
	for i, raw := range formatLines(text) {
		n := i + 1
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if m := aikenAnswer.FindStringSubmatch(line); m != nil {
			if count++; count > MaxImportQuestions {
				return nil, formatFailure(Pos{Line: n}, "format.too_many_questions", map[string]any{"Max": MaxImportQuestions})
			}
			if d, ok := q.finish(n, strings.TrimSpace(m[1]), &errs); ok {
				drafts = append(drafts, d)
			}
			q = aikenQuestion{}
			continue
		}
		if m := aikenOption.FindStringSubmatch(line); m != nil && len(q.stem) > 0 {
			q.options = append(q.options, aikenLine{n, m[1], strings.TrimSpace(m[2])})
			continue
		}
		if len(q.options) > 0 {
			// Text after the options: the question before had no answer line.
			errs.add(Pos{Line: q.line}, "ANSWER", "format.aiken_no_answer", nil)
			q = aikenQuestion{}
		}
		if len(q.stem) == 0 {
			q.line = n
		}
		q.stem = append(q.stem, line)
	}
	if q.line != 0 {
		errs.add(Pos{Line: q.line}, "ANSWER", "format.aiken_no_answer", nil)
	}
	if len(drafts) == 0 && len(errs.list) == 0 {
		return nil, formatFailure(Pos{}, "format.empty_file", nil)
	}
	return drafts, errs.list
}

type aikenLine struct {
	n      int
	letter string
	text   string
}

// aikenQuestion is a question being read.
type aikenQuestion struct {
	line    int // of the stem's first line
	stem    []string
	options []aikenLine
}

// finish checks the question when its ANSWER line (line n) is read.
func (q *aikenQuestion) finish(n int, answer string, errs *formatErrors) (Draft, bool) {
	before := len(errs.list)
	if len(q.stem) == 0 {
		errs.add(Pos{Line: n}, "stem", "format.stem_empty", nil)
		return Draft{}, false
	}
	d := Draft{Pos: Pos{Line: q.line}, Type: SingleChoice}
	stem := make([]string, len(q.stem))
	for i, s := range q.stem {
		stem[i] = formatPlainHTML(s)
	}
	d.Stem = strings.Join(stem, "<br>")
	if len(q.options) > formatMaxOptions {
		errs.add(Pos{Line: q.options[formatMaxOptions].n}, "option", "format.too_many_options", map[string]any{"Max": formatMaxOptions})
		return Draft{}, false
	}
	for i, o := range q.options {
		if want := formatOptionKey(i); o.letter != want {
			errs.add(Pos{Line: o.n}, "option", "format.option_gap", map[string]any{"Key": want})
			return Draft{}, false
		}
		d.Options = append(d.Options, Option{Key: o.letter, Text: formatPlainHTML(o.text)})
	}
	if len(q.options) < 2 {
		errs.add(Pos{Line: n}, "option", "format.too_few_options", map[string]any{"Min": 2})
	}
	letters := sheetAnswerSeparators.ReplaceAllString(strings.ToUpper(width.Fold.String(answer)), "")
	switch {
	case letters == "":
		errs.add(Pos{Line: n}, "ANSWER", "format.single_choice_no_key", nil)
	case strings.Trim(letters, optionKeys) != "":
		errs.add(Pos{Line: n}, "ANSWER", "format.answer_letters", map[string]any{"Value": answer})
	case len(letters) > 1:
		errs.add(Pos{Line: n}, "ANSWER", "format.single_choice_two_keys", nil)
	case int(letters[0]-'A') >= len(q.options):
		errs.add(Pos{Line: n}, "ANSWER", "format.option_missing", map[string]any{"Key": letters})
	default:
		d.Key.Choices = []string{letters}
	}
	return d, len(errs.list) == before
}

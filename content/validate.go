package content

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"skillarena"
)

// Problem is one thing wrong with a draft: the field (stem, options, key,
// difficulty, …), a message id and its arguments.
type Problem struct {
	Field   string
	Message string
	Args    map[string]any
}

// BlankMarker matches the gap of a fill-in question in its stem: three or more
// underscores.
var BlankMarker = regexp.MustCompile(`_{3,}`)

// DefaultPoints is each type's default score when a draft gives none.
var DefaultPoints = map[QuestionType]skillarena.Points{
	SingleChoice: 100, MultipleChoice: 200, TrueFalse: 100, FillBlank: 200, ShortAnswer: 500, Essay: 1000,
}

// optionKeys are the letters options take, in order.
const optionKeys = "ABCDEFGH"

// CheckDraft states the rules every question obeys, whether typed in the
// editor or imported: a known type; a stem; for choice questions at least two
// options lettered from A without gaps, and a key naming only existing
// options — exactly one for single choice, at least one for multiple choice;
// a true/false key; for fill-in questions one blank per marker in the stem,
// each with an accepted answer; difficulty 1 to 5; points above zero. It
// returns every problem, not just the first.
func CheckDraft(d Draft) []Problem {
	var ps []Problem
	add := func(field, msg string, args map[string]any) {
		ps = append(ps, Problem{Field: field, Message: msg, Args: args})
	}
	if !d.Type.Valid() {
		add("type", "question.type_unknown", map[string]any{"Value": string(d.Type)})
		return ps
	}
	if strings.TrimSpace(stripTags(d.Stem)) == "" && !strings.Contains(d.Stem, "<img") {
		add("stem", "question.stem_empty", nil)
	} else if utf8.RuneCountInString(d.Stem) > 20000 {
		add("stem", "question.too_long", map[string]any{"Max": 20000})
	}
	if d.Difficulty < 1 || d.Difficulty > 5 {
		add("difficulty", "question.difficulty_range", nil)
	}
	if d.Points <= 0 || d.Points > 100000 {
		add("points", "question.points_range", nil)
	}
	switch d.Type {
	case SingleChoice, MultipleChoice:
		have := map[string]bool{}
		if len(d.Options) < 2 {
			add("options", "question.options_too_few", nil)
		}
		if len(d.Options) > len(optionKeys) {
			add("options", "question.options_too_many", map[string]any{"Max": len(optionKeys)})
		}
		for i, o := range d.Options {
			if i < len(optionKeys) && o.Key != string(optionKeys[i]) {
				add("options", "question.options_gap", map[string]any{"Key": string(optionKeys[i])})
				break
			}
			if strings.TrimSpace(stripTags(o.Text)) == "" && !strings.Contains(o.Text, "<img") {
				add("options", "question.option_empty", map[string]any{"Key": o.Key})
			}
			have[o.Key] = true
		}
		seen := map[string]bool{}
		for _, k := range d.Key.Choices {
			if !have[k] {
				add("key", "question.key_option_missing", map[string]any{"Key": k})
			}
			if seen[k] {
				add("key", "question.key_repeated", map[string]any{"Key": k})
			}
			seen[k] = true
		}
		switch {
		case d.Type == SingleChoice && len(d.Key.Choices) == 0:
			add("key", "question.single_choice_no_key", nil)
		case d.Type == SingleChoice && len(d.Key.Choices) > 1:
			add("key", "question.single_choice_two_keys", nil)
		case d.Type == MultipleChoice && len(d.Key.Choices) == 0:
			add("key", "question.multiple_choice_no_key", nil)
		}
	case TrueFalse:
		if d.Key.True == nil {
			add("key", "question.true_false_no_key", nil)
		}
		if len(d.Options) > 0 {
			add("options", "question.options_not_allowed", nil)
		}
	case FillBlank:
		markers := len(BlankMarker.FindAllStringIndex(d.Stem, -1))
		if markers == 0 {
			add("stem", "question.blank_markers_missing", nil)
		} else if markers != len(d.Key.Blanks) {
			add("key", "question.blank_count", map[string]any{"Markers": markers, "Blanks": len(d.Key.Blanks)})
		}
		for i, b := range d.Key.Blanks {
			ok := false
			for _, a := range b.Accepted {
				if strings.TrimSpace(a) != "" {
					ok = true
				}
			}
			if !ok {
				add("key", "question.blank_without_answer", map[string]any{"Blank": i + 1})
			}
		}
	case ShortAnswer, Essay:
		if len(d.Options) > 0 {
			add("options", "question.options_not_allowed", nil)
		}
	}
	for _, t := range d.Tags {
		if utf8.RuneCountInString(t) > 32 {
			add("tags", "question.tag_too_long", map[string]any{"Tag": t})
		}
	}
	return ps
}

var tagPattern = regexp.MustCompile(`<[^>]*>`)

// stripTags removes markup, for checking that text is not empty and for
// search and fingerprints.
func stripTags(html string) string {
	s := tagPattern.ReplaceAllString(html, " ")
	r := strings.NewReplacer("&nbsp;", " ", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`, "&#39;", "'")
	return strings.TrimSpace(r.Replace(s))
}

package content

import (
	"bufio"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"skillarena"
)

// GIFT (https://docs.moodle.org/en/GIFT_format), read as Moodle reads it:
// questions separated by blank lines, // comment lines, ::title::, a
// [html]/[moodle]/[plain]/[markdown] format marker, $CATEGORY: lines, one
// {answer block} per question with \~ \= \# \{ \} \: \n \\ escapes. See
// docs/QUESTION-FORMATS.md for how each form maps to a Draft.

// ParseGIFT reads a GIFT file: {=right ~wrong} single choice (also in the
// missing-word form), {~%50%a ~%50%b ~%-100%c} multiple choice, {T} {F}
// {TRUE} {FALSE} true/false, {=a =b} short answers and {#n} numbers as
// fill-in questions with one blank, {} essays; text without an answer block
// (a description) is skipped. Problems are reported by line (Pos.Line).
func ParseGIFT(r io.Reader) ([]Draft, []FileError) {
	drafts, _, errs := ParseGIFTWithSkipped(r)
	return drafts, errs
}

// ParseGIFTWithSkipped is ParseGIFT that also counts the descriptions it
// skipped, for the import summary.
func ParseGIFTWithSkipped(r io.Reader) (drafts []Draft, skipped int, errs []FileError) {
	data, ferrs := formatReadAll(r)
	if ferrs != nil {
		return nil, 0, ferrs
	}
	text, ok := formatDecodeText(data)
	if !ok {
		return nil, 0, formatFailure(Pos{}, "format.unsupported_file", nil)
	}
	g := giftReader{}
	lines := formatLines(text)
	start := -1
	count := 0
	for i := 0; i <= len(lines); i++ {
		if i < len(lines) && strings.TrimSpace(lines[i]) != "" {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if g.block(start+1, lines[start:i]) {
				if count++; count > MaxImportQuestions {
					return nil, 0, formatFailure(Pos{Line: start + 1}, "format.too_many_questions", map[string]any{"Max": MaxImportQuestions})
				}
			}
			start = -1
		}
	}
	if len(g.drafts) == 0 && len(g.errs.list) == 0 && g.skipped == 0 {
		return nil, 0, formatFailure(Pos{}, "format.empty_file", nil)
	}
	return g.drafts, g.skipped, g.errs.list
}

type giftReader struct {
	topic   []string
	drafts  []Draft
	skipped int
	errs    formatErrors
}

// Escaped characters are replaced by private-use placeholders while the
// question is taken apart, and restored afterwards, as Moodle does.
const giftPlaceholderBase = 0xE000

var giftEscapable = map[rune]rune{':': ':', '#': '#', '=': '=', '{': '{', '}': '}', '~': '~', 'n': '\n'}

// giftProtect replaces the escapes of s with placeholders; \\ is a backslash.
func giftProtect(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if rs[i] == '\\' && i+1 < len(rs) {
			if rs[i+1] == '\\' {
				b.WriteRune('\\')
				i++
				continue
			}
			if c, ok := giftEscapable[rs[i+1]]; ok {
				b.WriteRune(giftPlaceholderBase + c)
				i++
				continue
			}
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}

// giftRestore turns placeholders back into the characters they stand for.
func giftRestore(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= giftPlaceholderBase && r < giftPlaceholderBase+0x80 {
			return r - giftPlaceholderBase
		}
		return r
	}, s)
}

var giftFormats = map[string]string{"html": formatHTML, "moodle": formatMoodle, "plain": formatPlain, "markdown": formatMarkdown}

// giftText reads a piece of text that may start with a [format] marker
// (def when it has none) and returns its format and its HTML.
func giftText(s, def string) (textFormat, html string) {
	s = strings.TrimSpace(s)
	textFormat = def
	if strings.HasPrefix(s, "[") {
		if end := strings.IndexByte(s, ']'); end > 0 {
			if f, ok := giftFormats[s[1:end]]; ok {
				textFormat, s = f, s[end+1:]
			}
		}
	}
	return textFormat, formatToHTML(textFormat, strings.TrimSpace(giftRestore(s)))
}

// giftPlain is an answer as plain text (short answers, numbers).
func giftPlain(s string) string { return strings.TrimSpace(giftRestore(s)) }

var giftTag = regexp.MustCompile(`\[tag:((?:\\]|[^\]])+)\]`)

// giftWeight matches an answer weight, %50% or %-33.33333%.
var giftWeight = regexp.MustCompile(`^%(-?[0-9]+(?:\.[0-9]*)?)%`)

// giftTakeWeight takes a leading %n% off an answer: the weight and the rest.
func giftTakeWeight(a string, def float64) (float64, string) {
	m := giftWeight.FindStringSubmatch(a)
	if m == nil {
		return def, a
	}
	w, _ := strconv.ParseFloat(m[1], 64)
	return w, a[len(m[0]):]
}

// block reads the lines of one question (or category), the first being line
// first of the file. It reports whether the block was a question, for the
// question limit.
func (g *giftReader) block(first int, lines []string) bool {
	var tags []string
	kept := make([]string, len(lines))
	for i, l := range lines {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "//") {
			for _, m := range giftTag.FindAllStringSubmatch(t, -1) {
				tags = append(tags, strings.TrimSpace(strings.ReplaceAll(m[1], `\]`, "]")))
			}
			continue
		}
		kept[i] = l
	}
	raw := strings.Join(kept, "\n")
	// The question starts at its first character that is not space. The
	// escapes are protected rune for rune and line breaks stay, so lines
	// are counted on the protected text.
	lead := len(raw) - len(strings.TrimLeftFunc(raw, unicode.IsSpace))
	line := first + strings.Count(raw[:lead], "\n")
	protected := giftProtect(strings.TrimSpace(raw))
	if protected == "" {
		return false
	}
	text := protected
	base := 0 // where text starts in protected
	lineOf := func(off int) int {
		return line + strings.Count(protected[:min(base+max(off, 0), len(protected))], "\n")
	}
	pos := Pos{Line: line}
	before := len(g.errs.list)
	fail := func(p Pos, field, msg string, args map[string]any) { g.errs.add(p, field, msg, args) }

	if strings.HasPrefix(text, "$CATEGORY:") {
		g.topic = moodleTopicPath(giftRestore(text[len("$CATEGORY:"):]))
		return false
	}
	d := Draft{Pos: pos, TopicPath: g.topic, Tags: tags}
	if strings.HasPrefix(text, "::") {
		if end := strings.Index(text[2:], "::"); end >= 0 {
			d.Name = strings.TrimSpace(giftRestore(text[2 : 2+end]))
			rest := text[2+end+2:]
			base = len(protected) - len(strings.TrimLeftFunc(rest, unicode.IsSpace))
			text = strings.TrimSpace(rest)
		} else {
			text, base = text[2:], 2
		}
	}

	open, close := strings.IndexByte(text, '{'), strings.IndexByte(text, '}')
	switch {
	case open < 0 && close < 0:
		g.skipped++
		return true
	case open >= 0 && close < 0:
		fail(Pos{Line: lineOf(open)}, "answer", "format.unclosed_brace", nil)
		return true
	case open < 0 || close < open:
		fail(Pos{Line: lineOf(close)}, "answer", "format.stray_brace", nil)
		return true
	}
	if more := strings.IndexAny(text[close+1:], "{}"); more >= 0 {
		fail(Pos{Line: lineOf(close + 1 + more)}, "answer", "format.several_answer_blocks", nil)
		return true
	}
	apos := Pos{Line: lineOf(open)}
	answer := strings.TrimSpace(text[open+1 : close])
	head, tail := text[:open], text[close+1:]
	atEnd := strings.TrimSpace(tail) == ""

	var general string
	if i := strings.LastIndex(answer, "####"); i >= 0 {
		general, answer = answer[i+4:], strings.TrimSpace(answer[:i])
	}

	kind := giftKind(answer)
	// The stem: the answer block becomes the blank of a missing-word or
	// fill-in question; it simply goes away from the others.
	marker := ""
	switch kind {
	case "multichoice":
		if !atEnd {
			marker = "___"
		}
	case "shortanswer", "numerical":
		marker = "___"
	}
	stemText := head + marker + tail
	if marker == "" && !atEnd {
		stemText = strings.TrimRight(head, " \t") + " " + strings.TrimLeft(tail, " \t")
	}
	stemFormat, stem := giftText(stemText, formatMoodle)
	d.Stem = stem
	_, d.Explanation = giftText(general, stemFormat)
	if strings.TrimSpace(strings.ReplaceAll(stem, "___", "")) == "" {
		fail(pos, "stem", "format.stem_empty", nil)
	}

	switch kind {
	case "essay":
		d.Type = Essay
	case "matching":
		fail(apos, "answer", "format.unsupported_type", map[string]any{"Type": "matching"})
	case "truefalse":
		d.Type = TrueFalse
		word, _, _ := strings.Cut(answer, "#")
		t := strings.EqualFold(strings.TrimSpace(word), "T") || strings.EqualFold(strings.TrimSpace(word), "TRUE")
		d.Key.True = &t
	case "multichoice":
		d.Type = MultipleChoice
		if strings.Contains(answer, "=") {
			d.Type = SingleChoice
		}
		parts := strings.Split(strings.ReplaceAll(answer, "=", "~="), "~")
		if strings.TrimSpace(parts[0]) == "" {
			parts = parts[1:]
		}
		if len(parts) > formatMaxOptions {
			fail(apos, "answer", "format.too_many_options", map[string]any{"Max": formatMaxOptions})
			break
		}
		for i, a := range parts {
			a = strings.TrimSpace(a)
			w := 0.0
			if strings.HasPrefix(a, "=") {
				w, a = giftTakeWeight(a[1:], 100)
			} else {
				w, a = giftTakeWeight(a, 0)
			}
			a, _, _ = strings.Cut(a, "#")
			k := formatOptionKey(i)
			_, html := giftText(a, stemFormat)
			d.Options = append(d.Options, Option{Key: k, Text: html})
			if w > 0 {
				d.Key.Choices = append(d.Key.Choices, k)
			}
		}
		switch {
		case len(parts) < 2:
			fail(apos, "answer", "format.too_few_options", map[string]any{"Min": 2})
		case d.Type == SingleChoice && len(d.Key.Choices) == 0:
			fail(apos, "answer", "format.single_choice_no_key", nil)
		case d.Type == SingleChoice && len(d.Key.Choices) > 1:
			fail(apos, "answer", "format.single_choice_two_keys", nil)
		case d.Type == MultipleChoice && len(d.Key.Choices) == 0:
			fail(apos, "answer", "format.multiple_choice_no_key", nil)
		}
	case "shortanswer":
		d.Type = FillBlank
		d.Normalization = DefaultNormalization
		var b Blank
		for _, a := range strings.Split(answer, "=") {
			if a = strings.TrimSpace(a); a == "" {
				continue
			}
			w, rest := giftTakeWeight(a, 100)
			rest, _, _ = strings.Cut(rest, "#")
			text := giftPlain(rest)
			if w < 100 || text == "" {
				continue
			}
			if strings.Contains(strings.ReplaceAll(text, `\*`, ""), "*") {
				fail(apos, "answer", "format.wildcard", map[string]any{"Value": text})
				continue
			}
			b.Accepted = append(b.Accepted, strings.ReplaceAll(text, `\*`, "*"))
		}
		if len(b.Accepted) == 0 && len(g.errs.list) == before {
			fail(apos, "answer", "format.blank_without_answer", map[string]any{"Blank": 1})
		}
		d.Key.Blanks = []Blank{b}
	case "numerical":
		d.Type = FillBlank
		d.Normalization = DefaultNormalization
		body := answer[1:]
		body, _, _ = strings.Cut(body, "~") // feedback for wrong answers
		var b Blank
		for _, a := range strings.Split(body, "=") {
			if a = strings.TrimSpace(a); a == "" {
				continue
			}
			w, rest := giftTakeWeight(a, 100)
			if w < 100 {
				continue // partial credit: a blank accepts only right answers
			}
			rest, _, _ = strings.Cut(rest, "#")
			value, ok := giftNumber(giftPlain(rest))
			switch {
			case !ok:
				fail(apos, "answer", "format.numerical_answer", map[string]any{"Value": giftPlain(rest)})
			case value == "":
				fail(apos, "answer", "format.numerical_tolerance", map[string]any{"Value": giftPlain(rest)})
			default:
				b.Accepted = append(b.Accepted, value)
			}
		}
		if len(b.Accepted) == 0 && len(g.errs.list) == before {
			fail(apos, "answer", "format.blank_without_answer", map[string]any{"Blank": 1})
		}
		d.Key.Blanks = []Blank{b}
	}
	if len(g.errs.list) == before {
		g.drafts = append(g.drafts, d)
	}
	return true
}

// giftKind tells a question's type from its answer text, in Moodle's order.
func giftKind(answer string) string {
	switch {
	case answer == "":
		return "essay"
	case answer[0] == '#':
		return "numerical"
	case strings.Contains(answer, "~"):
		return "multichoice"
	case strings.Contains(answer, "=") && strings.Contains(answer, "->"):
		return "matching"
	}
	word := answer
	if i := strings.IndexByte(answer, '#'); i > 0 {
		word = answer[:i]
	}
	switch strings.ToUpper(strings.TrimSpace(word)) {
	case "T", "TRUE", "F", "FALSE":
		return "truefalse"
	}
	return "shortanswer"
}

// giftNumber reads a numerical answer: "n", "n:0" or "n..n". The value is
// empty (with ok) when a tolerance or range makes it more than one number,
// which a fill-in blank cannot accept.
func giftNumber(s string) (value string, ok bool) {
	num := func(x string) bool {
		_, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return err == nil
	}
	if lo, hi, found := strings.Cut(s, ".."); found {
		if !num(lo) || !num(hi) {
			return "", false
		}
		a, _ := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		b, _ := strconv.ParseFloat(strings.TrimSpace(hi), 64)
		if a != b {
			return "", true
		}
		return strings.TrimSpace(lo), true
	}
	if v, tol, found := strings.Cut(s, ":"); found {
		if !num(v) || !num(tol) {
			return "", false
		}
		if t, _ := strconv.ParseFloat(strings.TrimSpace(tol), 64); t != 0 {
			return "", true
		}
		return strings.TrimSpace(v), true
	}
	if !num(s) {
		return "", false
	}
	return strings.TrimSpace(s), true
}

var giftEscaper = strings.NewReplacer(`\`, `\\`, `#`, `\#`, `=`, `\=`, `~`, `\~`, `{`, `\{`, `}`, `\}`, `:`, `\:`, "\r\n", `\n`, "\n", `\n`, "\r", "")

// WriteGIFT writes drafts as GIFT that Moodle and ParseGIFT read: a
// $CATEGORY line before each run of questions with the same
// Draft.TopicPath, tags as [tag:…] comments, text as [html] with the special
// characters escaped. GIFT has no place for difficulty, points, a reference
// answer or rubric, or the fill-in comparison rules; short answers are
// written as essays. A fill-in question with more than one blank cannot be
// written (format.gift_several_blanks).
func WriteGIFT(w io.Writer, drafts []Draft) error {
	bw := bufio.NewWriter(w)
	var b strings.Builder
	var topic []string
	for i, d := range drafts {
		b.Reset()
		if i == 0 || strings.Join(d.TopicPath, "\x00") != strings.Join(topic, "\x00") {
			topic = d.TopicPath
			names := make([]string, len(topic))
			for j, t := range topic {
				names[j] = strings.ReplaceAll(t, "/", "//")
			}
			b.WriteString("$CATEGORY: $course$/top/" + strings.NewReplacer("\n", " ", "\r", " ").Replace(strings.Join(names, "/")) + "\n\n")
		}
		for _, t := range d.Tags {
			b.WriteString("// [tag:" + strings.NewReplacer("]", `\]`, "\n", " ", "\r", " ").Replace(t) + "]\n")
		}
		if d.Name != "" {
			b.WriteString("::" + giftEscaper.Replace(d.Name) + "::")
		}
		general := ""
		if d.Explanation != "" {
			general = "\t####" + giftEscaper.Replace(d.Explanation) + "\n"
		}
		switch d.Type {
		case SingleChoice, MultipleChoice:
			b.WriteString("[html]" + giftEscaper.Replace(d.Stem) + "{\n")
			right := map[string]bool{}
			for _, k := range d.Key.Choices {
				right[k] = true
			}
			nRight, nWrong := len(right), len(d.Options)-len(right)
			for _, o := range d.Options {
				switch {
				case d.Type == SingleChoice && right[o.Key]:
					b.WriteString("\t=")
				case d.Type == SingleChoice || nWrong == 0:
					b.WriteString("\t~")
				case right[o.Key]:
					b.WriteString("\t~%" + moodlePercent(100/float64(nRight)) + "%")
				default:
					b.WriteString("\t~%" + moodlePercent(-100/float64(nWrong)) + "%")
				}
				b.WriteString(giftEscaper.Replace(o.Text) + "\n")
			}
			b.WriteString(general + "}\n\n")
		case TrueFalse:
			word := "FALSE"
			if d.Key.True != nil && *d.Key.True {
				word = "TRUE"
			}
			b.WriteString("[html]" + giftEscaper.Replace(d.Stem) + "{" + word + strings.TrimSpace(general) + "}\n\n")
		case FillBlank:
			loc := BlankMarker.FindAllStringIndex(d.Stem, -1)
			if len(loc) != 1 || len(d.Key.Blanks) != 1 {
				return skillarena.NewError(skillarena.EINVALID, "format.gift_several_blanks", map[string]any{"Number": i + 1})
			}
			b.WriteString("[html]" + giftEscaper.Replace(d.Stem[:loc[0][0]]) + "{")
			for _, a := range d.Key.Blanks[0].Accepted {
				b.WriteString("=" + giftEscaper.Replace(strings.ReplaceAll(a, "*", `\*`)) + " ")
			}
			b.WriteString(strings.TrimSpace(general) + "}" + giftEscaper.Replace(d.Stem[loc[0][1]:]) + "\n\n")
		case ShortAnswer, Essay:
			b.WriteString("[html]" + giftEscaper.Replace(d.Stem) + "{" + strings.TrimSpace(general) + "}\n\n")
		default:
			return skillarena.NewError(skillarena.EINVALID, "format.unknown_type", map[string]any{"Value": string(d.Type)})
		}
		if _, err := bw.WriteString(b.String()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

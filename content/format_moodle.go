package content

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Moodle XML (https://docs.moodle.org/en/Moodle_XML_format): a <quiz> of
// <question type="…"> elements. See docs/QUESTION-FORMATS.md for how each
// type maps to a Draft.

// moodleMaxDepth bounds the nesting of elements; real files nest about six
// deep (quiz/question/answer/feedback/text).
const moodleMaxDepth = 32

// ParseMoodleXML reads a Moodle XML question file: categories set the topic
// path of the questions after them; multichoice, truefalse, shortanswer,
// numerical, essay and cloze made only of short-answer gaps become Drafts
// (Pos.Line set); descriptions are skipped; other types are reported as
// format.unsupported_type. Malformed XML gives one format.malformed_xml at its
// line.
func ParseMoodleXML(r io.Reader) ([]Draft, []FileError) {
	drafts, _, errs := ParseMoodleXMLWithSkipped(r)
	return drafts, errs
}

// ParseMoodleXMLWithSkipped is ParseMoodleXML that also counts the
// description items it skipped, for the import summary.
func ParseMoodleXMLWithSkipped(r io.Reader) (drafts []Draft, skipped int, errs []FileError) {
	data, ferrs := formatReadAll(r)
	if ferrs != nil {
		return nil, 0, ferrs
	}
	m := moodleReader{dec: xml.NewDecoder(bytes.NewReader(data))}
	m.dec.Strict = true
	m.dec.Entity = xml.HTMLEntity
	m.dec.CharsetReader = moodleCharset
	if fail := m.read(); fail != nil {
		return nil, 0, fail
	}
	return m.drafts, m.skipped, m.errs.list
}

// moodleCharset decodes the Chinese encodings an XML declaration may name;
// anything else that is not UTF-8 is refused.
func moodleCharset(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "gb2312", "gbk", "gb18030", "cp936":
		return simplifiedchinese.GB18030.NewDecoder().Reader(in), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// moodleNode is an element of one question, read whole.
type moodleNode struct {
	name  string
	attrs []xml.Attr
	text  strings.Builder
	kids  []*moodleNode
	line  int
}

func (n *moodleNode) kid(name string) *moodleNode {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

func (n *moodleNode) all(name string) []*moodleNode {
	if n == nil {
		return nil
	}
	var out []*moodleNode
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

func (n *moodleNode) attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// value is the trimmed text of the element itself.
func (n *moodleNode) value() string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.text.String())
}

// textOf is the trimmed <text> of the child name (name/text), as Moodle reads it.
func (n *moodleNode) textOf(name string) string {
	return n.kid(name).kid("text").value()
}

// html is the child name's text converted to HTML from its format attribute,
// or from def when it has none.
func (n *moodleNode) html(name, def string) string {
	k := n.kid(name)
	return moodleHTML(k, def)
}

func moodleHTML(k *moodleNode, def string) string {
	if k == nil {
		return ""
	}
	f := k.attr("format")
	if f == "" {
		f = def
	}
	return formatToHTML(f, k.kid("text").value())
}

type moodleReader struct {
	dec     *xml.Decoder
	topic   []string
	drafts  []Draft
	skipped int
	count   int
	errs    formatErrors
}

// line is the line the decoder has reached.
func (m *moodleReader) line() int {
	l, _ := m.dec.InputPos()
	return l
}

var errMoodleTooDeep = errors.New("moodle: elements nested too deep")

// read walks the file question by question; it returns the one error of a
// file that cannot be read.
func (m *moodleReader) read() []FileError {
	malformed := func(err error) []FileError {
		line := m.line()
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			line = se.Line
		}
		return formatFailure(Pos{Line: line}, "format.malformed_xml", map[string]any{"Line": line})
	}
	// The root element must be <quiz>.
	for {
		tok, err := m.dec.Token()
		if err == io.EOF {
			return formatFailure(Pos{}, "format.empty_file", nil)
		} else if err != nil {
			return malformed(err)
		}
		if el, ok := tok.(xml.StartElement); ok {
			if el.Name.Local != "quiz" {
				return formatFailure(Pos{Line: m.line()}, "format.unsupported_file", nil)
			}
			break
		}
	}
	for {
		tok, err := m.dec.Token()
		if err == io.EOF {
			return malformed(&xml.SyntaxError{Msg: "unexpected EOF", Line: m.line()})
		} else if err != nil {
			return malformed(err)
		}
		switch el := tok.(type) {
		case xml.EndElement:
			// </quiz>: what follows is not read (Moodle reads no further either).
			if len(m.drafts) == 0 && len(m.errs.list) == 0 && m.skipped == 0 {
				return formatFailure(Pos{}, "format.empty_file", nil)
			}
			return nil
		case xml.StartElement:
			n, err := m.node(el, 2)
			if err != nil {
				return malformed(err)
			}
			if n.name != "question" {
				continue
			}
			if n.attr("type") != "category" {
				if m.count++; m.count > MaxImportQuestions {
					return formatFailure(Pos{Line: n.line}, "format.too_many_questions", map[string]any{"Max": MaxImportQuestions})
				}
			}
			m.question(n)
		}
	}
}

// node reads the element that el starts, with everything inside it. Embedded
// files (base64 images) are skipped: SkillArena takes images as assets.
func (m *moodleReader) node(el xml.StartElement, depth int) (*moodleNode, error) {
	if depth > moodleMaxDepth {
		return nil, errMoodleTooDeep
	}
	n := &moodleNode{name: el.Name.Local, attrs: el.Attr, line: m.line()}
	skip := n.name == "file"
	for {
		tok, err := m.dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			k, err := m.node(t, depth+1)
			if err != nil {
				return nil, err
			}
			if !skip {
				n.kids = append(n.kids, k)
			}
		case xml.CharData:
			if !skip {
				n.text.Write(t)
			}
		case xml.EndElement:
			return n, nil
		}
	}
}

// moodleContext matches the context prefix of a category path: $course$,
// $system$, $module$, $coursecategory$, $cat1$ and the like.
var moodleContext = regexp.MustCompile(`^\$[a-zA-Z0-9_]+\$$`)

// moodleTopicPath reads a category path as Moodle does ("//" is a slash inside
// a name), without the context prefix and the "top" category.
func moodleTopicPath(s string) []string {
	parts := strings.Split(strings.ReplaceAll(s, "//", "\x00"), "/")
	var out []string
	for i, p := range parts {
		p = strings.TrimSpace(strings.ReplaceAll(p, "\x00", "/"))
		if i == 0 && moodleContext.MatchString(p) {
			continue
		}
		if len(out) == 0 && p == "top" {
			continue
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// moodleFraction reads an answer's fraction attribute (a percentage; "" is 0).
func moodleFraction(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// question turns one <question> into a Draft, a topic change, a skip or
// problems.
func (m *moodleReader) question(n *moodleNode) {
	pos := Pos{Line: n.line}
	typ := n.attr("type")
	before := len(m.errs.list)
	fail := func(field, msg string, args map[string]any) { m.errs.add(pos, field, msg, args) }
	switch typ {
	case "category":
		path := n.textOf("category")
		if path == "" {
			path = n.kid("category").value()
		}
		m.topic = moodleTopicPath(path)
		return
	case "description":
		m.skipped++
		return
	case "multichoice", "truefalse", "shortanswer", "numerical", "essay", "cloze", "multianswer":
	default:
		fail("question", "format.unsupported_type", map[string]any{"Type": typ})
		return
	}

	stemFormat := n.kid("questiontext").attr("format")
	if stemFormat == "" {
		stemFormat = formatHTML
	}
	d := Draft{
		Pos:         pos,
		TopicPath:   m.topic,
		Name:        n.textOf("name"),
		Stem:        n.html("questiontext", formatHTML),
		Explanation: n.html("generalfeedback", stemFormat),
	}
	if strings.TrimSpace(d.Stem) == "" {
		fail("questiontext", "format.stem_empty", nil)
	}
	if g := n.kid("defaultgrade"); g != nil {
		p, ok := formatParseDecimal(g.value())
		if !ok {
			fail("defaultgrade", "format.points", map[string]any{"Value": g.value()})
		}
		d.Points = p
	}
	for _, t := range n.kid("tags").all("tag") {
		if v := t.kid("text").value(); v != "" {
			d.Tags = append(d.Tags, v)
		}
	}

	switch typ {
	case "multichoice":
		d.Type = MultipleChoice
		if s := strings.TrimSpace(n.kid("single").value()); s != "false" && s != "0" && (s != "" || n.kid("single") == nil) {
			d.Type = SingleChoice
		}
		answers := n.all("answer")
		if len(answers) > formatMaxOptions {
			fail("answer", "format.too_many_options", map[string]any{"Max": formatMaxOptions})
			break
		}
		for i, a := range answers {
			k := formatOptionKey(i)
			d.Options = append(d.Options, Option{Key: k, Text: moodleHTML(a, stemFormat)})
			f, ok := moodleFraction(a.attr("fraction"))
			if !ok {
				fail("answer", "format.fraction", map[string]any{"Value": a.attr("fraction")})
			}
			if f > 0 {
				d.Key.Choices = append(d.Key.Choices, k)
			}
		}
		switch {
		case len(answers) < 2:
			fail("answer", "format.too_few_options", map[string]any{"Min": 2})
		case d.Type == SingleChoice && len(d.Key.Choices) == 0:
			fail("answer", "format.single_choice_no_key", nil)
		case d.Type == SingleChoice && len(d.Key.Choices) > 1:
			fail("answer", "format.single_choice_two_keys", nil)
		case d.Type == MultipleChoice && len(d.Key.Choices) == 0:
			fail("answer", "format.multiple_choice_no_key", nil)
		}
	case "truefalse":
		d.Type = TrueFalse
		var right, wrong bool
		for i, a := range n.all("answer") {
			word := strings.ToLower(a.kid("text").value())
			if word != "true" && word != "false" {
				// Old files wrote the words in the author's language, true first.
				word = map[bool]string{true: "true", false: "false"}[i == 0]
			}
			f, ok := moodleFraction(a.attr("fraction"))
			if !ok {
				fail("answer", "format.fraction", map[string]any{"Value": a.attr("fraction")})
			}
			if f > 0 {
				right = right || word == "true"
				wrong = wrong || word == "false"
			}
		}
		if right == wrong {
			fail("answer", "format.true_false_no_key", nil)
		} else {
			d.Key.True = &right
		}
	case "shortanswer", "numerical":
		d.Type = FillBlank
		d.Normalization = DefaultNormalization
		if typ == "shortanswer" && strings.TrimSpace(n.kid("usecase").value()) == "1" {
			d.Normalization.IgnoreCase = false
		}
		var b Blank
		for _, a := range n.all("answer") {
			f, ok := moodleFraction(a.attr("fraction"))
			if !ok {
				fail("answer", "format.fraction", map[string]any{"Value": a.attr("fraction")})
			}
			text := a.kid("text").value()
			if text == "" {
				text = a.value() // answers outside <text>, from old files
			}
			if f < 100 {
				continue
			}
			if typ == "numerical" {
				if tol, _ := strconv.ParseFloat(strings.TrimSpace(a.kid("tolerance").value()), 64); tol != 0 {
					fail("tolerance", "format.numerical_tolerance", map[string]any{"Value": text})
					continue
				}
				if _, err := strconv.ParseFloat(text, 64); err != nil {
					fail("answer", "format.numerical_answer", map[string]any{"Value": text})
					continue
				}
			} else {
				if strings.Contains(strings.ReplaceAll(text, `\*`, ""), "*") {
					fail("answer", "format.wildcard", map[string]any{"Value": text})
					continue
				}
				text = strings.ReplaceAll(text, `\*`, "*")
			}
			b.Accepted = append(b.Accepted, text)
		}
		if len(b.Accepted) == 0 && len(m.errs.list) == before {
			fail("answer", "format.blank_without_answer", map[string]any{"Blank": 1})
		}
		d.Key.Blanks = []Blank{b}
		d.Stem = moodleAddMarker(d.Stem)
		if mk := formatBlankMarkers(d.Stem); mk != 1 {
			fail("questiontext", "format.blank_count", map[string]any{"Markers": mk, "Blanks": 1})
		}
	case "essay":
		d.Type = Essay
		d.Rubric = n.html("graderinfo", stemFormat)
	case "cloze", "multianswer":
		d.Type = FillBlank
		d.Normalization = DefaultNormalization
		stem, blanks, caseSensitive, ok := moodleCloze(d.Stem)
		if !ok {
			fail("question", "format.unsupported_type", map[string]any{"Type": typ})
			return
		}
		d.Stem, d.Key.Blanks = stem, blanks
		d.Normalization.IgnoreCase = !caseSensitive
		for i, b := range blanks {
			if len(b.Accepted) == 0 {
				fail("questiontext", "format.blank_without_answer", map[string]any{"Blank": i + 1})
			}
		}
	}
	m.extension(n.kid("skillarena"), &d, fail)
	if len(m.errs.list) == before {
		m.drafts = append(m.drafts, d)
	}
}

// extension reads SkillArena's own element, which Moodle ignores: what Moodle
// XML cannot say (difficulty, a judged short answer, its reference answer,
// the fill-in comparison rules).
func (m *moodleReader) extension(x *moodleNode, d *Draft, fail func(string, string, map[string]any)) {
	if x == nil {
		return
	}
	if v := x.kid("difficulty").value(); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5 {
			fail("difficulty", "format.difficulty_range", map[string]any{"Value": v})
		}
		d.Difficulty = n
	}
	if x.kid("type").value() == string(ShortAnswer) && d.Type == Essay {
		d.Type = ShortAnswer
	}
	if k := x.kid("referenceanswer"); k != nil {
		d.ReferenceAnswer = moodleHTML(k, formatHTML)
	}
	if k := x.kid("rubric"); k != nil {
		d.Rubric = moodleHTML(k, formatHTML)
	}
	if k := x.kid("normalization"); k != nil && d.Type == FillBlank {
		d.Normalization = Normalization{FoldWidth: k.attr("fold_width") == "true", IgnoreCase: k.attr("ignore_case") == "true", TrimSpace: k.attr("trim_space") == "true"}
	}
}

// moodleAddMarker puts a blank marker at the end of a short-answer stem that
// has none (Moodle's stems usually show no gap): inside a closing </p>.
func moodleAddMarker(stem string) string {
	if formatBlankMarkers(stem) > 0 {
		return stem
	}
	if strings.HasSuffix(stem, "</p>") {
		return strings.TrimSuffix(stem, "</p>") + " ___</p>"
	}
	return stem + " ___"
}

// moodleCloze reads a cloze stem whose every gap is a short answer
// ({1:SHORTANSWER:=a~%100%b}, SA, MW and their case-sensitive _C forms),
// replacing each gap with ___; ok is false for any other kind of gap.
func moodleCloze(stem string) (out string, blanks []Blank, caseSensitive, ok bool) {
	var b strings.Builder
	for {
		open := strings.IndexByte(stem, '{')
		if open < 0 {
			b.WriteString(stem)
			break
		}
		end := clozeEnd(stem, open+1)
		if end < 0 {
			return "", nil, false, false
		}
		head, body, found := clozeHeader(stem[open+1 : end])
		if !found {
			return "", nil, false, false
		}
		switch head {
		case "SHORTANSWER", "SA", "MW":
		case "SHORTANSWER_C", "SAC", "MWC":
			caseSensitive = true
		default:
			return "", nil, false, false
		}
		var blank Blank
		for _, a := range clozeSplit(body, '~') {
			weight := 0.0
			switch {
			case strings.HasPrefix(a, "="):
				weight, a = 100, a[1:]
			case strings.HasPrefix(a, "%"):
				w, rest, found := strings.Cut(a[1:], "%")
				f, err := strconv.ParseFloat(w, 64)
				if !found || err != nil {
					return "", nil, false, false
				}
				weight, a = f, rest
			}
			a = strings.TrimSpace(clozeUnescape(clozeSplit(a, '#')[0]))
			if weight >= 100 && a != "" {
				blank.Accepted = append(blank.Accepted, a)
			}
		}
		blanks = append(blanks, blank)
		b.WriteString(stem[:open])
		b.WriteString("___")
		stem = stem[end+1:]
	}
	if len(blanks) == 0 {
		return "", nil, false, false
	}
	return b.String(), blanks, caseSensitive, true
}

// clozeHeader splits "1:SHORTANSWER:answers" into the type and the answers.
func clozeHeader(s string) (typ, body string, ok bool) {
	weight, rest, ok := strings.Cut(s, ":")
	if !ok {
		return "", "", false
	}
	for _, r := range weight {
		if r < '0' || r > '9' {
			return "", "", false
		}
	}
	typ, body, ok = strings.Cut(rest, ":")
	return strings.ToUpper(strings.TrimSpace(typ)), body, ok
}

// clozeEnd is the index of the } that closes a gap opened before from, or -1.
func clozeEnd(s string, from int) int {
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '}':
			return i
		}
	}
	return -1
}

// clozeSplit splits s on sep where it is not escaped with a backslash.
func clozeSplit(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func clozeUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

var clozeEscaper = strings.NewReplacer(`\`, `\\`, `}`, `\}`, `~`, `\~`, `#`, `\#`, `/`, `\/`, `"`, `\"`)

// WriteMoodleXML writes drafts as a Moodle XML quiz that Moodle imports: a
// category before each run of questions with the same Draft.TopicPath, then
// multichoice, truefalse, shortanswer (fill-in with one blank), cloze
// (fill-in with several), or essay (short answer and essay) questions. What
// Moodle has no field for (difficulty, a judged short answer's type and
// reference answer, the fill-in comparison rules) goes into a <skillarena>
// element Moodle ignores, so ParseMoodleXML reads back the same drafts.
func WriteMoodleXML(w io.Writer, drafts []Draft) error {
	x := moodleWriter{w: bufio.NewWriter(w)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<quiz>\n")
	var topic []string
	for i, d := range drafts {
		if i == 0 || strings.Join(d.TopicPath, "\x00") != strings.Join(topic, "\x00") {
			topic = d.TopicPath
			names := make([]string, len(topic))
			for j, t := range topic {
				names[j] = strings.ReplaceAll(t, "/", "//")
			}
			x.raw(`  <question type="category">` + "\n    <category>\n")
			x.text(6, "$course$/top/"+strings.Join(names, "/"))
			x.raw("    </category>\n  </question>\n")
		}
		if err := x.question(d); err != nil {
			return err
		}
	}
	x.raw("</quiz>\n")
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}

type moodleWriter struct {
	w   *bufio.Writer
	err error
}

func (x *moodleWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// text writes <text>s</text>, in CDATA when s has markup, as Moodle does.
func (x *moodleWriter) text(indent int, s string) {
	s = moodleXMLChars(s)
	pad := strings.Repeat(" ", indent)
	if strings.ContainsAny(s, `<>&"'`) {
		x.raw(pad + "<text><![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]></text>\n")
		return
	}
	x.raw(pad + "<text>" + s + "</text>\n")
}

// field writes <name format="html"><text>s</text></name>.
func (x *moodleWriter) field(indent int, name, s string) {
	pad := strings.Repeat(" ", indent)
	x.raw(pad + "<" + name + ` format="html">` + "\n")
	x.text(indent+2, s)
	x.raw(pad + "</" + name + ">\n")
}

// moodleXMLChars drops the characters XML 1.0 cannot carry.
func moodleXMLChars(s string) string {
	ok := func(r rune) bool {
		return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000
	}
	for _, r := range s {
		if !ok(r) {
			return strings.Map(func(r rune) rune {
				if !ok(r) || r == utf8.RuneError {
					return -1
				}
				return r
			}, s)
		}
	}
	return s
}

// moodlePercent writes a fraction as Moodle's grade lists do: 33.33333.
func moodlePercent(f float64) string {
	return strconv.FormatFloat(math.Round(f*1e5)/1e5, 'f', -1, 64)
}

func (x *moodleWriter) question(d Draft) error {
	qtype := map[QuestionType]string{SingleChoice: "multichoice", MultipleChoice: "multichoice", TrueFalse: "truefalse",
		FillBlank: "shortanswer", ShortAnswer: "essay", Essay: "essay"}[d.Type]
	if qtype == "" {
		return fmt.Errorf("moodle xml: unknown question type %q", d.Type)
	}
	stem := d.Stem
	if d.Type == FillBlank && len(d.Key.Blanks) != 1 {
		qtype = "cloze"
		stem = moodleClozeStem(d)
	}
	x.raw(`  <question type="` + qtype + `">` + "\n    <name>\n")
	x.text(6, d.Name)
	x.raw("    </name>\n")
	x.field(4, "questiontext", stem)
	x.field(4, "generalfeedback", d.Explanation)
	if d.Points != 0 {
		x.raw("    <defaultgrade>" + d.Points.String() + "</defaultgrade>\n")
	}
	switch d.Type {
	case SingleChoice, MultipleChoice:
		single := d.Type == SingleChoice
		x.raw("    <single>" + strconv.FormatBool(single) + "</single>\n    <shuffleanswers>false</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n")
		right := map[string]bool{}
		for _, k := range d.Key.Choices {
			right[k] = true
		}
		nRight, nWrong := len(right), len(d.Options)-len(right)
		for _, o := range d.Options {
			frac := "0"
			switch {
			case right[o.Key]:
				frac = moodlePercent(100 / float64(nRight))
			case !single && nWrong > 0:
				// Choosing a wrong option costs its share, so that ticking
				// every box does not earn full marks in Moodle.
				frac = moodlePercent(-100 / float64(nWrong))
			}
			x.raw(`    <answer fraction="` + frac + `" format="html">` + "\n")
			x.text(6, o.Text)
			x.raw("    </answer>\n")
		}
	case TrueFalse:
		right := d.Key.True != nil && *d.Key.True
		for _, word := range []string{"true", "false"} {
			frac := "0"
			if (word == "true") == right {
				frac = "100"
			}
			x.raw(`    <answer fraction="` + frac + `" format="moodle_auto_format">` + "\n      <text>" + word + "</text>\n    </answer>\n")
		}
	case FillBlank:
		if qtype == "shortanswer" {
			x.raw("    <usecase>" + map[bool]string{true: "0", false: "1"}[d.Normalization.IgnoreCase] + "</usecase>\n")
			for _, a := range d.Key.Blanks[0].Accepted {
				x.raw(`    <answer fraction="100" format="moodle_auto_format">` + "\n")
				x.text(6, strings.ReplaceAll(a, "*", `\*`))
				x.raw("    </answer>\n")
			}
		}
	case ShortAnswer, Essay:
		x.raw("    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n    <responsefieldlines>15</responsefieldlines>\n" +
			"    <attachments>0</attachments>\n    <attachmentsrequired>0</attachmentsrequired>\n")
		grader := d.Rubric
		if d.ReferenceAnswer != "" {
			// Moodle's graders see only graderinfo: give them both.
			grader = "<p><strong>参考答案 Reference answer</strong></p>" + d.ReferenceAnswer
			if d.Rubric != "" {
				grader += "<p><strong>评分标准 Rubric</strong></p>" + d.Rubric
			}
		}
		x.field(4, "graderinfo", grader)
		x.raw(`    <responsetemplate format="html">` + "\n      <text></text>\n    </responsetemplate>\n")
	}
	if len(d.Tags) > 0 {
		x.raw("    <tags>\n")
		for _, t := range d.Tags {
			x.raw("      <tag>\n")
			x.text(8, t)
			x.raw("      </tag>\n")
		}
		x.raw("    </tags>\n")
	}
	x.extension(d)
	x.raw("  </question>\n")
	return x.err
}

// extension writes the <skillarena> element (see moodleReader.extension).
func (x *moodleWriter) extension(d Draft) {
	var parts []func()
	if d.Difficulty != 0 {
		parts = append(parts, func() { x.raw("      <difficulty>" + strconv.Itoa(d.Difficulty) + "</difficulty>\n") })
	}
	if d.Type == ShortAnswer {
		parts = append(parts, func() { x.raw("      <type>" + string(ShortAnswer) + "</type>\n") })
	}
	if (d.Type == ShortAnswer || d.Type == Essay) && d.ReferenceAnswer != "" {
		parts = append(parts, func() {
			x.field(6, "referenceanswer", d.ReferenceAnswer)
			x.field(6, "rubric", d.Rubric)
		})
	}
	if d.Type == FillBlank {
		n := d.Normalization
		parts = append(parts, func() {
			x.raw(fmt.Sprintf(`      <normalization fold_width="%t" ignore_case="%t" trim_space="%t"/>`+"\n", n.FoldWidth, n.IgnoreCase, n.TrimSpace))
		})
	}
	if len(parts) == 0 {
		return
	}
	x.raw("    <skillarena>\n")
	for _, p := range parts {
		p()
	}
	x.raw("    </skillarena>\n")
}

// moodleClozeStem writes a fill-in question with several blanks as a cloze
// text: each ___ becomes {1:SHORTANSWER:=a~=b}.
func moodleClozeStem(d Draft) string {
	typ := "SHORTANSWER"
	if !d.Normalization.IgnoreCase {
		typ = "SHORTANSWER_C"
	}
	i := 0
	return BlankMarker.ReplaceAllStringFunc(d.Stem, func(string) string {
		var answers []string
		if i < len(d.Key.Blanks) {
			for _, a := range d.Key.Blanks[i].Accepted {
				answers = append(answers, "="+clozeEscaper.Replace(a))
			}
		}
		i++
		return "{1:" + typ + ":" + strings.Join(answers, "~") + "}"
	})
}

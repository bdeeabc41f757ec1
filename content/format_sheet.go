package content

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"skillarena"
)

// The question template of docs/QUESTION-FORMATS.md, shared by the xlsx and
// CSV formats: its columns, how a header row is matched to them and how a
// row becomes a Draft.

// sheetColumn is a column of the template, with the help the template shows.
type sheetColumn struct {
	zh, en   string
	required bool
	width    float64
	helpZh   string
	helpEn   string
}

// title is the header the template writes: Chinese and English together.
func (c sheetColumn) title() string { return c.zh + " " + c.en }

// Indexes into sheetColumns.
const (
	sheetType = iota
	sheetTopic
	sheetStem
	sheetOptionA // sheetOptionA+i is option i (A to H)
)

// Indexes into sheetColumns, after the options.
const (
	sheetAnswer = sheetOptionA + formatMaxOptions + iota
	sheetExplanation
	sheetDifficulty
	sheetPoints
	sheetTags
	sheetRubric
	sheetBlankRules
	sheetName
	numSheetColumns
)

var sheetColumns = func() [numSheetColumns]sheetColumn {
	cs := [numSheetColumns]sheetColumn{
		sheetType: {zh: "题型", en: "type", required: true, width: 10,
			helpZh: "单选题 / 单选、多选题 / 多选、判断题 / 判断、填空题 / 填空、简答题 / 简答、论述题 / 论述 / 方案设计；也可写英文 single_choice、multiple_choice、true_false、fill_blank、short_answer、essay。",
			helpEn: "单选 single_choice, 多选 multiple_choice, 判断 true_false, 填空 fill_blank, 简答 short_answer, 论述 / 方案设计 essay (Chinese or English)."},
		sheetTopic: {zh: "主题", en: "topic", required: true, width: 22,
			helpZh: "从顶层开始的主题路径，各级之间用 / 分隔，例如“维护流程”或“全业务网络知识/IP与宽带”；中文名或英文名均可。",
			helpEn: "The topic path from the top, parts separated by /, e.g. 维护流程 or 全业务网络知识/IP与宽带; Chinese or English names."},
		sheetStem: {zh: "题干", en: "stem", required: true, width: 50,
			helpZh: "题目内容，纯文本或简单 HTML。填空题的每个空用三个或更多下划线 ___ 表示。单元格内换行会保留。",
			helpEn: "The question, plain text or simple HTML. In a fill-in question each blank is three or more underscores ___. Line breaks in the cell are kept."},
		sheetAnswer: {zh: "答案", en: "answer", required: true, width: 20,
			helpZh: "单选：一个字母，如 B；多选：如 ACD 或 A,C,D；判断：对 / 错（也可写 正确、错误、√、×、T、F、true、false）；填空：各空按顺序用 || 分隔，同一空的多个可接受答案用 | 分隔，如 4|四||24|二十四；简答、论述：参考答案（论述题可不填）。",
			helpEn: "Single choice: one letter, e.g. B; multiple choice: ACD or A,C,D; true/false: 对 / 错 (also 正确, 错误, √, ×, T, F, true, false); fill in: the blanks in order separated by ||, the accepted answers of one blank by |, e.g. 4|四||24|二十四; short answer and essay: the reference answer (optional for essays)."},
		sheetExplanation: {zh: "解析", en: "explanation", width: 30,
			helpZh: "建议填写。说明答案为什么正确，练习时显示给工程师。",
			helpEn: "Recommended. Why the answer is right, shown to engineers in practice."},
		sheetDifficulty: {zh: "难度", en: "difficulty", width: 8,
			helpZh: "选填。1（容易）到 5（难）的整数，不填为 3。",
			helpEn: "Optional. A whole number from 1 (easy) to 5 (hard); 3 when blank."},
		sheetPoints: {zh: "分值", en: "points", width: 8,
			helpZh: "选填。默认分值，最多两位小数；不填时单选 1、多选 2、判断 1、填空 2、简答 5、论述 10。",
			helpEn: "Optional. The default points, at most two decimals; when blank: single 1, multiple 2, true/false 1, fill in 2, short answer 5, essay 10."},
		sheetTags: {zh: "标签", en: "tags", width: 16,
			helpZh: "选填。多个标签用 , ， 、 或 ; 分隔。",
			helpEn: "Optional. Separate tags with , ， 、 or ;."},
		sheetRubric: {zh: "评分标准", en: "rubric", width: 30,
			helpZh: "选填。简答题、论述题的评分要点，供评委评分。",
			helpEn: "Optional. For short answers and essays: what judges give points for."},
		sheetBlankRules: {zh: "填空规则", en: "blank_rules", width: 14,
			helpZh: "选填，仅用于填空题。默认不区分全角半角、不区分大小写、忽略首尾空格；可写 区分大小写、区分全半角、保留空格（可多个，用 、 或 , 分隔）。",
			helpEn: "Optional, fill-in only. By default full- and half-width are the same, case is ignored and surrounding spaces dropped; write any of 区分大小写 (case matters), 区分全半角 (width matters), 保留空格 (spaces matter), separated by 、 or ,."},
		sheetName: {zh: "名称", en: "name", width: 16,
			helpZh: "选填。题目的简短名称。",
			helpEn: "Optional. A short title."},
	}
	for i := range formatMaxOptions {
		k := formatOptionKey(i)
		c := sheetColumn{zh: "选项" + k, en: "option_" + strings.ToLower(k), width: 18,
			helpZh: "选项" + k + "（单选、多选题）。选项从 A 开始依次填写，中间不能空缺，至少两个。",
			helpEn: "Option " + k + " (choice questions). Fill the options from A without gaps; at least two."}
		cs[sheetOptionA+i] = c
	}
	return cs
}()

// sheetColumnLetter is the spreadsheet letter of a 0-based column index.
func sheetColumnLetter(index int) string {
	name, _ := excelize.ColumnNumberToName(index + 1)
	return name
}

// sheetHeader maps the template's columns to a file's.
type sheetHeader struct {
	row   int
	index [numSheetColumns]int // 0-based column in the file; -1 when absent
	title [numSheetColumns]string
}

// pos is the position of the cell of row under the template's column col
// (without a letter when the file lacks the column).
func (h *sheetHeader) pos(row, col int) Pos {
	p := Pos{Row: row}
	if h.index[col] >= 0 {
		p.Column = sheetColumnLetter(h.index[col])
	}
	return p
}

// field is the header of col as the file writes it, or the template's.
func (h *sheetHeader) field(col int) string {
	if h.title[col] != "" {
		return h.title[col]
	}
	return sheetColumns[col].title()
}

// parseSheetHeader finds the template's columns among the cells of the header
// row; unknown columns are ignored.
func parseSheetHeader(row int, cells []string, errs *formatErrors) (sheetHeader, bool) {
	h := sheetHeader{row: row}
	for i := range h.index {
		h.index[i] = -1
	}
	ok := true
	for i, cell := range cells {
		col := matchSheetColumn(cell)
		if col < 0 {
			continue
		}
		title := strings.TrimSpace(cell)
		if h.index[col] >= 0 {
			errs.add(Pos{Row: row, Column: sheetColumnLetter(i)}, title, "format.duplicate_column", map[string]any{"Column": title})
			ok = false
			continue
		}
		h.index[col], h.title[col] = i, title
	}
	for col, c := range sheetColumns {
		if c.required && h.index[col] < 0 {
			errs.add(Pos{Row: row}, c.title(), "format.missing_column", map[string]any{"Column": c.title()})
			ok = false
		}
	}
	return h, ok
}

// sheetHeaderKeys are the normalised headers that name each column: Chinese,
// English, or both in either order.
var sheetHeaderKeys = func() map[string]int {
	m := map[string]int{}
	for i, c := range sheetColumns {
		zh, en := normaliseSheetHeader(c.zh), normaliseSheetHeader(c.en)
		for _, k := range []string{zh, en, zh + " " + en, en + " " + zh} {
			m[k] = i
		}
	}
	return m
}()

// matchSheetColumn returns the index of the column a header names, or -1. A
// header may give the Chinese or the English name in any case ("题型",
// "Type", "Option A"), or both ("题型 type", "题型/type", "题型(type)"), and a
// "*" that marks it required.
func matchSheetColumn(header string) int {
	if i, ok := sheetHeaderKeys[normaliseSheetHeader(header)]; ok {
		return i
	}
	return -1
}

// normaliseSheetHeader lowercases and width-folds a header, turns punctuation
// and runs of space into one space, and separates Chinese from Latin letters.
func normaliseSheetHeader(s string) string {
	var b strings.Builder
	space, prevHan := false, false
	for _, r := range strings.ToLower(width.Fold.String(s)) {
		if unicode.IsSpace(r) || strings.ContainsRune("_-/|()[]【】、,:;.。*", r) {
			space = true
			continue
		}
		han := unicode.Is(unicode.Han, r)
		if b.Len() > 0 && (space || han != prevHan) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		space, prevHan = false, han
	}
	return b.String()
}

// sheetRecord is a non-blank data row: the values under the template's
// columns and which of them hold formulas.
type sheetRecord struct {
	row     int
	values  [numSheetColumns]string
	formula [numSheetColumns]bool
}

// sheetTable collects the rows of a spreadsheet as they are read, so reading
// can stop as soon as the file is known to be too long or to lack a column.
type sheetTable struct {
	haveHeader bool
	headerOK   bool
	header     sheetHeader
	records    []*sheetRecord // pointers: a record is large, and a growing slice of them would copy it over and over
	tooMany    bool
	// pending are formulas in rows that look blank (their value is empty),
	// reported once a record follows: below the last record they are not
	// part of the questions.
	pending []FileError
}

// add takes the next row read, numbered as the spreadsheet numbers it, with
// which of its cells hold formulas (nil for CSV); the first non-blank row is
// the header. It returns false when reading should stop: the header is wrong
// or the file holds too many questions.
func (t *sheetTable) add(row int, cells []string, formulas []bool, errs *formatErrors) bool {
	if !t.haveHeader {
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				t.haveHeader = true
				t.header, t.headerOK = parseSheetHeader(row, cells, errs)
				return t.headerOK
			}
		}
		return true
	}
	r := &sheetRecord{row: row}
	blank := true
	for col, i := range t.header.index {
		if i >= 0 && i < len(cells) {
			r.values[col] = cells[i]
			blank = blank && strings.TrimSpace(cells[i]) == ""
		}
		if i >= 0 && i < len(formulas) && formulas[i] {
			r.formula[col] = true
		}
	}
	if blank {
		for col := range numSheetColumns {
			if r.formula[col] && len(t.pending) < maxFormatErrors {
				t.pending = append(t.pending, FileError{Pos: t.header.pos(row, col), Field: t.header.field(col), Message: "format.formula_cell"})
			}
		}
		return true
	}
	if len(t.records) == MaxImportQuestions {
		t.tooMany = true
		return false
	}
	for _, e := range t.pending {
		errs.add(e.Pos, e.Field, e.Message, e.Args)
	}
	t.pending = t.pending[:0]
	t.records = append(t.records, r)
	return true
}

// drafts checks every record and returns those without problems as Drafts;
// the problems end up in errs in row and column order.
func (t *sheetTable) drafts(errs *formatErrors) []Draft {
	var out []Draft
	for i := range t.records {
		if d, ok := t.header.draft(t.records[i], errs); ok {
			out = append(out, d)
		}
	}
	list := errs.list
	if errs.full {
		list = list[:len(list)-1] // format.too_many_errors stays last
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].Pos, list[j].Pos
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return len(a.Column) < len(b.Column) || (len(a.Column) == len(b.Column) && a.Column < b.Column)
	})
	return out
}

// sheetTypeNames are the ways the type column may name a type, lower-cased.
var sheetTypeNames = map[string]QuestionType{
	"单选题": SingleChoice, "单选": SingleChoice, "单项选择题": SingleChoice, "single_choice": SingleChoice,
	"多选题": MultipleChoice, "多选": MultipleChoice, "多项选择题": MultipleChoice, "multiple_choice": MultipleChoice,
	"判断题": TrueFalse, "判断": TrueFalse, "true_false": TrueFalse,
	"填空题": FillBlank, "填空": FillBlank, "fill_blank": FillBlank,
	"简答题": ShortAnswer, "简答": ShortAnswer, "short_answer": ShortAnswer,
	"论述题": Essay, "论述": Essay, "方案设计": Essay, "方案设计题": Essay, "essay": Essay,
}

// sheetTypeLabels are the Chinese names the writer uses.
var sheetTypeLabels = map[QuestionType]string{
	SingleChoice: "单选题", MultipleChoice: "多选题", TrueFalse: "判断题", FillBlank: "填空题", ShortAnswer: "简答题", Essay: "论述题",
}

// sheetBlankRuleWords are the words of the blank_rules column.
var sheetBlankRuleWords = map[string]func(*Normalization){
	"区分大小写":           func(n *Normalization) { n.IgnoreCase = false },
	"case_sensitive":  func(n *Normalization) { n.IgnoreCase = false },
	"区分全半角":           func(n *Normalization) { n.FoldWidth = false },
	"width_sensitive": func(n *Normalization) { n.FoldWidth = false },
	"保留空格":            func(n *Normalization) { n.TrimSpace = false },
	"keep_spaces":     func(n *Normalization) { n.TrimSpace = false },
}

var sheetAnswerSeparators = regexp.MustCompile(`[\s,，、;；]+`)

// sheetCell turns a cell's text into a value: a leading ' that the writer
// put before = + - @ (or before another ') is taken off, and line breaks
// become <br> in HTML fields without markup.
func sheetCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@'", rune(s[1])) {
		return s[1:]
	}
	return s
}

var sheetMarkup = regexp.MustCompile(`<[a-zA-Z/!]`)

// sheetHTML is a cell of an HTML field: line breaks typed in a cell of plain
// text become <br>; text with markup is kept as written.
func sheetHTML(s string) string {
	if sheetMarkup.MatchString(s) {
		return s
	}
	return formatBreaks(s)
}

// draft checks one record against the template's rules and returns it as a
// Draft; every problem goes to errs, and ok is false when there was one.
func (h *sheetHeader) draft(r *sheetRecord, errs *formatErrors) (Draft, bool) {
	before := len(errs.list)
	fail := func(col int, msg string, args map[string]any) {
		errs.add(h.pos(r.row, col), h.field(col), msg, args)
	}
	// A formula's cached value is not what the author typed; other messages
	// about its row would only confuse.
	for col := range numSheetColumns {
		if r.formula[col] || strings.HasPrefix(r.values[col], "=") {
			fail(col, "format.formula_cell", nil)
		}
	}
	if len(errs.list) > before {
		return Draft{}, false
	}
	var v [numSheetColumns]string
	for col := range numSheetColumns {
		v[col] = strings.TrimSpace(sheetCell(r.values[col]))
	}

	d := Draft{Pos: Pos{Row: r.row}}
	typ, known := sheetTypeNames[strings.ToLower(width.Fold.String(v[sheetType]))]
	switch {
	case v[sheetType] == "":
		fail(sheetType, "format.type_empty", nil)
	case !known:
		fail(sheetType, "format.unknown_type", map[string]any{"Value": v[sheetType]})
	}
	d.Type = typ
	if d.TopicPath = formatSplitTopic(v[sheetTopic]); d.TopicPath == nil {
		fail(sheetTopic, "format.topic_empty", nil)
	}
	if v[sheetStem] == "" {
		fail(sheetStem, "format.stem_empty", nil)
	}
	d.Stem = sheetHTML(v[sheetStem])
	d.Explanation = sheetHTML(v[sheetExplanation])
	d.Rubric = sheetHTML(v[sheetRubric])
	d.Name = v[sheetName]
	d.Tags = formatSplitList(v[sheetTags])
	if s := v[sheetDifficulty]; s != "" {
		n, err := strconv.Atoi(width.Fold.String(s))
		if err != nil || n < 1 || n > 5 {
			fail(sheetDifficulty, "format.difficulty_range", map[string]any{"Value": s})
		}
		d.Difficulty = n
	}
	if s := v[sheetPoints]; s != "" {
		p, err := skillarena.ParsePoints(width.Fold.String(s))
		if err != nil {
			fail(sheetPoints, "format.points", map[string]any{"Value": s})
		}
		d.Points = p
	}

	answer := v[sheetAnswer]
	switch typ {
	case SingleChoice, MultipleChoice:
		d.Options = h.options(r.row, &v, fail)
		d.Key.Choices = sheetChoices(answer, typ, d.Options, func(msg string, args map[string]any) { fail(sheetAnswer, msg, args) })
	case TrueFalse:
		if answer == "" {
			fail(sheetAnswer, "format.answer_empty", nil)
		} else if t, ok := formatParseTrueFalse(answer); ok {
			d.Key.True = &t
		} else {
			fail(sheetAnswer, "format.true_false_answer", map[string]any{"Value": answer})
		}
	case FillBlank:
		d.Normalization = DefaultNormalization
		for _, word := range formatSplitList(strings.ReplaceAll(v[sheetBlankRules], " ", ",")) {
			rule, ok := sheetBlankRuleWords[strings.ToLower(word)]
			if !ok {
				fail(sheetBlankRules, "format.blank_rule", map[string]any{"Value": word})
				continue
			}
			rule(&d.Normalization)
		}
		if answer == "" {
			fail(sheetAnswer, "format.answer_empty", nil)
			break
		}
		d.Key.Blanks = sheetBlanks(r.values[sheetAnswer], d.Normalization)
		for i, b := range d.Key.Blanks {
			if len(b.Accepted) == 0 {
				fail(sheetAnswer, "format.blank_without_answer", map[string]any{"Blank": i + 1})
			}
		}
		if m := formatBlankMarkers(d.Stem); v[sheetStem] != "" && m != len(d.Key.Blanks) {
			fail(sheetAnswer, "format.blank_count", map[string]any{"Markers": m, "Blanks": len(d.Key.Blanks)})
		}
	case ShortAnswer:
		if answer == "" {
			fail(sheetAnswer, "format.answer_empty", nil)
		}
		d.ReferenceAnswer = sheetHTML(answer)
	case Essay:
		d.ReferenceAnswer = sheetHTML(answer)
	}
	return d, len(errs.list) == before
}

// options reads the option columns: filled from A without gaps.
func (h *sheetHeader) options(row int, v *[numSheetColumns]string, fail func(int, string, map[string]any)) []Option {
	last := -1
	for i := range formatMaxOptions {
		if v[sheetOptionA+i] != "" {
			last = i
		}
	}
	var opts []Option
	for i := 0; i <= last; i++ {
		text := v[sheetOptionA+i]
		if text == "" {
			fail(sheetOptionA+i, "format.option_gap", map[string]any{"Key": formatOptionKey(i)})
			continue
		}
		opts = append(opts, Option{Key: formatOptionKey(i), Text: sheetHTML(text)})
	}
	if last < 1 {
		fail(sheetOptionA+last+1, "format.too_few_options", map[string]any{"Min": 2})
	}
	return opts
}

// sheetChoices reads the letters of a choice key ("B", "ACD", "A,C,D",
// "a、c"), in option order.
func sheetChoices(answer string, typ QuestionType, opts []Option, fail func(string, map[string]any)) []string {
	letters := sheetAnswerSeparators.ReplaceAllString(strings.ToUpper(width.Fold.String(answer)), "")
	have := map[string]bool{}
	for _, o := range opts {
		have[o.Key] = true
	}
	picked := map[string]bool{}
	bad := false
	for _, r := range letters {
		k := string(r)
		switch {
		case !strings.Contains(optionKeys, k):
			bad = true
		case !have[k]:
			if !picked[k] {
				fail("format.option_missing", map[string]any{"Key": k})
			}
			picked[k] = true
		default:
			picked[k] = true
		}
	}
	if bad {
		fail("format.answer_letters", map[string]any{"Value": answer})
		return nil
	}
	var keys []string
	for i := range formatMaxOptions {
		if k := formatOptionKey(i); picked[k] {
			keys = append(keys, k)
		}
	}
	switch {
	case typ == SingleChoice && len(keys) == 0:
		fail("format.single_choice_no_key", nil)
	case typ == SingleChoice && len(keys) > 1:
		fail("format.single_choice_two_keys", nil)
	case typ == MultipleChoice && len(keys) == 0:
		fail("format.multiple_choice_no_key", nil)
	}
	return keys
}

// sheetBlanks reads a fill-in key: blanks separated by ||, the accepted
// answers of one blank by |. Answers are trimmed unless spaces matter.
func sheetBlanks(answer string, n Normalization) []Blank {
	answer = sheetCell(answer)
	if n.TrimSpace {
		answer = strings.TrimSpace(answer)
	}
	var blanks []Blank
	for _, part := range strings.Split(answer, "||") {
		var b Blank
		for _, a := range strings.Split(part, "|") {
			if n.TrimSpace {
				a = strings.TrimSpace(a)
			}
			if strings.TrimSpace(a) != "" {
				b.Accepted = append(b.Accepted, a)
			}
		}
		blanks = append(blanks, b)
	}
	return blanks
}

// sheetRow is a Draft as the cells of a template row, in column order, with
// every cell a spreadsheet could run neutralised.
func sheetRow(d Draft) [numSheetColumns]string {
	var v [numSheetColumns]string
	v[sheetType] = sheetTypeLabels[d.Type]
	if v[sheetType] == "" {
		v[sheetType] = string(d.Type)
	}
	v[sheetTopic] = strings.Join(d.TopicPath, "/")
	v[sheetStem] = d.Stem
	for i, o := range d.Options {
		if i < formatMaxOptions {
			v[sheetOptionA+i] = o.Text
		}
	}
	switch d.Type {
	case SingleChoice, MultipleChoice:
		v[sheetAnswer] = strings.Join(d.Key.Choices, "")
	case TrueFalse:
		if d.Key.True != nil {
			v[sheetAnswer] = map[bool]string{true: "对", false: "错"}[*d.Key.True]
		}
	case FillBlank:
		parts := make([]string, len(d.Key.Blanks))
		for i, b := range d.Key.Blanks {
			parts[i] = strings.Join(b.Accepted, "|")
		}
		v[sheetAnswer] = strings.Join(parts, "||")
		var rules []string
		if !d.Normalization.IgnoreCase {
			rules = append(rules, "区分大小写")
		}
		if !d.Normalization.FoldWidth {
			rules = append(rules, "区分全半角")
		}
		if !d.Normalization.TrimSpace {
			rules = append(rules, "保留空格")
		}
		v[sheetBlankRules] = strings.Join(rules, "、")
	default:
		v[sheetAnswer] = d.ReferenceAnswer
	}
	v[sheetExplanation] = d.Explanation
	if d.Difficulty != 0 {
		v[sheetDifficulty] = strconv.Itoa(d.Difficulty)
	}
	if d.Points != 0 {
		v[sheetPoints] = formatPointsText(d.Points)
	}
	v[sheetTags] = strings.Join(d.Tags, "、")
	v[sheetRubric] = d.Rubric
	v[sheetName] = d.Name
	for i := range v {
		v[i] = sheetSafe(v[i])
	}
	return v
}

// sheetSafe prefixes a ' to a cell a spreadsheet would read as a formula
// (= + - @), and to one that starts with ' before such a character, so that
// sheetCell gives back exactly what was written.
func sheetSafe(s string) string {
	if s == "" {
		return s
	}
	if strings.ContainsRune("=+-@", rune(s[0])) || (len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@'", rune(s[1]))) {
		return "'" + s
	}
	return s
}

package content

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"

	"skillarena"
)

// This file holds what every question file format shares: the limits, the
// collection of problems, text decoding and the small conversions between
// the formats' conventions and a Draft's. Each format has its own file:
// format_sheet.go (the template's columns, shared by xlsx and CSV),
// format_xlsx.go, format_csv.go, format_moodle.go, format_gift.go and
// format_aiken.go.

// MaxImportQuestions bounds the questions one import file may hold; reading
// stops at the first question past it.
const MaxImportQuestions = 50_000

// maxFormatErrors bounds the problems one file reports, so a file of garbage
// cannot make a response of millions of lines; the last entry then says the
// list was cut (format.too_many_errors).
const maxFormatErrors = 1000

// formatErrors collects a parser's problems, in the order found.
type formatErrors struct {
	list []FileError
	full bool
}

// add records a problem at pos; field is the column header as written or the
// format's element name.
func (e *formatErrors) add(pos Pos, field, msg string, args map[string]any) {
	if len(e.list) >= maxFormatErrors {
		if !e.full {
			e.full = true
			e.list = append(e.list, FileError{Pos: pos, Message: "format.too_many_errors", Args: map[string]any{"Max": maxFormatErrors}})
		}
		return
	}
	e.list = append(e.list, FileError{Pos: pos, Field: field, Message: msg, Args: args})
}

// formatFailure is the one error of a file that cannot be read at all.
func formatFailure(pos Pos, msg string, args map[string]any) []FileError {
	return []FileError{{Pos: pos, Message: msg, Args: args}}
}

// formatReadAll reads an upload, refusing more than MaxImportBytes without
// reading much past it.
func formatReadAll(r io.Reader) ([]byte, []FileError) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, formatFailure(Pos{}, "format.read_failed", nil)
	}
	if len(data) > MaxImportBytes {
		return nil, formatFailure(Pos{}, "format.file_too_large", map[string]any{"MaxMB": MaxImportBytes >> 20})
	}
	return data, nil
}

// formatDecodeText turns the bytes of a text file into a string: UTF-8 with
// or without a byte order mark or, when the bytes are not UTF-8, GB18030 (what
// Notepad and Excel save on Chinese Windows). It refuses binary data (NUL
// bytes, which include UTF-16) and bytes that are neither.
func formatDecodeText(data []byte) (string, bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(data, 0) >= 0 {
		return "", false
	}
	if utf8.Valid(data) {
		return string(data), true
	}
	decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(decoded, utf8.RuneError) {
		return "", false
	}
	return string(decoded), true
}

// formatLines splits text into lines, accepting \n, \r\n and a lone \r.
func formatLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.Split(text, "\n")
}

var formatTextEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// formatPlainHTML is plain text as HTML: escaped, with line breaks as <br>.
func formatPlainHTML(s string) string {
	return formatBreaks(formatTextEscaper.Replace(s))
}

// formatBreaks turns line breaks into <br>, for text whose HTML is kept.
func formatBreaks(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "<br>")
}

// formatMarkdownHTML reads Markdown as paragraphs only: blank lines separate
// paragraphs, each escaped and wrapped in <p>; emphasis, lists and links stay
// as typed.
func formatMarkdownHTML(s string) string {
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, "<p>"+formatTextEscaper.Replace(strings.Join(cur, "\n"))+"</p>")
			cur = nil
		}
	}
	for _, line := range formatLines(s) {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, strings.TrimSpace(line))
	}
	flush()
	return strings.Join(paras, "")
}

// Text formats of Moodle and GIFT.
const (
	formatHTML     = "html"
	formatMoodle   = "moodle_auto_format"
	formatPlain    = "plain_text"
	formatMarkdown = "markdown"
)

// formatToHTML converts text in one of Moodle's text formats to HTML: html
// is kept; plain_text is escaped with line breaks as <br>; moodle_auto_format
// keeps its HTML and turns line breaks into <br> (as Moodle shows it);
// markdown becomes paragraphs. An unknown format is read as HTML, Moodle's own
// fallback.
func formatToHTML(textFormat, s string) string {
	switch textFormat {
	case formatPlain:
		return formatPlainHTML(s)
	case formatMoodle:
		return formatBreaks(s)
	case formatMarkdown:
		return formatMarkdownHTML(s)
	default:
		return s
	}
}

// formatMaxOptions is the most options a choice question may have (A to H).
const formatMaxOptions = len(optionKeys)

// formatOptionKey is the letter of the i-th option (0 is A).
func formatOptionKey(i int) string { return optionKeys[i : i+1] }

// formatBlankMarkers counts the ___ gaps of a fill-in stem.
func formatBlankMarkers(stem string) int {
	return len(BlankMarker.FindAllStringIndex(stem, -1))
}

// formatSplitList splits a list typed by hand on any of the separators
// people use (, ， 、 ; ；), trimming items and dropping empty ones; nil when
// none is left.
func formatSplitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",，、;；", r) }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// formatSplitTopic splits a topic path written with / between its parts,
// trimming them and dropping empty ones; nil when none is left.
func formatSplitTopic(s string) []string {
	var out []string
	for _, part := range strings.Split(s, "/") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// formatTrueFalseWords are the answers a true/false key may be written as,
// after width folding and lower-casing.
var formatTrueFalseWords = map[string]bool{
	"对": true, "正确": true, "√": true, "✓": true, "✔": true, "t": true, "true": true, "是": true, "y": true, "yes": true,
	"错": false, "错误": false, "×": false, "✗": false, "✘": false, "x": false, "f": false, "false": false, "否": false, "n": false, "no": false,
}

// formatParseTrueFalse reads a true/false key.
func formatParseTrueFalse(s string) (value, ok bool) {
	value, ok = formatTrueFalseWords[strings.ToLower(width.Fold.String(strings.TrimSpace(s)))]
	return value, ok
}

// formatParseDecimal reads a non-negative decimal of any precision ("1",
// "1.0000000", "0.333") as points, rounding half up to hundredths, as Moodle
// writes grades with seven places. ok is false for anything else (signs,
// exponents, figures above skillarena.MaxPoints).
func formatParseDecimal(s string) (skillarena.Points, bool) {
	s = strings.TrimSpace(s)
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && hasDot {
		whole = "0"
	}
	if whole == "" || (hasDot && frac == "") {
		return 0, false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 7 {
		return 0, false
	}
	var p skillarena.Points
	for _, r := range whole {
		p = p*10 + skillarena.Points(r-'0')
	}
	p *= 100
	frac += "000"
	p += skillarena.Points(frac[0]-'0')*10 + skillarena.Points(frac[1]-'0')
	if frac[2] >= '5' {
		p++
	}
	if p > skillarena.MaxPoints {
		return 0, false
	}
	return p, true
}

// formatPointsText writes points as briefly as they read back: "2", "2.5",
// "2.25".
func formatPointsText(p skillarena.Points) string {
	s := p.String()
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

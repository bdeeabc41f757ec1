package content

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// xlsxLexer splits the XML of a worksheet or a shared strings table into
// start tags, end tags and text, streaming, without allocating per token.
// encoding/xml reads a sheet at about 25 MB/s, which for the 60 MB sheet of
// a 50,000-question file is more than two seconds; these parts are machine
// written and simple, so a lexer of the little they use is enough. It knows
// comments, processing instructions, CDATA, the five entities and
// character references, and namespace prefixes; it refuses DOCTYPE (and so
// entity expansion) and text runs longer than xlsxMaxText.
type xlsxLexer struct {
	r           *bufio.Reader
	raw         []byte // the current text, or tag, as read
	text        []byte // the current text, decoded
	cdata       bool
	name        []byte // local name of the current tag
	attrs       []byte // attributes of the current start tag, as written
	atTag       bool   // a '<' was read: the next token is a tag
	pendingEnd  bool   // the start tag was self-closing: an end tag comes next
	decodedText bool
}

// xlsxMaxText bounds one text run: a cell holds at most 32,767 characters.
const xlsxMaxText = 1 << 20

type xlsxToken int

const (
	xlsxEOF xlsxToken = iota
	xlsxStart
	xlsxEnd
	xlsxText
)

var errXLSXSyntax = errors.New("xlsx: malformed XML")

func newXLSXLexer(r io.Reader) *xlsxLexer {
	return &xlsxLexer{r: bufio.NewReaderSize(r, 64<<10)}
}

// next reads the next token; for xlsxStart and xlsxEnd, name holds the
// element's local name.
func (l *xlsxLexer) next() (xlsxToken, error) {
	if l.pendingEnd {
		l.pendingEnd = false
		return xlsxEnd, nil
	}
	for {
		if !l.atTag {
			l.raw, l.cdata, l.decodedText = l.raw[:0], false, false
			for {
				chunk, err := l.r.ReadSlice('<')
				if err == nil {
					l.raw = append(l.raw, chunk[:len(chunk)-1]...)
					l.atTag = true
					break
				}
				l.raw = append(l.raw, chunk...)
				if len(l.raw) > xlsxMaxText {
					return 0, errXLSXSyntax
				}
				if err == bufio.ErrBufferFull {
					continue
				}
				if err == io.EOF {
					if len(bytes.TrimSpace(l.raw)) > 0 {
						return 0, errXLSXSyntax // text after the root element
					}
					return xlsxEOF, nil
				}
				return 0, err
			}
			if len(l.raw) > 0 {
				return xlsxText, nil
			}
		}
		l.atTag = false
		b, err := l.r.ReadByte()
		if err != nil {
			return 0, errXLSXSyntax
		}
		switch b {
		case '/':
			if err := l.readUntil(">"); err != nil {
				return 0, err
			}
			if err := l.setName(bytes.TrimSpace(l.raw[:len(l.raw)-1])); err != nil {
				return 0, err
			}
			return xlsxEnd, nil
		case '?':
			if err := l.readUntil("?>"); err != nil {
				return 0, err
			}
			continue
		case '!':
			if err := l.readUntil(">"); err != nil {
				return 0, err
			}
			switch {
			case bytes.HasPrefix(l.raw, []byte("--")):
				if !bytes.HasSuffix(l.raw, []byte("-->")) {
					if err := l.readMore("-->"); err != nil {
						return 0, err
					}
				}
				continue
			case bytes.HasPrefix(l.raw, []byte("[CDATA[")):
				if !bytes.HasSuffix(l.raw, []byte("]]>")) {
					if err := l.readMore("]]>"); err != nil {
						return 0, err
					}
				}
				l.raw = l.raw[len("[CDATA[") : len(l.raw)-len("]]>")]
				l.cdata, l.decodedText = true, false
				return xlsxText, nil
			default:
				return 0, errXLSXSyntax // DOCTYPE
			}
		default:
			if err := l.r.UnreadByte(); err != nil {
				return 0, err
			}
			if err := l.readTag(); err != nil {
				return 0, err
			}
			tag := l.raw[:len(l.raw)-1]
			if len(tag) > 0 && tag[len(tag)-1] == '/' {
				tag, l.pendingEnd = tag[:len(tag)-1], true
			}
			end := bytes.IndexAny(tag, " \t\r\n")
			if end < 0 {
				end = len(tag)
			}
			if err := l.setName(tag[:end]); err != nil {
				return 0, err
			}
			l.attrs = tag[end:]
			if len(l.name) == 0 {
				return 0, errXLSXSyntax
			}
			return xlsxStart, nil
		}
	}
}

// setName takes the local name of a tag; a name with characters XML names
// cannot hold is a syntax error.
func (l *xlsxLexer) setName(qualified []byte) error {
	for _, c := range qualified {
		if c <= ' ' || bytes.IndexByte([]byte("\"'=<>/&;!?"), c) >= 0 {
			return errXLSXSyntax
		}
	}
	if i := bytes.LastIndexByte(qualified, ':'); i >= 0 {
		qualified = qualified[i+1:]
	}
	l.name = qualified
	return nil
}

// readUntil reads into raw up to and including the first byte of end, then
// on until raw ends with all of end.
func (l *xlsxLexer) readUntil(end string) error {
	l.raw = l.raw[:0]
	return l.readMore(end)
}

func (l *xlsxLexer) readMore(end string) error {
	for !bytes.HasSuffix(l.raw, []byte(end)) || len(l.raw) == 0 {
		chunk, err := l.r.ReadSlice(end[len(end)-1])
		l.raw = append(l.raw, chunk...)
		if len(l.raw) > xlsxMaxText {
			return errXLSXSyntax
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return errXLSXSyntax
		}
	}
	return nil
}

// readTag reads a start tag up to its '>', which may also appear inside a
// quoted attribute value.
func (l *xlsxLexer) readTag() error {
	l.raw = l.raw[:0]
	var quote byte
	scanned := 0
	for {
		chunk, err := l.r.ReadSlice('>')
		l.raw = append(l.raw, chunk...)
		if len(l.raw) > xlsxMaxText {
			return errXLSXSyntax
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return errXLSXSyntax
		}
		for ; scanned < len(l.raw)-1; scanned++ {
			switch c := l.raw[scanned]; {
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
			case c == quote:
				quote = 0
			}
		}
		if quote == 0 {
			return nil
		}
		scanned = len(l.raw) - 1
	}
}

// is reports whether the current tag's local name is name.
func (l *xlsxLexer) is(name string) bool { return string(l.name) == name }

// textBytes is the current text, decoded; valid until the next token.
func (l *xlsxLexer) textBytes() ([]byte, error) {
	if l.decodedText {
		return l.text, nil
	}
	var err error
	l.text, err = xlsxDecode(l.text[:0], l.raw, !l.cdata)
	l.decodedText = err == nil
	return l.text, err
}

// attr returns the value of the current start tag's unprefixed attribute.
func (l *xlsxLexer) attr(name string) (string, error) {
	a := l.attrs
	for {
		a = xlsxTrimSpace(a)
		if len(a) == 0 {
			return "", nil
		}
		eq := bytes.IndexByte(a, '=')
		if eq < 0 {
			return "", errXLSXSyntax
		}
		key := bytes.TrimSpace(a[:eq])
		a = xlsxTrimSpace(a[eq+1:])
		if len(a) == 0 || (a[0] != '"' && a[0] != '\'') {
			return "", errXLSXSyntax
		}
		end := bytes.IndexByte(a[1:], a[0])
		if end < 0 {
			return "", errXLSXSyntax
		}
		value := a[1 : 1+end]
		a = a[end+2:]
		if string(key) == name {
			if bytes.IndexByte(value, '&') < 0 && utf8.Valid(value) {
				return string(value), nil
			}
			v, err := xlsxDecode(nil, value, true)
			return string(v), err
		}
	}
}

// xlsxTrimSpace drops the XML white space at the start of b.
func xlsxTrimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n') {
		b = b[1:]
	}
	return b
}

// xlsxDecode appends src to dst with line ends made \n and, when entities is
// set, the entities and character references replaced; the result must be
// UTF-8.
func xlsxDecode(dst, src []byte, entities bool) ([]byte, error) {
	special := "\r"
	if entities {
		special = "&\r"
	}
	for {
		i := bytes.IndexAny(src, special)
		if i < 0 {
			dst = append(dst, src...)
			break
		}
		dst = append(dst, src[:i]...)
		src = src[i:]
		if src[0] == '\r' {
			dst = append(dst, '\n')
			src = src[1:]
			if len(src) > 0 && src[0] == '\n' {
				src = src[1:]
			}
			continue
		}
		semi := bytes.IndexByte(src, ';')
		if semi < 2 || semi > 10 {
			return nil, errXLSXSyntax
		}
		ent := src[1:semi]
		src = src[semi+1:]
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if ent[0] != '#' {
				return nil, errXLSXSyntax
			}
			var n uint64
			var err error
			if len(ent) > 1 && ent[1] == 'x' {
				n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
			} else {
				n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
			}
			if err != nil || n == 0 || n > utf8.MaxRune || !utf8.ValidRune(rune(n)) {
				return nil, errXLSXSyntax
			}
			dst = utf8.AppendRune(dst, rune(n))
		}
	}
	if !utf8.Valid(dst) {
		return nil, errXLSXSyntax
	}
	return dst, nil
}

package content

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
)

// Limits on what an xlsx may unpack to. A legitimate 20 MB workbook of
// 50,000 questions unpacks to well under 100 MB, most of it shared strings;
// a sheet of a million minimal rows to about 70 MB. The shared strings are
// held in memory while the sheet is read, so they have their own bound.
const (
	xlsxUnzipLimit   = 256 << 20 // every part together
	xlsxStringsLimit = 100 << 20 // the shared strings part
	xlsxPartLimit    = 8 << 20   // the workbook and its relationships
	xlsxMaxRows      = 1 << 20   // a spreadsheet's rows
	xlsxMaxColumns   = 1 << 14   // and columns
)

var errXLSXStop = errors.New("xlsx: stop reading")

// ParseXLSX reads questions from the first sheet of an xlsx workbook laid out
// as the template of docs/QUESTION-FORMATS.md. It returns the rows that have
// no problem as Drafts (Pos.Row set) and every problem found, by row and
// column; a file that cannot be read at all gives one FileError
// (format.unsupported_file when it is not a zip archive, format.corrupt_xlsx
// when it is damaged, not a workbook or unpacks too large,
// format.too_many_questions, format.empty_file, format.file_too_large).
//
// The sheet is streamed once, by a reader of its own rather than excelize's:
// excelize's row iterator decodes every cell by reflection (three times the
// time), stops quietly at broken XML, and shows a formula only by its cached
// value, which would take a second pass to find.
func ParseXLSX(r io.Reader) ([]Draft, []FileError) {
	data, ferrs := formatReadAll(r)
	if ferrs != nil {
		return nil, ferrs
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, formatFailure(Pos{}, "format.unsupported_file", nil)
	}
	corrupt := formatFailure(Pos{}, "format.corrupt_xlsx", nil)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || xlsxCheckSizes(zr) != nil {
		return nil, corrupt
	}
	sheetPath, stringsPath, err := xlsxLocate(zr)
	if err != nil {
		return nil, corrupt
	}
	sheet := xlsxPart(zr, sheetPath)
	if sheet == nil {
		return nil, corrupt
	}
	var sst []string
	if zf := xlsxPart(zr, stringsPath); zf != nil {
		if sst, err = xlsxSharedStrings(zf); err != nil {
			return nil, corrupt
		}
	}
	t := &sheetTable{}
	var errs formatErrors
	err = xlsxReadSheet(sheet, sst, func(row int, cells []string, formulas []bool) bool {
		return t.add(row, cells, formulas, &errs)
	})
	switch {
	case t.tooMany:
		return nil, formatFailure(Pos{}, "format.too_many_questions", map[string]any{"Max": MaxImportQuestions})
	case err == errXLSXStop && !t.headerOK:
		return nil, errs.list
	case err != nil:
		return nil, corrupt
	}
	// Every other part is read once too: a damaged archive is refused
	// whichever part is damaged.
	if xlsxVerify(zr, sheet, xlsxPart(zr, stringsPath)) != nil {
		return nil, corrupt
	}
	if !t.haveHeader {
		return nil, formatFailure(Pos{}, "format.empty_file", nil)
	}
	if len(t.records) == 0 && len(errs.list) == 0 {
		return nil, formatFailure(Pos{Row: t.header.row}, "format.empty_file", nil)
	}
	return t.drafts(&errs), errs.list
}

// xlsxCheckSizes bounds what the archive's entries declare; the zip reader
// then refuses to unpack any entry beyond its declared size, so a bomb is
// stopped before it inflates.
func xlsxCheckSizes(zr *zip.Reader) error {
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		if total += size; size > xlsxUnzipLimit || total > xlsxUnzipLimit {
			return errors.New("xlsx: unpacks too large")
		}
	}
	return nil
}

// xlsxVerify reads every entry but those already read to their end, which
// checks their checksums.
func xlsxVerify(zr *zip.Reader, read ...*zip.File) error {
	for _, f := range zr.File {
		done := false
		for _, r := range read {
			done = done || f == r
		}
		if done {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// xlsxOpen opens a part for reading up to limit bytes; a part that declares
// more is refused.
func xlsxOpen(zf *zip.File, limit uint64) (io.ReadCloser, error) {
	if zf.UncompressedSize64 > limit {
		return nil, errors.New("xlsx: part too large: " + zf.Name)
	}
	return zf.Open()
}

// xlsxSharedStrings reads the shared strings table: the text of each <si>,
// its runs joined, phonetic hints left out.
func xlsxSharedStrings(zf *zip.File) ([]string, error) {
	rc, err := xlsxOpen(zf, xlsxStringsLimit)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	l := newXLSXLexer(rc)
	var (
		out        []string
		buf        []byte
		inT, inRPh bool
	)
	for {
		tok, err := l.next()
		if err != nil {
			return nil, err
		}
		switch tok {
		case xlsxEOF:
			return out, nil
		case xlsxStart:
			switch {
			case l.is("si"):
				buf = buf[:0]
			case l.is("t"):
				inT = !inRPh
			case l.is("rPh"):
				inRPh = true
			}
		case xlsxText:
			if inT {
				text, err := l.textBytes()
				if err != nil {
					return nil, err
				}
				buf = append(buf, text...)
			}
		case xlsxEnd:
			switch {
			case l.is("si"):
				out = append(out, xlsxUnescape(string(buf)))
			case l.is("t"):
				inT = false
			case l.is("rPh"):
				inRPh = false
			}
		}
	}
}

// xlsxReadSheet streams a worksheet, calling row with each row's cell values
// (by 0-based column) and which cells hold a formula, until it returns false
// (then errXLSXStop). Rows must come in order, as every producer writes them.
func xlsxReadSheet(zf *zip.File, sst []string, row func(n int, cells []string, formulas []bool) bool) error {
	rc, err := xlsxOpen(zf, xlsxUnzipLimit)
	if err != nil {
		return err
	}
	defer rc.Close()
	l := newXLSXLexer(rc)
	var (
		rowNum, col           int
		cells                 []string
		formulas              []bool
		typ                   string
		val                   []byte
		inV, inIS, inT, inRPh bool
		hasF, inRow, inCell   bool
	)
	for {
		tok, err := l.next()
		if err != nil {
			return err
		}
		switch tok {
		case xlsxEOF:
			return nil
		case xlsxStart:
			switch {
			case l.is("row"):
				n := rowNum + 1
				r, err := l.attr("r")
				if err != nil {
					return err
				}
				if r != "" {
					if n, err = strconv.Atoi(r); err != nil {
						return err
					}
				}
				if n <= rowNum || n > xlsxMaxRows {
					return errors.New("xlsx: rows out of order")
				}
				rowNum, col, inRow, inCell = n, 0, true, false
				cells, formulas = cells[:0], formulas[:0]
			case l.is("c"):
				col++
				r, err := l.attr("r")
				if err != nil {
					return err
				}
				if r != "" {
					if col = xlsxColumn(r); col == 0 {
						return errXLSXSyntax
					}
				}
				if col > xlsxMaxColumns || !inRow {
					return errors.New("xlsx: cell out of place")
				}
				if typ, err = l.attr("t"); err != nil {
					return err
				}
				val, hasF, inCell = val[:0], false, true
			case l.is("f"):
				hasF = true
			case l.is("v"):
				inV = true
			case l.is("is"):
				inIS = true
			case l.is("t"):
				inT = inIS && !inRPh
			case l.is("rPh"):
				inRPh = true
			}
		case xlsxText:
			if inV || inT {
				text, err := l.textBytes()
				if err != nil {
					return err
				}
				if val = append(val, text...); len(val) > xlsxMaxText {
					return errXLSXSyntax
				}
			}
		case xlsxEnd:
			switch {
			case l.is("v"):
				inV = false
			case l.is("t"):
				inT = false
			case l.is("is"):
				inIS = false
			case l.is("rPh"):
				inRPh = false
			case l.is("c") && inCell:
				inCell = false
				if col < 1 {
					return errXLSXSyntax
				}
				v, err := xlsxValue(typ, string(val), sst)
				if err != nil {
					return err
				}
				for len(cells) < col {
					cells, formulas = append(cells, ""), append(formulas, false)
				}
				cells[col-1], formulas[col-1] = v, hasF
			case l.is("row") && inRow:
				inRow = false
				if !row(rowNum, cells, formulas) {
					return errXLSXStop
				}
			}
		}
	}
}

// xlsxColumn is the 1-based column of a cell reference such as "AB12"; 0
// when it is not one.
func xlsxColumn(ref string) int {
	col, i := 0, 0
	for ; i < len(ref) && i < 4; i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
	}
	if i == 0 || i == len(ref) {
		return 0
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0
		}
	}
	return col
}

// xlsxValue is a cell's text as a spreadsheet shows it in General format.
func xlsxValue(typ, v string, sst []string) (string, error) {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(sst) {
			return "", errors.New("xlsx: shared string out of range")
		}
		return sst[i], nil
	case "inlineStr", "str":
		return xlsxUnescape(v), nil
	case "b":
		if strings.TrimSpace(v) == "1" {
			return "TRUE", nil
		}
		return "FALSE", nil
	case "", "n":
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return v, nil
		}
		// General format shows at most 15 significant digits: a stored
		// 0.30000000000000004 reads 0.3.
		f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	default: // "e" errors such as #N/A, "d" ISO dates
		return v, nil
	}
}

// xlsxUnescape decodes the _xHHHH_ escapes OOXML writes for characters XML
// cannot hold (_x000D_ is a carriage return; _x005F_ an underscore).
func xlsxUnescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i+6 < len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(n))
				i += 6
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// xlsxLocate finds the parts holding the workbook's first sheet and its
// shared strings, as excelize does: package relationships → workbook → its
// relationships.
func xlsxLocate(zr *zip.Reader) (sheet, sharedStrings string, err error) {
	workbook := "xl/workbook.xml"
	if rels, err := xlsxRelationships(zr, "_rels/.rels"); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				workbook = strings.TrimPrefix(r.Target, "/")
				break
			}
		}
	}
	rid, err := xlsxFirstSheetID(zr, workbook)
	if err != nil {
		return "", "", err
	}
	rels, err := xlsxRelationships(zr, path.Join(path.Dir(workbook), "_rels", path.Base(workbook)+".rels"))
	if err != nil {
		return "", "", err
	}
	target := func(r xlsxRelationship) string {
		if strings.HasPrefix(r.Target, "/") {
			return path.Clean(strings.TrimPrefix(r.Target, "/"))
		}
		return path.Join(path.Dir(workbook), r.Target)
	}
	sharedStrings = path.Join(path.Dir(workbook), "sharedStrings.xml")
	for _, r := range rels {
		switch {
		case r.ID == rid:
			sheet = target(r)
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			sharedStrings = target(r)
		}
	}
	if sheet == "" {
		return "", "", errors.New("xlsx: first sheet not found")
	}
	return sheet, sharedStrings, nil
}

// xlsxFirstSheetID is the relationship id of the workbook's first sheet.
func xlsxFirstSheetID(zr *zip.Reader, workbook string) (string, error) {
	zf := xlsxPart(zr, workbook)
	if zf == nil {
		return "", errors.New("xlsx: workbook missing")
	}
	rc, err := xlsxOpen(zf, xlsxPartLimit)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "sheet" {
			// r:id, whose namespace differs between transitional and strict files.
			for _, a := range el.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					return a.Value, nil
				}
			}
			return "", errors.New("xlsx: sheet without relationship")
		}
	}
}

type xlsxRelationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

func xlsxRelationships(zr *zip.Reader, name string) ([]xlsxRelationship, error) {
	zf := xlsxPart(zr, name)
	if zf == nil {
		return nil, errors.New("xlsx: missing " + name)
	}
	rc, err := xlsxOpen(zf, xlsxPartLimit)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var rels struct {
		Relationships []xlsxRelationship `xml:"Relationship"`
	}
	err = xml.NewDecoder(rc).Decode(&rels)
	return rels.Relationships, err
}

// xlsxPart finds a part by name; like excelize, it accepts backslashes and
// any case.
func xlsxPart(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), name) {
			return f
		}
	}
	return nil
}

func xlsxAttr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

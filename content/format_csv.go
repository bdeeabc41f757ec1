package content

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// ParseCSV reads questions from a CSV file with the columns of the xlsx
// template (docs/QUESTION-FORMATS.md), in UTF-8 with or without a byte order
// mark or in GB18030. Rows are numbered as a spreadsheet shows them (a line
// break inside a quoted cell does not start a row). Like ParseXLSX it returns
// the rows without problems and every problem found; a file that cannot be
// read at all gives one FileError (format.unsupported_file,
// format.csv_syntax, format.too_many_questions, format.empty_file,
// format.file_too_large).
func ParseCSV(r io.Reader) ([]Draft, []FileError) {
	data, ferrs := formatReadAll(r)
	if ferrs != nil {
		return nil, ferrs
	}
	text, ok := formatDecodeText(data)
	if !ok {
		return nil, formatFailure(Pos{}, "format.unsupported_file", nil)
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	t := &sheetTable{}
	var errs formatErrors
	// A spreadsheet shows a quoted field's line breaks inside one row, so the
	// row number is the line number less the breaks of earlier records.
	breaks := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, formatFailure(Pos{Row: pe.StartLine - breaks}, "format.csv_syntax", map[string]any{"Row": pe.StartLine - breaks})
		} else if err != nil {
			return nil, formatFailure(Pos{}, "format.read_failed", nil)
		}
		line, _ := cr.FieldPos(0)
		if !t.add(line-breaks, rec, nil, &errs) {
			break
		}
		for _, f := range rec {
			breaks += strings.Count(f, "\n")
		}
	}
	if t.tooMany {
		return nil, formatFailure(Pos{}, "format.too_many_questions", map[string]any{"Max": MaxImportQuestions})
	}
	if !t.haveHeader {
		return nil, formatFailure(Pos{}, "format.empty_file", nil)
	}
	if !t.headerOK {
		return nil, errs.list
	}
	if len(t.records) == 0 {
		return nil, formatFailure(Pos{Row: t.header.row}, "format.empty_file", nil)
	}
	return t.drafts(&errs), errs.list
}

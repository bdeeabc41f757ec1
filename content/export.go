package content

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"skillarena"
	"skillarena/org"
)

// MaxExportQuestions bounds one export.
const MaxExportQuestions = 50000

// writers maps each export format to its writer, file extension and type.
var writers = map[Format]struct {
	write      func(io.Writer, []Draft) error
	ext, ctype string
}{
	FormatXLSX:      {WriteXLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	FormatMoodleXML: {WriteMoodleXML, "xml", "application/xml; charset=utf-8"},
	FormatGIFT:      {WriteGIFT, "gift.txt", "text/plain; charset=utf-8"},
}

// Export is a file produced by Export.
type Export struct {
	Data        []byte
	Extension   string
	ContentType string
	Count       int
	// Skipped counts questions the format cannot express (GIFT has no
	// fill-in question with several blanks); the file says so at the top.
	Skipped int
}

// expressible reports whether format can hold d without loss.
func expressible(format Format, d Draft) bool {
	return !(format == FormatGIFT && d.Type == FillBlank && len(d.Key.Blanks) > 1)
}

// Export writes the current versions of the questions matching f, in the
// banks the scope may use, in one of the export formats. The xlsx export uses
// the import template, so export → import round-trips.
func (s *Service) Export(ctx context.Context, scope org.Scope, f Filter, format Format) (Export, error) {
	w, ok := writers[format]
	if !ok {
		return Export{}, skillarena.Invalid(map[string]string{"format": "format.unknown_format"})
	}
	q, err := s.filtered(ctx, scope, f)
	if err != nil {
		return Export{}, err
	}
	var vs []Version
	err = q.Joins("JOIN question_versions v ON v.question_id = questions.id AND v.version = questions.current_version").
		Select("v.*").Order("questions.id").Limit(MaxExportQuestions + 1).Find(&vs).Error
	if err != nil {
		return Export{}, err
	}
	if len(vs) > MaxExportQuestions {
		return Export{}, skillarena.NewError(skillarena.EINVALID, "format.too_many_to_export", map[string]any{"Max": MaxExportQuestions})
	}
	ix, err := s.loadTopicIndex(ctx, s.db)
	if err != nil {
		return Export{}, err
	}
	drafts := make([]Draft, 0, len(vs))
	skipped := 0
	for _, v := range vs {
		d := v.Draft()
		d.TopicPath = ix.pathNames(v.TopicID)
		if !expressible(format, d) {
			skipped++
			continue
		}
		drafts = append(drafts, d)
	}
	var buf bytes.Buffer
	if skipped > 0 {
		fmt.Fprintf(&buf, "// SkillArena: %d fill-in questions with several blanks are not included: GIFT cannot express them. Export as xlsx or Moodle XML to keep them.\n\n", skipped)
	}
	if err := w.write(&buf, drafts); err != nil {
		return Export{}, err
	}
	return Export{Data: buf.Bytes(), Extension: w.ext, ContentType: w.ctype, Count: len(drafts), Skipped: skipped}, nil
}

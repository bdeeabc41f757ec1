package content

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// Format names an import or export file format, as the API spells it.
type Format string

// The formats.
const (
	FormatXLSX      Format = "xlsx"
	FormatCSV       Format = "csv"
	FormatMoodleXML Format = "moodlexml"
	FormatGIFT      Format = "gift"
	FormatAiken     Format = "aiken"
)

// MaxImportBytes bounds an import file.
const MaxImportBytes = 20 << 20

// parsers maps each import format to its reader, which also counts the
// entries it skipped (Moodle descriptions, GIFT comments-only blocks).
var parsers = map[Format]func([]byte) ([]Draft, int, []FileError){
	FormatXLSX:      noneSkipped(ParseXLSX),
	FormatCSV:       noneSkipped(ParseCSV),
	FormatMoodleXML: func(b []byte) ([]Draft, int, []FileError) { return ParseMoodleXMLWithSkipped(bytes.NewReader(b)) },
	FormatGIFT:      func(b []byte) ([]Draft, int, []FileError) { return ParseGIFTWithSkipped(bytes.NewReader(b)) },
	FormatAiken:     noneSkipped(ParseAiken),
}

func noneSkipped(parse func(io.Reader) ([]Draft, []FileError)) func([]byte) ([]Draft, int, []FileError) {
	return func(b []byte) ([]Draft, int, []FileError) {
		ds, errs := parse(bytes.NewReader(b))
		return ds, 0, errs
	}
}

// ImportRequest says what to import where.
type ImportRequest struct {
	Format Format
	BankID int64
	Data   []byte
	// DryRun checks everything and writes nothing.
	DryRun bool
	// CreateTopics makes the subtopics a file names that do not exist yet
	// (Moodle categories, GIFT $CATEGORY); otherwise an unknown topic is an
	// error.
	CreateTopics bool
}

// Duplicate reports a question of the file that looks like one already in a
// bank the caller can see (or earlier in the same file).
type Duplicate struct {
	Pos        Pos
	QuestionID int64
	// SameFileRow is set when the earlier copy is in the file itself.
	SameFile Pos
}

// ImportPreview is one question that will be (or was) imported.
type ImportPreview struct {
	Pos        Pos
	Type       QuestionType
	TopicPath  []string
	Stem       string
	Difficulty int
	Points     skillarena.Points
}

// ImportResult tells what an import did or, on a dry run, would do.
type ImportResult struct {
	Imported int
	Skipped  int
	// Errors block the import: nothing is written while there is one.
	Errors []FileError
	// Warnings do not block: unsafe HTML that was removed.
	Warnings      []FileError
	Duplicates    []Duplicate
	Preview       []ImportPreview
	CreatedTopics [][]string
	QuestionIDs   []int64
}

// Import reads a question file into a bank inside scope. A dry run reports
// every problem by row and column (or line) and writes nothing; the real
// import writes every question, as drafts awaiting review, or none. Unsafe
// HTML is removed and reported; near-duplicates of questions already in the
// banks the caller can see are reported.
func (s *Service) Import(ctx context.Context, scope org.Scope, req ImportRequest) (ImportResult, error) {
	var res ImportResult
	if len(req.Data) > MaxImportBytes {
		return res, skillarena.NewError(skillarena.ETOOLARGE, "format.file_too_large", map[string]any{"MaxMB": MaxImportBytes >> 20})
	}
	parse, ok := parsers[req.Format]
	if !ok {
		return res, skillarena.Invalid(map[string]string{"format": "format.unknown_format"})
	}
	bank, err := s.writableBank(ctx, s.db, scope, req.BankID)
	if err != nil {
		return res, err
	}
	if req.CreateTopics && !scope.CoversTop() {
		// Topics are shared by the whole province.
		return res, skillarena.NewError(skillarena.EFORBIDDEN, "topic.province_only", nil)
	}
	drafts, skipped, ferrs := parse(req.Data)
	res.Skipped = skipped
	res.Errors = append(res.Errors, ferrs...)

	ix, err := s.loadTopicIndex(ctx, s.db)
	if err != nil {
		return res, err
	}
	type planned struct {
		d       Draft
		topicID int64
		newPath []string // topic path still to create
	}
	plan := make([]planned, 0, len(drafts))
	toCreate := map[string][]string{}
	var createOrder []string
	for _, d := range drafts {
		p := planned{d: d}
		t, matched := ix.resolve(d.TopicPath)
		switch {
		case len(d.TopicPath) == 0:
			res.Errors = append(res.Errors, FileError{Pos: d.Pos, Field: "topic", Message: "topic.required"})
		case matched == len(d.TopicPath):
			p.topicID = t.ID
		case !req.CreateTopics:
			res.Errors = append(res.Errors, FileError{Pos: d.Pos, Field: "topic", Message: "topic.unknown_path", Args: map[string]any{"Path": strings.Join(d.TopicPath, "/")}})
		default:
			p.newPath = d.TopicPath
			key := strings.Join(d.TopicPath, "\x00")
			if _, ok := toCreate[key]; !ok {
				toCreate[key] = d.TopicPath
				createOrder = append(createOrder, key)
			}
		}
		ps, removed := prepare(&p.d)
		for _, pr := range ps {
			res.Errors = append(res.Errors, FileError{Pos: d.Pos, Field: pr.Field, Message: pr.Message, Args: pr.Args})
		}
		if removed {
			res.Warnings = append(res.Warnings, FileError{Pos: d.Pos, Field: "html", Message: "question.unsafe_html_removed"})
		}
		plan = append(plan, p)
	}
	for _, k := range createOrder {
		res.CreatedTopics = append(res.CreatedTopics, toCreate[k])
	}

	// Near-duplicates, within the file and against visible banks.
	seen := map[string]Pos{}
	prints := make([]string, len(plan))
	for i, p := range plan {
		fp := Fingerprint(p.d)
		prints[i] = fp
		if first, ok := seen[fp]; ok {
			res.Duplicates = append(res.Duplicates, Duplicate{Pos: p.d.Pos, SameFile: first})
		} else {
			seen[fp] = p.d.Pos
		}
	}
	if len(seen) > 0 {
		existing, err := s.existingFingerprints(ctx, scope, prints)
		if err != nil {
			return res, err
		}
		for i, p := range plan {
			if id, ok := existing[prints[i]]; ok {
				res.Duplicates = append(res.Duplicates, Duplicate{Pos: p.d.Pos, QuestionID: id})
			}
		}
	}

	if len(res.Errors) > 0 {
		return res, nil
	}
	for _, p := range plan {
		res.Preview = append(res.Preview, ImportPreview{Pos: p.d.Pos, Type: p.d.Type, TopicPath: p.d.TopicPath, Stem: p.d.Stem, Difficulty: p.d.Difficulty, Points: p.d.Points})
	}
	res.Imported = len(plan)
	if req.DryRun {
		return res, nil
	}

	editor := skillarena.ActorID(ctx)
	sum := sha256.Sum256(req.Data)
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		created := map[string]int64{}
		for _, k := range createOrder {
			id, err := s.createTopicPath(ctx, tx, toCreate[k])
			if err != nil {
				return err
			}
			created[k] = id
		}
		qs := make([]Question, len(plan))
		for i, p := range plan {
			if p.newPath != nil {
				plan[i].topicID = created[strings.Join(p.newPath, "\x00")]
			}
			qs[i] = Question{BankID: bank.ID, Status: StatusDraft, CurrentVersion: 1, Type: p.d.Type, TopicID: plan[i].topicID,
				Difficulty: p.d.Difficulty, Fingerprint: prints[i], SearchText: searchText(p.d), LastEditorID: editor}
		}
		if err := tx.CreateInBatches(&qs, 100).Error; err != nil {
			return err
		}
		vs := make([]Version, len(plan))
		var tags []questionTag
		for i, p := range plan {
			vs[i] = newVersion(qs[i], 1, p.d, plan[i].topicID, nil, editor)
			for _, t := range p.d.Tags {
				tags = append(tags, questionTag{QuestionID: qs[i].ID, Tag: t})
			}
			res.QuestionIDs = append(res.QuestionIDs, qs[i].ID)
		}
		if err := tx.CreateInBatches(&vs, 100).Error; err != nil {
			return err
		}
		if len(tags) > 0 {
			if err := tx.CreateInBatches(&tags, 200).Error; err != nil {
				return err
			}
		}
		after := map[string]any{"format": req.Format, "questions": len(qs), "file_sha256": hex.EncodeToString(sum[:]),
			"created_topics": res.CreatedTopics}
		if len(qs) > 0 {
			after["first_question_id"], after["last_question_id"] = qs[0].ID, qs[len(qs)-1].ID
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "question.import", ObjectType: "bank", ObjectID: strconv.FormatInt(bank.ID, 10),
			OrgUnitID: &bank.OrgUnitID, After: after})
	})
	if err != nil {
		return ImportResult{}, dbError(err, "import questions")
	}
	return res, nil
}

// createTopicPath makes the missing topics of path and returns the last one.
func (s *Service) createTopicPath(ctx context.Context, tx *gorm.DB, path []string) (int64, error) {
	ix, err := s.loadTopicIndex(ctx, tx)
	if err != nil {
		return 0, err
	}
	t, matched := ix.resolve(path)
	var parent int64
	if matched > 0 {
		parent = t.ID
	}
	for _, name := range path[matched:] {
		nt, err := s.createTopic(ctx, tx, parent, strings.TrimSpace(name), "")
		if err != nil {
			return 0, err
		}
		parent = nt.ID
	}
	return parent, nil
}

// existingFingerprints returns, of the given fingerprints, those already held
// by questions in banks the scope can see, with one question id each.
func (s *Service) existingFingerprints(ctx context.Context, scope org.Scope, prints []string) (map[string]int64, error) {
	out := map[string]int64{}
	uniq := map[string]bool{}
	var list []string
	for _, p := range prints {
		if !uniq[p] {
			uniq[p] = true
			list = append(list, p)
		}
	}
	for start := 0; start < len(list); start += 500 {
		end := min(start+500, len(list))
		var rows []struct {
			ID          int64
			Fingerprint string
		}
		q := s.db.WithContext(ctx).Model(&Question{}).
			Joins("JOIN banks ON banks.id = questions.bank_id").
			Joins("JOIN org_units ON org_units.id = banks.org_unit_id")
		err := visibleUnits(q, scope).Where("questions.fingerprint IN ? AND questions.status <> ?", list[start:end], StatusRetired).
			Select("questions.id, questions.fingerprint").Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if _, ok := out[r.Fingerprint]; !ok {
				out[r.Fingerprint] = r.ID
			}
		}
	}
	return out, nil
}

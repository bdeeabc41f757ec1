package content

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// Status is where a question stands in review.
type Status string

// The review states: draft → in review → approved → retired.
const (
	StatusDraft    Status = "draft"
	StatusInReview Status = "in_review"
	StatusApproved Status = "approved"
	StatusRetired  Status = "retired"
)

// Question is a question's identity and the facts of its current version that
// searches filter on. The content itself lives in versions.
type Question struct {
	ID             int64
	BankID         int64
	Status         Status
	CurrentVersion int
	Type           QuestionType
	TopicID        int64
	Difficulty     int
	// Fingerprint is the hash of the normalised stem and options, to report
	// near-duplicates.
	Fingerprint  string
	SearchText   string
	LastEditorID int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName keeps GORM's table name explicit.
func (Question) TableName() string { return "questions" }

// Version is one immutable version of a question. Papers and attempts point
// at a version, so an edit never changes what a contestant saw.
type Version struct {
	ID                int64
	QuestionID        int64
	Version           int
	Type              QuestionType
	TopicID           int64
	Stem              string
	OptionsJSON       string `gorm:"column:options_json"`
	KeyJSON           string `gorm:"column:key_json"`
	NormalizationJSON string `gorm:"column:normalization_json"`
	Explanation       string
	Difficulty        int
	Points            skillarena.Points
	TagsJSON          string `gorm:"column:tags_json"`
	ReferenceAnswer   string
	Rubric            string
	MaterialSectionID *int64
	EditorID          int64
	CreatedAt         time.Time
}

// TableName keeps GORM's table name explicit.
func (Version) TableName() string { return "question_versions" }

type questionTag struct {
	QuestionID int64  `gorm:"primaryKey"`
	Tag        string `gorm:"primaryKey"`
}

func (questionTag) TableName() string { return "question_tags" }

// Draft returns the version's content in the neutral form.
func (v Version) Draft() Draft {
	d := Draft{Type: v.Type, Stem: v.Stem, Explanation: v.Explanation, Difficulty: v.Difficulty, Points: v.Points,
		ReferenceAnswer: v.ReferenceAnswer, Rubric: v.Rubric}
	json.Unmarshal([]byte(v.OptionsJSON), &d.Options)
	json.Unmarshal([]byte(v.KeyJSON), &d.Key)
	json.Unmarshal([]byte(v.NormalizationJSON), &d.Normalization)
	json.Unmarshal([]byte(v.TagsJSON), &d.Tags)
	if d.Options == nil {
		d.Options = []Option{}
	}
	if d.Tags == nil {
		d.Tags = []string{}
	}
	return d
}

// QuestionDetail is a question with its current version and the names a page
// shows.
type QuestionDetail struct {
	Question
	Current        Version
	BankName       string
	BankUnitPath   string
	TopicName      string
	LastEditorName string
	// Editable tells whether the caller may edit it; Approvable whether they
	// may approve it (they did not write the current version).
	Editable   bool
	Approvable bool
}

// EditInput is a question's content from the editor, with the topic and the
// study-material section it tests.
type EditInput struct {
	Draft
	TopicID           int64
	MaterialSectionID *int64
	// BaseVersion is the version the editor started from; an edit on top of
	// a newer one is refused (two authors editing at once).
	BaseVersion int
}

// prepare fills defaults, sanitises every HTML field and checks the rules. It
// returns the problems and whether unsafe HTML was removed.
func prepare(d *Draft) ([]Problem, bool) {
	if d.Difficulty == 0 {
		d.Difficulty = 3
	}
	if d.Points == 0 {
		d.Points = DefaultPoints[d.Type]
	}
	if d.Type != FillBlank {
		d.Normalization = Normalization{}
		d.Key.Blanks = nil
	}
	if d.Type != SingleChoice && d.Type != MultipleChoice {
		d.Key.Choices = nil
	}
	if d.Type != TrueFalse {
		d.Key.True = nil
	}
	removed := false
	clean := func(s *string) {
		c, r := Sanitize(*s)
		*s, removed = c, removed || r
	}
	clean(&d.Stem)
	clean(&d.Explanation)
	clean(&d.ReferenceAnswer)
	clean(&d.Rubric)
	for i := range d.Options {
		clean(&d.Options[i].Text)
	}
	d.Tags = normaliseTags(d.Tags)
	if d.Options == nil {
		d.Options = []Option{}
	}
	ps := CheckDraft(*d)
	return ps, removed
}

func normaliseTags(tags []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

func problemsError(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	f := map[string]string{}
	args := map[string]map[string]any{}
	for _, p := range ps {
		if _, ok := f[p.Field]; !ok {
			f[p.Field] = p.Message
			args[p.Field] = p.Args
		}
	}
	e := skillarena.Invalid(f)
	e.FieldArgs = args
	e.Message = ps[0].Message
	e.Args = ps[0].Args
	return e
}

// foldText lowers case, folds full-width forms and drops spaces and
// punctuation, so near-identical texts compare equal.
func foldText(s string) string {
	s = width.Fold.String(strings.ToLower(stripTags(s)))
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Fingerprint identifies near-duplicates: the same type, normalised stem and
// normalised set of options.
func Fingerprint(d Draft) string {
	opts := make([]string, 0, len(d.Options))
	for _, o := range d.Options {
		opts = append(opts, foldText(o.Text))
	}
	sort.Strings(opts)
	sum := sha256.Sum256([]byte(string(d.Type) + "\x00" + foldText(d.Stem) + "\x00" + strings.Join(opts, "\x00")))
	return hex.EncodeToString(sum[:])
}

func searchText(d Draft) string {
	parts := []string{stripTags(d.Stem)}
	for _, o := range d.Options {
		parts = append(parts, stripTags(o.Text))
	}
	parts = append(parts, d.Tags...)
	s := strings.Join(parts, " ")
	if len(s) > 4000 {
		s = s[:4000]
	}
	return s
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain data structures are encoded
	}
	return string(b)
}

// newVersion builds version n of question q from a prepared draft.
func newVersion(q Question, n int, d Draft, topicID int64, section *int64, editor int64) Version {
	return Version{QuestionID: q.ID, Version: n, Type: d.Type, TopicID: topicID, Stem: d.Stem,
		OptionsJSON: mustJSON(d.Options), KeyJSON: mustJSON(d.Key), NormalizationJSON: mustJSON(d.Normalization),
		Explanation: d.Explanation, Difficulty: d.Difficulty, Points: d.Points, TagsJSON: mustJSON(d.Tags),
		ReferenceAnswer: d.ReferenceAnswer, Rubric: d.Rubric, MaterialSectionID: section, EditorID: editor}
}

// writeQuestion stores a new question (q.ID == 0) or a new version of an
// existing one, with its tags, inside tx.
func (s *Service) writeQuestion(tx *gorm.DB, q *Question, d Draft, topicID int64, section *int64, editor int64) (Version, error) {
	q.Type, q.TopicID, q.Difficulty = d.Type, topicID, d.Difficulty
	q.Fingerprint, q.SearchText, q.LastEditorID = Fingerprint(d), searchText(d), editor
	q.CurrentVersion++
	if q.ID == 0 {
		if err := tx.Create(q).Error; err != nil {
			return Version{}, err
		}
	} else if err := tx.Model(q).Select("status", "current_version", "type", "topic_id", "difficulty", "fingerprint", "search_text", "last_editor_id", "updated_at").Updates(q).Error; err != nil {
		return Version{}, err
	}
	v := newVersion(*q, q.CurrentVersion, d, topicID, section, editor)
	if err := tx.Create(&v).Error; err != nil {
		return Version{}, err
	}
	if err := tx.Where("question_id = ?", q.ID).Delete(&questionTag{}).Error; err != nil {
		return Version{}, err
	}
	if len(d.Tags) > 0 {
		tags := make([]questionTag, len(d.Tags))
		for i, t := range d.Tags {
			tags[i] = questionTag{QuestionID: q.ID, Tag: t}
		}
		if err := tx.Create(&tags).Error; err != nil {
			return Version{}, err
		}
	}
	return v, nil
}

func (s *Service) checkTopicAndSection(tx *gorm.DB, topicID int64, section *int64) error {
	var n int64
	if err := tx.Model(&Topic{}).Where("id = ?", topicID).Count(&n).Error; err != nil {
		return err
	} else if n == 0 {
		return skillarena.Invalid(map[string]string{"topic_id": "topic.unknown"})
	}
	if section != nil {
		if err := tx.Model(&Section{}).Where("id = ?", *section).Count(&n).Error; err != nil {
			return err
		} else if n == 0 {
			return skillarena.Invalid(map[string]string{"material_section_id": "material.section_unknown"})
		}
	}
	return nil
}

// CreateQuestion adds a question, as a draft, to a bank inside scope.
func (s *Service) CreateQuestion(ctx context.Context, scope org.Scope, bankID int64, in EditInput) (QuestionDetail, error) {
	d := in.Draft
	ps, _ := prepare(&d)
	if err := problemsError(ps); err != nil {
		return QuestionDetail{}, err
	}
	var q Question
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		b, err := s.writableBank(ctx, tx, scope, bankID)
		if err != nil {
			return err
		}
		if err := s.checkTopicAndSection(tx, in.TopicID, in.MaterialSectionID); err != nil {
			return err
		}
		q = Question{BankID: bankID, Status: StatusDraft}
		v, err := s.writeQuestion(tx, &q, d, in.TopicID, in.MaterialSectionID, skillarena.ActorID(ctx))
		if err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "question.create", ObjectType: "question", ObjectID: strconv.FormatInt(q.ID, 10),
			OrgUnitID: &b.OrgUnitID, After: versionState(v)})
	})
	if err != nil {
		return QuestionDetail{}, dbError(err, "create question")
	}
	return s.Question(ctx, scope, q.ID)
}

// EditQuestion writes a new version of a question; the question goes back to
// draft and must be reviewed again. Older versions stay readable forever.
func (s *Service) EditQuestion(ctx context.Context, scope org.Scope, id int64, in EditInput) (QuestionDetail, error) {
	d := in.Draft
	ps, _ := prepare(&d)
	if err := problemsError(ps); err != nil {
		return QuestionDetail{}, err
	}
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		q, b, err := s.loadForWrite(ctx, tx, scope, id)
		if err != nil {
			return err
		}
		if in.BaseVersion != 0 && in.BaseVersion != q.CurrentVersion {
			return skillarena.NewError(skillarena.ESTALEWRITE, "question.edited_meanwhile", map[string]any{"Version": q.CurrentVersion})
		}
		if err := s.checkTopicAndSection(tx, in.TopicID, in.MaterialSectionID); err != nil {
			return err
		}
		from := q.Status
		q.Status = StatusDraft
		v, err := s.writeQuestion(tx, &q, d, in.TopicID, in.MaterialSectionID, skillarena.ActorID(ctx))
		if err != nil {
			return err
		}
		if err := s.addEvent(tx, q.ID, v.Version, skillarena.ActorID(ctx), "edit", from, q.Status, ""); err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "question.edit", ObjectType: "question", ObjectID: strconv.FormatInt(q.ID, 10),
			OrgUnitID: &b.OrgUnitID, Before: map[string]any{"version": v.Version - 1, "status": from}, After: versionState(v)})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Another edit of the same version committed first.
		return QuestionDetail{}, skillarena.NewError(skillarena.ESTALEWRITE, "question.edited_meanwhile", map[string]any{"Version": in.BaseVersion + 1})
	}
	if err != nil {
		return QuestionDetail{}, dbError(err, "edit question")
	}
	return s.Question(ctx, scope, id)
}

func versionState(v Version) map[string]any {
	return map[string]any{"version": v.Version, "type": v.Type, "topic_id": v.TopicID, "difficulty": v.Difficulty,
		"points": v.Points.String(), "stem": v.Stem, "key": json.RawMessage(v.KeyJSON)}
}

// loadForWrite returns a question the scope may change, with its bank.
func (s *Service) loadForWrite(ctx context.Context, tx *gorm.DB, scope org.Scope, id int64) (Question, BankSummary, error) {
	var q Question
	if err := tx.Where("id = ?", id).Take(&q).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return q, BankSummary{}, skillarena.NotFound("question")
	} else if err != nil {
		return q, BankSummary{}, err
	}
	b, err := s.writableBank(ctx, tx, scope, q.BankID)
	if skillarena.ErrorCode(err) == skillarena.ENOTFOUND {
		return q, b, skillarena.NotFound("question")
	}
	return q, b, err
}

// Question returns a question of a bank the scope may use, with its current
// version.
func (s *Service) Question(ctx context.Context, scope org.Scope, id int64) (QuestionDetail, error) {
	var q Question
	db := s.db.WithContext(ctx)
	if err := db.Where("id = ?", id).Take(&q).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return QuestionDetail{}, skillarena.NotFound("question")
	} else if err != nil {
		return QuestionDetail{}, err
	}
	b, err := s.Bank(ctx, scope, q.BankID)
	if skillarena.ErrorCode(err) == skillarena.ENOTFOUND {
		return QuestionDetail{}, skillarena.NotFound("question")
	} else if err != nil {
		return QuestionDetail{}, err
	}
	var v Version
	if err := db.Where("question_id = ? AND version = ?", q.ID, q.CurrentVersion).Take(&v).Error; err != nil {
		return QuestionDetail{}, err
	}
	det := QuestionDetail{Question: q, Current: v, BankName: b.Name, BankUnitPath: b.OrgUnitPath}
	db.Raw("SELECT name FROM topics WHERE id = ?", q.TopicID).Scan(&det.TopicName)
	db.Raw("SELECT name FROM users WHERE id = ?", q.LastEditorID).Scan(&det.LastEditorName)
	det.Editable = scope.Contains(b.OrgUnitPath)
	det.Approvable = det.Editable && q.Status == StatusInReview && q.LastEditorID != skillarena.ActorID(ctx)
	return det, nil
}

// Versions returns every version of a question, newest first.
func (s *Service) Versions(ctx context.Context, scope org.Scope, id int64) ([]Version, error) {
	if _, err := s.Question(ctx, scope, id); err != nil {
		return nil, err
	}
	var vs []Version
	err := s.db.WithContext(ctx).Where("question_id = ?", id).Order("version DESC").Find(&vs).Error
	return vs, err
}

// VersionByID returns one version by its id, for papers that point at it.
func (s *Service) VersionByID(ctx context.Context, id int64) (Version, error) {
	var v Version
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return v, skillarena.NotFound("question")
	}
	return v, err
}

// Filter selects questions.
type Filter struct {
	BankID int64
	// TopicID includes its subtopics.
	TopicID    int64
	Type       QuestionType
	Difficulty int
	Status     Status
	Tag        string
	// Text matches the stem, options and tags.
	Text string
	Page Page
}

// QuestionRow is a line of the question list.
type QuestionRow struct {
	Question
	BankName       string            `gorm:"->"`
	TopicName      string            `gorm:"->"`
	LastEditorName string            `gorm:"->"`
	Stem           string            `gorm:"->"`
	Points         skillarena.Points `gorm:"->"`
	TagsJSON       string            `gorm:"->;column:tags_json"`
}

func (s *Service) filtered(ctx context.Context, scope org.Scope, f Filter) (*gorm.DB, error) {
	q := s.db.WithContext(ctx).Model(&Question{}).
		Joins("JOIN banks ON banks.id = questions.bank_id").
		Joins("JOIN org_units ON org_units.id = banks.org_unit_id").
		Joins("JOIN topics ON topics.id = questions.topic_id")
	q = visibleUnits(q, scope)
	if f.BankID != 0 {
		q = q.Where("questions.bank_id = ?", f.BankID)
	}
	if f.TopicID != 0 {
		t, err := s.Topic(ctx, f.TopicID)
		if err != nil {
			return nil, skillarena.Invalid(map[string]string{"topic_id": "topic.unknown"})
		}
		q = q.Where("topics.path LIKE ?", t.Path+"%")
	}
	if f.Type != "" {
		if !f.Type.Valid() {
			return nil, skillarena.Invalid(map[string]string{"type": "question.type_unknown"})
		}
		q = q.Where("questions.type = ?", f.Type)
	}
	if f.Difficulty != 0 {
		q = q.Where("questions.difficulty = ?", f.Difficulty)
	}
	if f.Status != "" {
		q = q.Where("questions.status = ?", f.Status)
	}
	if f.Tag != "" {
		q = q.Where("EXISTS (SELECT 1 FROM question_tags qt WHERE qt.question_id = questions.id AND qt.tag = ?)", f.Tag)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
		q = q.Where("questions.search_text LIKE ? ESCAPE '!'", "%"+r.Replace(t)+"%")
	}
	return q, nil
}

// Search lists the questions of the banks the scope may use.
func (s *Service) Search(ctx context.Context, scope org.Scope, f Filter) ([]QuestionRow, int64, error) {
	q, err := s.filtered(ctx, scope, f)
	if err != nil {
		return nil, 0, err
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	n, size := f.Page.Number, f.Page.Size
	if n < 1 {
		n = 1
	}
	if size < 1 || size > org.MaxPageSize {
		size = 50
	}
	var rows []QuestionRow
	err = q.Joins("JOIN question_versions v ON v.question_id = questions.id AND v.version = questions.current_version").
		Joins("LEFT JOIN users ON users.id = questions.last_editor_id").
		Select("questions.*, banks.name AS bank_name, topics.name AS topic_name, users.name AS last_editor_name, v.stem AS stem, v.points AS points, v.tags_json AS tags_json").
		Order("questions.updated_at DESC, questions.id DESC").Offset((n - 1) * size).Limit(size).Find(&rows).Error
	return rows, total, err
}

// Count is the number of approved questions of one topic, type and
// difficulty: what a paper blueprint can draw on.
type Count struct {
	TopicID    int64
	Type       QuestionType
	Difficulty int
	Count      int64
}

// Counts returns the approved questions per topic × type × difficulty of the
// banks the scope may use (optionally one bank).
func (s *Service) Counts(ctx context.Context, scope org.Scope, bankID int64) ([]Count, error) {
	q, err := s.filtered(ctx, scope, Filter{BankID: bankID, Status: StatusApproved})
	if err != nil {
		return nil, err
	}
	var out []Count
	err = q.Select("questions.topic_id AS topic_id, questions.type AS type, questions.difficulty AS difficulty, COUNT(*) AS count").
		Group("questions.topic_id, questions.type, questions.difficulty").
		Order("questions.topic_id, questions.type, questions.difficulty").Scan(&out).Error
	return out, err
}

// Approved is an approved question's current version, as an exam draws it.
type Approved struct {
	QuestionID  int64
	VersionID   int64
	OptionsJSON string
}

// ApprovedVersions lists the current versions of the approved questions in
// the given banks matching a topic (with its subtopics), a type and, when not
// zero, a difficulty: what a blueprint section may draw from.
func (s *Service) ApprovedVersions(ctx context.Context, bankIDs []int64, topicID int64, typ QuestionType, difficulty int) ([]Approved, error) {
	if len(bankIDs) == 0 {
		return nil, nil
	}
	t, err := s.Topic(ctx, topicID)
	if err != nil {
		return nil, skillarena.Invalid(map[string]string{"topic_id": "topic.unknown"})
	}
	q := s.db.WithContext(ctx).Model(&Question{}).
		Joins("JOIN topics ON topics.id = questions.topic_id").
		Joins("JOIN question_versions v ON v.question_id = questions.id AND v.version = questions.current_version").
		Where("questions.bank_id IN ? AND questions.status = ? AND questions.type = ? AND topics.path LIKE ?", bankIDs, StatusApproved, typ, t.Path+"%")
	if difficulty != 0 {
		q = q.Where("questions.difficulty = ?", difficulty)
	}
	var out []Approved
	err = q.Select("questions.id AS question_id, v.id AS version_id, v.options_json AS options_json").Order("questions.id").Scan(&out).Error
	return out, err
}

// VersionsByID loads the given versions.
//
// Versions never change once written, so they are kept in memory after the
// first read (up to maxCachedVersions): the start burst of an exam reads each
// question once, not once per contestant.
func (s *Service) VersionsByID(ctx context.Context, ids []int64) (map[int64]Version, error) {
	out := make(map[int64]Version, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var missing []int64
	s.versionsMu.RLock()
	for _, id := range ids {
		if v, ok := s.versions[id]; ok {
			out[id] = v
		} else {
			missing = append(missing, id)
		}
	}
	s.versionsMu.RUnlock()
	if len(missing) == 0 {
		return out, nil
	}
	var vs []Version
	if err := s.db.WithContext(ctx).Where("id IN ?", missing).Find(&vs).Error; err != nil {
		return nil, err
	}
	s.versionsMu.Lock()
	if s.versions == nil || len(s.versions)+len(vs) > maxCachedVersions {
		s.versions = make(map[int64]Version, len(vs))
	}
	for _, v := range vs {
		out[v.ID] = v
		s.versions[v.ID] = v
	}
	s.versionsMu.Unlock()
	return out, nil
}

// maxCachedVersions bounds the versions VersionsByID keeps in memory (a few
// tens of megabytes); past it the cache starts over.
const maxCachedVersions = 50_000

package exam

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/org"
)

// Service runs written exams: blueprints, papers, attempts with server time,
// autosave, submission, the sweeper and objective grading.
type Service struct {
	db *gorm.DB
	// saves runs concurrent autosaves in batches (save_batch.go).
	saves *saveBatcher
	// starts writes concurrent starts in batches (start_batch.go).
	starts *startBatcher
	// shown keeps what contestants see of each question version.
	shown   shownCache
	clock   skillarena.Clock
	audit   *org.Audit
	content *content.Service
	// beforeStartWrite, set by tests, runs between a start's read and its
	// write.
	beforeStartWrite func()
}

// NewService returns the exam service.
func NewService(db *gorm.DB, clock skillarena.Clock, audit *org.Audit, c *content.Service) *Service {
	s := &Service{db: db, saves: newSaveBatcher(db), clock: clock, audit: audit, content: c}
	s.starts = newStartBatcher(s)
	return s
}

// dbError maps database errors the way every domain does (org.StoreError).
func dbError(err error, op string) error { return org.StoreError(err, op) }

func unitPath(tx *gorm.DB, id int64) (string, error) {
	var p string
	err := tx.Raw("SELECT path FROM org_units WHERE id = ?", id).Scan(&p).Error
	return p, err
}

// BlueprintInput is a blueprint to save.
type BlueprintInput struct {
	OrgUnitID int64
	Name      string
	Sections  []Section
}

// check validates a blueprint's name and sections, for creating and editing.
func (in BlueprintInput) check() error {
	f := map[string]string{}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		f["name"] = "field.required"
	}
	if len(in.Sections) == 0 || len(in.Sections) > 50 {
		f["sections"] = "exam.sections_count"
	}
	for i, sec := range in.Sections {
		if !sec.Type.Valid() || sec.Count < 1 || sec.PointsEach <= 0 || sec.TopicID == 0 || sec.Difficulty < 0 || sec.Difficulty > 5 {
			f["sections."+strconv.Itoa(i)] = "exam.section_invalid"
		}
	}
	if len(f) == 0 && checkSections(in.Sections) != nil {
		f["sections"] = "exam.blueprint_too_large"
	}
	if len(f) > 0 {
		return skillarena.Invalid(f)
	}
	return nil
}

// CreateBlueprint saves a blueprint owned by a unit inside scope.
func (s *Service) CreateBlueprint(ctx context.Context, scope org.Scope, in BlueprintInput) (Blueprint, error) {
	in.Name = strings.TrimSpace(in.Name)
	if err := in.check(); err != nil {
		return Blueprint{}, err
	}
	b := Blueprint{OrgUnitID: in.OrgUnitID, Name: in.Name, CreatedBy: skillarena.ActorID(ctx)}
	b.SectionsJSON = mustJSON(in.Sections)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := unitPath(tx, in.OrgUnitID)
		if err != nil {
			return err
		}
		if p == "" || !scope.Contains(p) {
			return skillarena.Invalid(map[string]string{"org_unit_id": "org.unit.unknown"})
		}
		if err := tx.Create(&b).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "blueprint.create", ObjectType: "blueprint", ObjectID: strconv.FormatInt(b.ID, 10),
			OrgUnitID: &b.OrgUnitID, After: map[string]any{"name": b.Name, "sections": in.Sections}})
	})
	return b, dbError(err, "create blueprint")
}

// Sections decodes a blueprint's sections.
func (b Blueprint) Sections() []Section {
	var out []Section
	json.Unmarshal([]byte(b.SectionsJSON), &out)
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// ExamInput is an exam to create.
type ExamInput struct {
	OrgUnitID         int64
	Title             string
	Instructions      string
	Kind              Kind
	OpensAt, ClosesAt time.Time
	Duration          time.Duration
	// Grace is the allowance for network latency after the deadline; nil
	// means the default of 30 seconds.
	Grace             *time.Duration
	BlueprintID       int64
	BankIDs           []int64
	PaperMode         PaperMode
	Shuffle           Shuffle
	MaxAttempts       int
	PartialCredit     bool
	ResultsVisibility Visibility
	// MarkingThreshold is how far apart two judges' marks of an answer may
	// be before the chief judge adjudicates; nil means DefaultMarkingThreshold.
	MarkingThreshold *skillarena.Points
}

// DefaultMarkingThreshold is the marking threshold of an exam that sets none.
const DefaultMarkingThreshold skillarena.Points = 200

// DefaultGrace is the allowance for network latency stated to contestants.
const DefaultGrace = 30 * time.Second

// CreateExam creates an exam owned by a unit inside scope. A blueprint the
// banks cannot fill is refused with the missing counts per section.
func (s *Service) CreateExam(ctx context.Context, scope org.Scope, in ExamInput) (Exam, error) {
	e, err := settingsOf(in)
	if err != nil {
		return Exam{}, err
	}
	e.CreatedBy = skillarena.ActorID(ctx)
	if err := s.checkPaperSource(ctx, scope, in.OrgUnitID, in.BlueprintID, in.BankIDs); err != nil {
		return Exam{}, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&e).Error; err != nil {
			return err
		}
		for _, id := range in.BankIDs {
			if err := tx.Create(&examBank{ExamID: e.ID, BankID: id}).Error; err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "exam.create", ObjectType: "exam", ObjectID: strconv.FormatInt(e.ID, 10),
			OrgUnitID: &e.OrgUnitID, After: e})
	})
	return e, dbError(err, "create exam")
}

// settingsOf checks an exam's settings and returns the exam they describe,
// with the defaults applied; creating and editing an exam share it.
func settingsOf(in ExamInput) (Exam, error) {
	grace := DefaultGrace
	if in.Grace != nil {
		grace = *in.Grace
	}
	if in.Kind == "" {
		in.Kind = KindCompetition
	}
	if in.MaxAttempts == 0 {
		in.MaxAttempts = 1
	}
	if in.PaperMode == "" {
		in.PaperMode = PaperDrawn
	}
	if in.ResultsVisibility == "" {
		in.ResultsVisibility = ResultsAfterClose
	}
	threshold := DefaultMarkingThreshold
	if in.MarkingThreshold != nil {
		threshold = *in.MarkingThreshold
	}
	f := map[string]string{}
	if strings.TrimSpace(in.Title) == "" {
		f["title"] = "field.required"
	}
	if !in.ClosesAt.After(in.OpensAt) {
		f["closes_at"] = "exam.window_order"
	}
	if in.Duration < time.Minute || in.Duration > 24*time.Hour {
		f["duration"] = "exam.duration_range"
	}
	if grace < 0 || grace > 5*time.Minute {
		f["grace"] = "exam.grace_range"
	}
	if in.Kind == KindCompetition && in.MaxAttempts != 1 {
		f["max_attempts"] = "exam.competition_one_attempt"
	}
	if in.MaxAttempts < 1 || in.MaxAttempts > 100 {
		f["max_attempts"] = "exam.max_attempts_range"
	}
	if len(in.BankIDs) == 0 {
		f["bank_ids"] = "field.required"
	}
	if threshold < 0 || threshold > MaxMarkingThreshold {
		f["marking_threshold"] = "marking.threshold_range"
	}
	if len(f) > 0 {
		return Exam{}, skillarena.Invalid(f)
	}
	return Exam{OrgUnitID: in.OrgUnitID, Title: strings.TrimSpace(in.Title), Instructions: in.Instructions, Kind: in.Kind,
		OpensAt: in.OpensAt.UTC(), ClosesAt: in.ClosesAt.UTC(), DurationSeconds: int(in.Duration / time.Second),
		GraceSeconds: int(grace / time.Second), BlueprintID: in.BlueprintID, PaperMode: in.PaperMode,
		ShuffleQuestions: in.Shuffle.Questions, ShuffleOptions: in.Shuffle.Options, MaxAttempts: in.MaxAttempts,
		PartialCredit: in.PartialCredit, ResultsVisibility: in.ResultsVisibility, MarkingThreshold: threshold}, nil
}

// checkPaperSource checks that an exam of a unit inside scope may draw its
// papers from the blueprint and the banks, and that they can fill it.
func (s *Service) checkPaperSource(ctx context.Context, scope org.Scope, unitID, blueprintID int64, bankIDs []int64) error {
	var bp struct {
		Blueprint
		OrgUnitPath string
	}
	err := s.db.WithContext(ctx).Model(&Blueprint{}).Select("blueprints.*, org_units.path AS org_unit_path").
		Joins("JOIN org_units ON org_units.id = blueprints.org_unit_id").Where("blueprints.id = ?", blueprintID).Take(&bp).Error
	if err != nil {
		return skillarena.Invalid(map[string]string{"blueprint_id": "exam.blueprint_unknown"})
	}
	// The banks must be usable by the exam's unit, and must fill the blueprint.
	p, err := unitPath(s.db.WithContext(ctx), unitID)
	if err != nil {
		return err
	}
	if p == "" || !scope.Contains(p) {
		return skillarena.Invalid(map[string]string{"org_unit_id": "org.unit.unknown"})
	}
	if !blueprintUsable(scope, p, bp.OrgUnitPath) {
		return skillarena.Invalid(map[string]string{"blueprint_id": "exam.blueprint_unknown"})
	}
	for _, id := range bankIDs {
		if _, err := s.content.Bank(ctx, org.Scope{Paths: []string{p}}, id); err != nil {
			return skillarena.Invalid(map[string]string{"bank_ids": "exam.bank_unusable"})
		}
	}
	return s.trialDraw(ctx, bankIDs, bp.Sections())
}

// blueprintUsable is the rule for which blueprints an exam may draw its
// papers from, when set by a caller with scope for a unit at examUnitPath:
// a blueprint of the caller's units, or of the exam's unit or a unit above
// it (a province blueprint serves its counties).
func blueprintUsable(scope org.Scope, examUnitPath, blueprintUnitPath string) bool {
	return scope.Contains(blueprintUnitPath) || strings.HasPrefix(examUnitPath, blueprintUnitPath)
}

// trialDraw proves that banks can fill sections (sections that share a pool
// included), or answers the shortage per section.
func (s *Service) trialDraw(ctx context.Context, bankIDs []int64, sections []Section) error {
	pools, err := s.pools(ctx, bankIDs, sections)
	if err != nil {
		return err
	}
	if _, err := Draw(NewSeed(), sections, pools, Shuffle{}); err != nil {
		var short *ShortageError
		if errors.As(err, &short) {
			return shortageError(*short)
		}
		return skillarena.Invalid(map[string]string{"blueprint_id": "exam.blueprint_invalid"})
	}
	return nil
}

// pools returns, per section, the approved candidates of the banks; Draw
// tells whether they suffice.
func (s *Service) pools(ctx context.Context, bankIDs []int64, sections []Section) ([][]Candidate, error) {
	pools := make([][]Candidate, len(sections))
	for i, sec := range sections {
		vs, err := s.content.ApprovedVersions(ctx, bankIDs, sec.TopicID, sec.Type, sec.Difficulty)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			var opts []content.Option
			json.Unmarshal([]byte(v.OptionsJSON), &opts)
			keys := make([]string, len(opts))
			for j, o := range opts {
				keys[j] = o.Key
			}
			pools[i] = append(pools[i], Candidate{QuestionID: v.QuestionID, VersionID: v.VersionID, OptionKeys: keys})
		}
	}
	return pools, nil
}

// shortageError turns a shortage into the error users see.
func shortageError(short ShortageError) error {
	parts := make([]string, len(short.Missing))
	for i, m := range short.Missing {
		parts[i] = fmt.Sprintf("%d:%s:%d/%d", m.Section+1, m.Title, m.Have, m.Want)
	}
	e := skillarena.NewError(skillarena.EINVALID, "exam.blueprint_short", map[string]any{"Sections": strings.Join(parts, "; ")})
	e.Fields, e.FieldArgs = map[string]string{}, map[string]map[string]any{}
	for _, m := range short.Missing {
		k := "sections." + strconv.Itoa(m.Section)
		e.Fields[k] = "exam.section_short"
		e.FieldArgs[k] = map[string]any{"Have": m.Have, "Want": m.Want}
	}
	return e
}

// Enrol puts contestants on an exam's roster.
func (s *Service) Enrol(ctx context.Context, examID int64, userIDs []int64) error {
	now := s.clock.Now()
	return dbError(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, u := range userIDs {
			var n int64
			if err := tx.Model(&Enrolment{}).Where("exam_id = ? AND user_id = ?", examID, u).Count(&n).Error; err != nil {
				return err
			} else if n > 0 {
				continue
			}
			if err := tx.Create(&Enrolment{ExamID: examID, UserID: u, CreatedAt: now}).Error; err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "exam.enrol", ObjectType: "exam", ObjectID: strconv.FormatInt(examID, 10),
			After: map[string]any{"user_ids": userIDs}})
	}), "enrol")
}

// paperFor returns the paper an attempt uses, drawing and storing it (with
// its seed) the first time. A fixed exam has one paper for everyone. It runs
// outside any transaction: the draw reads the banks, and the paper's unique
// key settles a race between two first starts. It reports whether this call
// drew the paper.
func (s *Service) paperFor(ctx context.Context, e Exam, userID int64, number int) (Paper, bool, error) {
	return s.paperWith(ctx, e, userID, number, func(seed []byte) ([]Item, error) { return s.draw(ctx, e, seed) })
}

// paperWith is paperFor with the drawing given, so PreparePapers reads the
// banks once for every contestant.
func (s *Service) paperWith(ctx context.Context, e Exam, userID int64, number int, draw func(seed []byte) ([]Item, error)) (Paper, bool, error) {
	owner, num := userID, number
	if e.PaperMode == PaperFixed {
		owner, num = 0, 0
	}
	db := s.db.WithContext(ctx)
	var p Paper
	err := db.Where("exam_id = ? AND user_id = ? AND attempt_number = ?", e.ID, owner, num).Take(&p).Error
	if err == nil {
		return p, false, nil
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return p, false, err
	}
	seed := NewSeed()
	items, err := draw(seed)
	if err != nil {
		return p, false, err
	}
	p = Paper{ExamID: e.ID, UserID: owner, AttemptNumber: num, Seed: hex.EncodeToString(seed), ItemsJSON: mustJSON(items)}
	if err := db.Create(&p).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
		err = db.Where("exam_id = ? AND user_id = ? AND attempt_number = ?", e.ID, owner, num).Take(&p).Error
		return p, false, err
	} else if err != nil {
		return p, false, err
	}
	return p, true, nil
}

// draw draws a paper for an exam from its blueprint and banks with seed.
func (s *Service) draw(ctx context.Context, e Exam, seed []byte) ([]Item, error) {
	d, err := s.drawer(ctx, e)
	if err != nil {
		return nil, err
	}
	return d(seed)
}

// drawer reads an exam's blueprint and its banks' pools once and returns the
// function that draws a paper from a seed.
func (s *Service) drawer(ctx context.Context, e Exam) (func(seed []byte) ([]Item, error), error) {
	db := s.db.WithContext(ctx)
	var bp Blueprint
	if err := db.Where("id = ?", e.BlueprintID).Take(&bp).Error; err != nil {
		return nil, err
	}
	var bankIDs []int64
	if err := db.Model(&examBank{}).Where("exam_id = ?", e.ID).Pluck("bank_id", &bankIDs).Error; err != nil {
		return nil, err
	}
	sections := bp.Sections()
	pools, err := s.pools(ctx, bankIDs, sections)
	if err != nil {
		return nil, err
	}
	return func(seed []byte) ([]Item, error) {
		items, err := Draw(seed, sections, pools, Shuffle{Questions: e.ShuffleQuestions, Options: e.ShuffleOptions})
		var short *ShortageError
		if errors.As(err, &short) {
			// Questions were retired since the exam was set up.
			return nil, shortageError(*short)
		}
		return items, err
	}, nil
}

// Items decodes a paper's items: by hand (decodeItemsFast) when they are in
// json.Marshal's own form, as stored, else by encoding/json.
func (p Paper) Items() []Item {
	if out, ok := decodeItemsFast([]byte(p.ItemsJSON)); ok {
		return out
	}
	var out []Item
	json.Unmarshal([]byte(p.ItemsJSON), &out)
	return out
}

// PreparePapers draws every enrolled contestant's paper ahead of the window,
// so the start burst does no drawing.
func (s *Service) PreparePapers(ctx context.Context, examID int64) (int, error) {
	var e Exam
	if err := s.db.WithContext(ctx).Where("id = ?", examID).Take(&e).Error; err != nil {
		return 0, dbError(err, "prepare papers")
	}
	var users []int64
	if err := s.db.WithContext(ctx).Model(&Enrolment{}).Where("exam_id = ?", examID).Pluck("user_id", &users).Error; err != nil {
		return 0, err
	}
	draw, err := s.drawer(ctx, e)
	if err != nil {
		return 0, dbError(err, "prepare papers")
	}
	n := 0
	for _, u := range users {
		if _, _, err := s.paperWith(ctx, e, u, 1, draw); err != nil {
			return n, dbError(err, "prepare papers")
		}
		n++
	}
	return n, nil
}

package exam

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
// its seed and drawing) the first time. A fixed exam has one paper for
// everyone. It runs outside any transaction: the draw reads the banks, and
// the paper's unique key settles a race between two first starts. It reports
// whether this call drew the paper.
func (s *Service) paperFor(ctx context.Context, e Exam, userID int64, number int) (Paper, bool, error) {
	return s.paperWith(ctx, e, userID, number, func() (*drawing, error) { return s.drawingOf(ctx, e) })
}

// paperWith is paperFor with the drawing given (read only when the paper is
// drawn), so PreparePapers reads the banks once for every contestant.
func (s *Service) paperWith(ctx context.Context, e Exam, userID int64, number int, drawingOf func() (*drawing, error)) (Paper, bool, error) {
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
	d, err := drawingOf()
	if err != nil {
		return p, false, err
	}
	seed := NewSeed()
	items, err := d.draw(seed)
	if err != nil {
		return p, false, err
	}
	drawID, err := s.storeDrawing(ctx, e.ID, d)
	if err != nil {
		return p, false, err
	}
	p = Paper{ExamID: e.ID, UserID: owner, AttemptNumber: num, Seed: hex.EncodeToString(seed), ItemsJSON: mustJSON(items), DrawID: &drawID}
	if err := db.Create(&p).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
		err = db.Where("exam_id = ? AND user_id = ? AND attempt_number = ?", e.ID, owner, num).Take(&p).Error
		return p, false, err
	} else if err != nil {
		return p, false, err
	}
	return p, true, nil
}

// drawing is what a paper is drawn from besides its seed: the exam's
// sections, the candidates of each (the approved versions its topic subtree,
// type and difficulty select from the exam's banks, as they are when read)
// and the shuffles. Draw's result depends on these and the seed only, so a
// paper stored with its seed and its drawing can be rebuilt exactly
// (RebuildPaper) whatever the banks hold later.
type drawing struct {
	Sections []Section     `json:"sections"`
	Pools    [][]Candidate `json:"pools"`
	Shuffle  Shuffle       `json:"shuffle"`

	id int64 // its paper_draws row, once stored
}

// paperDraw is a drawing as stored, once per exam and distinct drawing.
type paperDraw struct {
	ID           int64
	ExamID       int64
	InputsSHA256 string `gorm:"column:inputs_sha256"`
	InputsJSON   string `gorm:"column:inputs_json"`
	CreatedAt    time.Time
}

func (paperDraw) TableName() string { return "paper_draws" }

func (d *drawing) draw(seed []byte) ([]Item, error) {
	items, err := Draw(seed, d.Sections, d.Pools, d.Shuffle)
	var short *ShortageError
	if errors.As(err, &short) {
		// Questions were retired since the exam was set up.
		return nil, shortageError(*short)
	}
	return items, err
}

// drawingOf reads an exam's blueprint and its banks' pools.
func (s *Service) drawingOf(ctx context.Context, e Exam) (*drawing, error) {
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
	for _, p := range pools {
		// Draw depends on each pool's set, not its order: one order, one row.
		slices.SortFunc(p, func(a, b Candidate) int { return cmpInt64(a.QuestionID, b.QuestionID) })
	}
	return &drawing{Sections: sections, Pools: pools, Shuffle: Shuffle{Questions: e.ShuffleQuestions, Options: e.ShuffleOptions}}, nil
}

// storeDrawing returns the id of d's row for the exam, writing it the first
// time (two servers writing the same drawing at once share one row).
func (s *Service) storeDrawing(ctx context.Context, examID int64, d *drawing) (int64, error) {
	if d.id != 0 {
		return d.id, nil
	}
	inputs := mustJSON(d)
	sum := sha256.Sum256([]byte(inputs))
	row := paperDraw{ExamID: examID, InputsSHA256: hex.EncodeToString(sum[:]), InputsJSON: inputs, CreatedAt: s.clock.Now()}
	db := s.db.WithContext(ctx)
	err := db.Where("exam_id = ? AND inputs_sha256 = ?", examID, row.InputsSHA256).Select("id").Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if err = db.Create(&row).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			err = db.Where("exam_id = ? AND inputs_sha256 = ?", examID, row.InputsSHA256).Select("id").Take(&row).Error
		}
	}
	if err != nil {
		return 0, err
	}
	d.id = row.ID
	return d.id, nil
}

// RebuildPaper draws a stored paper again from its seed and its drawing and
// returns its items once they are checked equal to the stored ones: the
// proof that the paper is the one its seed gives. A paper drawn before
// drawings were kept, or one that does not rebuild, is an error.
func (s *Service) RebuildPaper(ctx context.Context, paperID int64) ([]Item, error) {
	db := s.db.WithContext(ctx)
	var p Paper
	if err := db.Where("id = ?", paperID).Take(&p).Error; err != nil {
		return nil, dbError(err, "rebuild paper")
	}
	if p.DrawID == nil {
		return nil, skillarena.NewError(skillarena.ECONFLICT, "exam.paper_no_drawing", map[string]any{"Paper": p.ID})
	}
	var row paperDraw
	if err := db.Where("id = ?", *p.DrawID).Take(&row).Error; err != nil {
		return nil, dbError(err, "rebuild paper")
	}
	var d drawing
	if err := json.Unmarshal([]byte(row.InputsJSON), &d); err != nil {
		return nil, fmt.Errorf("rebuild paper %d: drawing %d: %w", p.ID, row.ID, err)
	}
	seed, err := hex.DecodeString(p.Seed)
	if err != nil {
		return nil, fmt.Errorf("rebuild paper %d: seed: %w", p.ID, err)
	}
	items, err := Draw(seed, d.Sections, d.Pools, d.Shuffle)
	if err != nil {
		return nil, fmt.Errorf("rebuild paper %d: %w", p.ID, err)
	}
	if !slices.EqualFunc(items, p.Items(), itemsEqual) {
		return nil, skillarena.NewError(skillarena.ECONFLICT, "exam.paper_rebuild_differs", map[string]any{"Paper": p.ID})
	}
	return items, nil
}

func itemsEqual(a, b Item) bool {
	return a.Section == b.Section && a.Position == b.Position && a.QuestionID == b.QuestionID && a.VersionID == b.VersionID &&
		a.Type == b.Type && a.Points == b.Points && slices.Equal(a.OptionOrder, b.OptionOrder)
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
	d, err := s.drawingOf(ctx, e)
	if err != nil {
		return 0, dbError(err, "prepare papers")
	}
	n := 0
	for _, u := range users {
		if _, _, err := s.paperWith(ctx, e, u, 1, func() (*drawing, error) { return d, nil }); err != nil {
			return n, dbError(err, "prepare papers")
		}
		n++
	}
	return n, nil
}

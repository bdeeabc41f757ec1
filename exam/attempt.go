package exam

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/org"
)

// ItemView is an item as the contestant sees it: never the key.
type ItemView struct {
	ID      int                  `json:"id"` // the item's position in the paper
	Type    content.QuestionType `json:"type"`
	Stem    string               `json:"stem"`
	Options []content.Option     `json:"options"`
	Blanks  int                  `json:"blanks"`
	Points  skillarena.Points    `json:"points"`
}

// AttemptView is an attempt with its items and the time left on the
// server's clock.
type AttemptView struct {
	Attempt
	ExamTitle        string
	GraceSeconds     int
	RemainingSeconds int
	// ResultsVisible says whether the contestant may see the score now.
	ResultsVisible bool
	// Fresh is true when this call started the attempt.
	Fresh   bool
	Items   []ItemView
	Answers []Answer
}

// Deadline is when an attempt must end: its start plus the exam's duration
// plus any extra time granted, but never after the exam's window closes.
func Deadline(start time.Time, e Exam, extra time.Duration) time.Time {
	d := start.Add(time.Duration(e.DurationSeconds)*time.Second + extra)
	if d.After(e.ClosesAt) {
		return e.ClosesAt
	}
	return d
}

// Start begins the caller's attempt at an exam, or returns the attempt they
// already have in progress. Only enrolled contestants start, only inside the
// exam's window, and no more often than the exam allows. The deadline is
// computed and stored here, on the server's clock, so a reload never resets
// the countdown.
//
// A start is the exam's hottest moment (everyone at once), so it reads what
// it needs in one query (readStart), and writes the attempt and its empty
// answers in one transaction on database/sql, together with the starts
// made at the same moment (startBatcher).
func (s *Service) Start(ctx context.Context, userID, examID int64) (AttemptView, error) {
	for try := 1; ; try++ {
		v, err := s.start(ctx, userID, examID)
		// Two starts raced (two tabs at once) and the other one won, or the
		// exam changed between the read and the write: begin again.
		again := errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, errExamChanged)
		if !again || try == startTries {
			return v, dbError(err, "start attempt")
		}
	}
}

// startTries bounds the starts begun again; each one needs another start,
// or an edit of the exam, to have come between its read and its write.
const startTries = 5

// errExamChanged tells Start that the exam's settings changed after it read
// them.
var errExamChanged = errors.New("exam changed")

func (s *Service) start(ctx context.Context, userID, examID int64) (AttemptView, error) {
	// Microseconds are what both databases keep, so the deadline answered now
	// equals the one read back later.
	now := s.clock.Now().Truncate(time.Microsecond)
	st, err := s.readStart(ctx, userID, examID)
	if err != nil {
		return AttemptView{}, err
	}
	e := st.exam
	if st.open != 0 {
		var a Attempt
		if err := s.db.WithContext(ctx).Where("id = ?", st.open).Take(&a).Error; err != nil {
			return AttemptView{}, err
		}
		if err := s.bind(ctx, &a); err != nil {
			return AttemptView{}, err
		}
		return s.viewOf(ctx, a, e, nil, nil)
	}
	if now.Before(e.OpensAt) {
		return AttemptView{}, skillarena.NewError(skillarena.ECONFLICT, "exam.not_open_yet", map[string]any{"OpensAt": e.OpensAt.Format(time.RFC3339)})
	}
	if !now.Before(e.ClosesAt) {
		return AttemptView{}, skillarena.NewError(skillarena.EDEADLINEPASSED, "exam.closed", nil)
	}
	if st.used >= e.MaxAttempts {
		return AttemptView{}, skillarena.NewError(skillarena.ECONFLICT, "exam.no_attempts_left", nil)
	}
	p, drawn := st.paper, false
	if p.ID == 0 || (e.PaperMode != PaperFixed && st.used > 0) {
		if p, drawn, err = s.paperFor(ctx, e, userID, st.used+1); err != nil {
			return AttemptView{}, dbError(err, "draw paper")
		}
	}
	if s.beforeStartWrite != nil {
		s.beforeStartWrite()
	}
	deadline := Deadline(now, e, time.Duration(st.extra)*time.Second)
	a := Attempt{ExamID: examID, UserID: userID, Number: st.used + 1, PaperID: p.ID, Status: AttemptInProgress,
		StartedAt: now, Deadline: deadline, AcceptUntil: acceptUntil(deadline, e), Device: deviceFrom(ctx), LastSeenAt: &now,
		CreatedAt: now, UpdatedAt: now}
	items := p.Items()
	err = s.starts.insert(ctx, &a, e, items)
	if errors.Is(err, errExamChanged) && drawn {
		// The paper this call drew may hold the settings before the change
		// (one drawn earlier was discarded by the change if it had to be):
		// unless an attempt uses it already, it is drawn again.
		if err := s.db.WithContext(ctx).Where("id = ? AND NOT EXISTS (SELECT 1 FROM attempts WHERE attempts.paper_id = ?)", p.ID, p.ID).Delete(&Paper{}).Error; err != nil {
			return AttemptView{}, err
		}
	}
	if err != nil {
		return AttemptView{}, err
	}
	answers := make([]Answer, len(items))
	for i, it := range items {
		answers[i] = Answer{AttemptID: a.ID, Position: it.Position}
	}
	slices.SortFunc(answers, func(x, y Answer) int { return cmp.Compare(x.Position, y.Position) })
	v, err := s.viewOf(ctx, a, e, &p, answers)
	v.Fresh = true
	return v, err
}

// startState is what a start reads: the exam, the caller's extra time, how
// many attempts they used, the one in progress (0: none), and the paper
// prepared for their first attempt (or everyone's, for a fixed paper; ID 0
// when none is).
type startState struct {
	exam  Exam
	extra int
	used  int
	open  int64
	paper Paper
}

// examColumns are the exams table's columns in the order scanExam reads them
// (a test compares them with the model).
const examColumns = "exams.id, exams.org_unit_id, exams.title, exams.instructions, exams.kind, exams.opens_at, exams.closes_at, " +
	"exams.duration_seconds, exams.grace_seconds, exams.blueprint_id, exams.paper_mode, exams.shuffle_questions, exams.shuffle_options, " +
	"exams.max_attempts, exams.partial_credit, exams.results_visibility, exams.results_released_at, exams.marking_threshold, " +
	"exams.created_by, exams.created_at, exams.updated_at"

// examDest is where a row of examColumns is scanned.
func examDest(e *Exam) []any {
	return []any{&e.ID, &e.OrgUnitID, &e.Title, &e.Instructions, &e.Kind, &e.OpensAt, &e.ClosesAt,
		&e.DurationSeconds, &e.GraceSeconds, &e.BlueprintID, &e.PaperMode, &e.ShuffleQuestions, &e.ShuffleOptions,
		&e.MaxAttempts, &e.PartialCredit, &e.ResultsVisibility, &e.ResultsReleasedAt, (*int64)(&e.MarkingThreshold),
		&e.CreatedBy, &e.CreatedAt, &e.UpdatedAt}
}

// readStart reads a start's state in one query. An exam that does not exist
// and one the caller is not enrolled on are both not found.
func (s *Service) readStart(ctx context.Context, userID, examID int64) (startState, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return startState{}, err
	}
	var st startState
	var open, paperID, paperUser, paperNumber sql.NullInt64
	var seed, items sql.NullString
	var paperAt sql.NullTime
	dest := append(examDest(&st.exam), &st.extra, &st.used, &open, &paperID, &paperUser, &paperNumber, &seed, &items, &paperAt)
	// Every table is read by its primary or a unique key; the attempts are
	// read twice through ux_attempts_exam_user_number.
	err = sqlDB.QueryRowContext(ctx, "SELECT "+examColumns+", exam_enrolments.extra_seconds, "+
		"(SELECT COUNT(*) FROM attempts WHERE attempts.exam_id = exams.id AND attempts.user_id = exam_enrolments.user_id), "+
		"(SELECT MAX(CASE WHEN attempts.status = ? THEN attempts.id END) FROM attempts WHERE attempts.exam_id = exams.id AND attempts.user_id = exam_enrolments.user_id), "+
		"papers.id, papers.user_id, papers.attempt_number, papers.seed, papers.items_json, papers.created_at "+
		"FROM exams JOIN exam_enrolments ON exam_enrolments.exam_id = exams.id AND exam_enrolments.user_id = ? "+
		"LEFT JOIN papers ON papers.exam_id = exams.id "+
		"AND papers.user_id = CASE WHEN exams.paper_mode = ? THEN 0 ELSE exam_enrolments.user_id END "+
		"AND papers.attempt_number = CASE WHEN exams.paper_mode = ? THEN 0 ELSE 1 END "+
		"WHERE exams.id = ?",
		AttemptInProgress, userID, PaperFixed, PaperFixed, examID).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return startState{}, skillarena.NotFound("exam")
	}
	st.open = open.Int64
	if paperID.Valid {
		st.paper = Paper{ID: paperID.Int64, ExamID: examID, UserID: paperUser.Int64, AttemptNumber: int(paperNumber.Int64),
			Seed: seed.String, ItemsJSON: items.String, CreatedAt: paperAt.Time}
	}
	return st, err
}

// insertAttempt stores a new attempt and its empty answers in one
// transaction. The attempt's INSERT reads the exam's row as the start read
// it, holding a shared lock on it until the commit: an edit of the exam
// (UpdateExam, UpdateBlueprint) either commits before, and the start is told
// (errExamChanged) and begins again with the new settings, or waits for the
// start, and sees its attempt.
func (s *Service) insertAttempt(ctx context.Context, a *Attempt, e Exam, items []Item) error {
	return inSQLTx(ctx, s.db, func(tx *sql.Tx) error {
		q := "INSERT INTO attempts (exam_id, user_id, number, paper_id, status, started_at, deadline, last_seen_at, accept_until, " +
			"device, created_at, updated_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM exams WHERE id = ? AND updated_at = ?"
		if s.db.Dialector.Name() == "mysql" {
			q += " LOCK IN SHARE MODE"
		}
		res, err := tx.ExecContext(ctx, q, a.ExamID, a.UserID, a.Number, a.PaperID, a.Status, a.StartedAt, a.Deadline,
			a.LastSeenAt, a.AcceptUntil, a.Device, a.CreatedAt, a.UpdatedAt, e.ID, e.UpdatedAt)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errExamChanged
		}
		if a.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return insertEmptyAnswers(ctx, tx, []*startCall{{a: a, items: items}})
	})
}

// acceptUntil is the last instant a save to an attempt with this deadline is
// accepted: the deadline plus the exam's grace for network latency.
func acceptUntil(deadline time.Time, e Exam) time.Time {
	return deadline.Add(time.Duration(e.GraceSeconds) * time.Second)
}

type deviceKey struct{}

// WithDevice says which browser session is acting. An attempt is bound to the
// first session that opens it; any other session is refused until an
// invigilator unlocks the attempt. Without a device (scripts inside the
// process, tests of other rules) no binding is checked.
func WithDevice(ctx context.Context, device string) context.Context {
	return context.WithValue(ctx, deviceKey{}, device)
}

func deviceFrom(ctx context.Context) string {
	d, _ := ctx.Value(deviceKey{}).(string)
	return d
}

// errLockedElsewhere refuses a second browser session.
func errLockedElsewhere() error {
	return skillarena.NewError(skillarena.ECONFLICT, "exam.locked_elsewhere", nil)
}

// bind ties an in-progress attempt to the acting browser session, or refuses
// the session when another one holds it. The claim is a conditional update,
// so two devices opening an unbound attempt at once cannot both win.
func (s *Service) bind(ctx context.Context, a *Attempt) error {
	d := deviceFrom(ctx)
	if d == "" || a.Device == d || a.Status != AttemptInProgress {
		return nil
	}
	if a.Device != "" {
		return errLockedElsewhere()
	}
	res := s.db.WithContext(ctx).Model(&Attempt{}).Where("id = ? AND device = ''", a.ID).Update("device", d)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return errLockedElsewhere()
	}
	a.Device = d
	return nil
}

// view renders an attempt for its contestant, with the last saved answers.
func (s *Service) view(ctx context.Context, a Attempt) (AttemptView, error) {
	var e Exam
	if err := s.db.WithContext(ctx).Where("id = ?", a.ExamID).Take(&e).Error; err != nil {
		return AttemptView{}, err
	}
	return s.viewOf(ctx, a, e, nil, nil)
}

// viewOf is view with the exam read, and the paper and answers too when the
// caller has them (nil: read them).
func (s *Service) viewOf(ctx context.Context, a Attempt, e Exam, p *Paper, answers []Answer) (AttemptView, error) {
	db := s.db.WithContext(ctx)
	if p == nil {
		p = &Paper{}
		if err := db.Where("id = ?", a.PaperID).Take(p).Error; err != nil {
			return AttemptView{}, err
		}
	}
	items, err := s.itemViews(ctx, p.Items())
	if err != nil {
		return AttemptView{}, err
	}
	now := s.clock.Now()
	out := AttemptView{Attempt: a, ExamTitle: e.Title, GraceSeconds: e.GraceSeconds, Items: items,
		ResultsVisible: e.ResultsWithheld(a, now) == nil, Answers: answers}
	if a.Status == AttemptInProgress {
		out.RemainingSeconds = remaining(a.Deadline, now)
	}
	if answers == nil {
		if err := db.Where("attempt_id = ?", a.ID).Order("position").Find(&out.Answers).Error; err != nil {
			return AttemptView{}, err
		}
	}
	return out, nil
}

// itemVersions reads the question versions a paper's items point at.
func (s *Service) itemVersions(ctx context.Context, items []Item) (map[int64]content.Version, error) {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.VersionID
	}
	return s.content.VersionsByID(ctx, ids)
}

// itemViews renders paper items as a contestant sees them: stems and
// relabelled options from the versions drawn, never the key.
func (s *Service) itemViews(ctx context.Context, items []Item) ([]ItemView, error) {
	shown, err := s.shown.get(ctx, s.content, items)
	if err != nil {
		return nil, err
	}
	out := make([]ItemView, len(items))
	for i, it := range items {
		v := shown[it.VersionID]
		out[i] = ItemView{ID: it.Position, Type: it.Type, Stem: v.stem, Options: shownOptions(v.options, it.OptionOrder),
			Blanks: v.blanks, Points: it.Points}
	}
	return out, nil
}

// shownVersion is what a contestant may see of a question version.
type shownVersion struct {
	stem    string
	options []content.Option
	blanks  int
}

// shownCache keeps the contestant's view of each question version decoded:
// versions never change, and every start and reload of a paper shows them.
type shownCache struct {
	mu sync.Mutex
	m  map[int64]shownVersion
}

// shownCacheMax bounds the cache; past it, it starts again empty.
const shownCacheMax = 50_000

func (c *shownCache) get(ctx context.Context, versions *content.Service, items []Item) (map[int64]shownVersion, error) {
	out := make(map[int64]shownVersion, len(items))
	var missing []int64
	c.mu.Lock()
	for _, it := range items {
		if v, ok := c.m[it.VersionID]; ok {
			out[it.VersionID] = v
		} else {
			missing = append(missing, it.VersionID)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	vs, err := versions.VersionsByID(ctx, missing)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > shownCacheMax {
		c.m = map[int64]shownVersion{}
	}
	for id, v := range vs {
		d := v.Draft()
		sv := shownVersion{stem: d.Stem, options: d.Options, blanks: len(d.Key.Blanks)}
		c.m[id] = sv
		out[id] = sv
	}
	return out, nil
}

// shownOptions relabels options in the order shown: the option shown as "A"
// is the version's order[0].
func shownOptions(opts []content.Option, order []string) []content.Option {
	if len(order) == 0 {
		return slices.Clone(opts)
	}
	byKey := map[string]content.Option{}
	for _, o := range opts {
		byKey[o.Key] = o
	}
	out := make([]content.Option, len(order))
	for i, k := range order {
		out[i] = content.Option{Key: string(rune('A' + i)), Text: byKey[k].Text}
	}
	return out
}

// Attempt returns the caller's own attempt; anyone else's is not found.
func (s *Service) Attempt(ctx context.Context, userID, attemptID int64) (AttemptView, error) {
	var a Attempt
	err := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", attemptID, userID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return AttemptView{}, skillarena.NotFound("attempt")
	} else if err != nil {
		return AttemptView{}, err
	}
	if err := s.bind(ctx, &a); err != nil {
		return AttemptView{}, err
	}
	return s.view(ctx, a)
}

// Saved acknowledges a save.
type Saved struct {
	Seq     int64
	SavedAt time.Time
}

// Save stores the caller's answer to one item with the client's sequence
// number. It writes only when the attempt is the caller's, held by the acting
// browser session, still in progress, within its deadline plus grace, and the
// stored sequence is older: one conditional UPDATE, or, for saves that arrive
// together, one locked read and one UPDATE for all (save_batch.go). An equal or newer
// stored sequence answers stale_write; a save after the deadline and grace
// answers deadline_passed and is recorded.
func (s *Service) Save(ctx context.Context, userID, attemptID int64, position int, response json.RawMessage, seq int64) (Saved, error) {
	now := s.clock.Now()
	if seq <= 0 {
		return Saved{}, skillarena.Invalid(map[string]string{"seq": "exam.seq_positive"})
	}
	if len(response) > 200_000 {
		return Saved{}, skillarena.NewError(skillarena.ETOOLARGE, "exam.answer_too_large", nil)
	}
	applied, err := s.saves.save(ctx, &saveCall{userID: userID, attemptID: attemptID, position: position, seq: seq,
		response: string(response), device: deviceFrom(ctx), now: now})
	if err != nil {
		return Saved{}, err
	}
	if applied {
		return Saved{Seq: seq, SavedAt: now}, nil
	}
	err = s.whyRefused(ctx, userID, attemptID, position, seq, now)
	if errors.Is(err, errRetrySave) {
		return s.Save(ctx, userID, attemptID, position, response, seq)
	}
	return Saved{}, err
}

// errRetrySave tells Save that whyRefused bound the attempt to the acting
// browser, so the save can be tried again.
var errRetrySave = errors.New("retry save")

// whyRefused tells, after a save changed nothing, what stopped it.
func (s *Service) whyRefused(ctx context.Context, userID, attemptID int64, position int, seq int64, now time.Time) error {
	var a Attempt
	if err := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", attemptID, userID).Take(&a).Error; err != nil {
		return skillarena.NotFound("attempt")
	}
	var ans Answer
	if err := s.db.WithContext(ctx).Where("attempt_id = ? AND position = ?", attemptID, position).Take(&ans).Error; err != nil {
		return skillarena.NotFound("item")
	}
	if a.Status != AttemptInProgress || a.AcceptUntil.Before(now) {
		s.db.WithContext(ctx).Create(&refusedSave{AttemptID: attemptID, Position: position, Seq: seq, Reason: "deadline_passed", At: now})
		return skillarena.NewError(skillarena.EDEADLINEPASSED, "exam.deadline_passed", nil)
	}
	if d := deviceFrom(ctx); d != "" && a.Device != d {
		if err := s.bind(ctx, &a); err != nil {
			return err
		}
		// The attempt was unbound (an invigilator unlocked it): this
		// browser holds it now; save again.
		return errRetrySave
	}
	return &skillarena.Error{Code: skillarena.ESTALEWRITE, Message: "exam.stale_write", Args: map[string]any{"Seq": ans.Seq}}
}

// Submit ends the caller's attempt and grades its objective items. It is
// idempotent: submitting again answers the same.
func (s *Service) Submit(ctx context.Context, userID, attemptID int64) (AttemptView, error) {
	var a Attempt
	if err := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", attemptID, userID).Take(&a).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return AttemptView{}, skillarena.NotFound("attempt")
	} else if err != nil {
		return AttemptView{}, err
	}
	if err := s.bind(ctx, &a); err != nil {
		return AttemptView{}, err
	}
	if a.Status == AttemptInProgress {
		at := s.clock.Now()
		if at.After(a.Deadline) {
			at = a.Deadline
		}
		if _, err := s.finish(ctx, a.ID, at, "contestant", nil); err != nil {
			return AttemptView{}, err
		}
	}
	return s.Attempt(ctx, userID, attemptID)
}

// finish submits an attempt stamped at `at` and grades it, claiming it with a
// conditional update so that two servers (or a sweeper and the contestant)
// never both do it. It reports whether this call did the work.
// When change is given (an invigilator's action) it is audited in the same
// transaction.
func (s *Service) finish(ctx context.Context, attemptID int64, at time.Time, by string, change *org.Change) (bool, error) {
	// The paper and its question versions never change, so they are read
	// before the transaction (SQLite has one connection, held by it).
	g, err := s.graderFor(ctx, attemptID)
	if err != nil {
		return false, dbError(err, "submit attempt")
	}
	done := false
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Attempt{}).Where("id = ? AND status = ?", attemptID, AttemptInProgress).
			Updates(map[string]any{"status": AttemptSubmitted, "submitted_at": at, "submitted_by": by, "updated_at": s.clock.Now()})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		done = true
		if change != nil {
			if err := s.audit.Append(ctx, tx, *change); err != nil {
				return err
			}
		}
		return g.grade(tx, attemptID)
	})
	return done, dbError(err, "submit attempt")
}

// grader holds what grading an attempt needs besides its answers.
type grader struct {
	examID   int64
	items    []Item
	versions map[int64]content.Version
	opts     GradeOptions
	now      time.Time
}

func (s *Service) graderFor(ctx context.Context, attemptID int64) (grader, error) {
	db := s.db.WithContext(ctx)
	var a Attempt
	if err := db.Where("id = ?", attemptID).Take(&a).Error; err != nil {
		return grader{}, err
	}
	var e Exam
	if err := db.Where("id = ?", a.ExamID).Take(&e).Error; err != nil {
		return grader{}, err
	}
	var p Paper
	if err := db.Where("id = ?", a.PaperID).Take(&p).Error; err != nil {
		return grader{}, err
	}
	items := p.Items()
	vs, err := s.itemVersions(ctx, items)
	if err != nil {
		return grader{}, err
	}
	return grader{examID: e.ID, items: items, versions: vs, opts: GradeOptions{PartialCredit: e.PartialCredit}, now: s.clock.Now()}, nil
}

// grade scores every objective item of a submitted attempt from its last
// acknowledged answers, with the exam's corrected keys where an organiser
// gave one (read inside the transaction, so a correction committed before
// the submit is never missed). Each answered short answer and essay enters
// the marking queue; an empty one scores 0, as there is nothing to mark. The
// attempt's score is final when no item awaits a judge. A malformed stored
// answer scores nothing; a key that cannot grade is an internal error, never
// silently zero.
func (g grader) grade(tx *gorm.DB, attemptID int64) error {
	var answers []Answer
	if err := tx.Where("attempt_id = ?", attemptID).Find(&answers).Error; err != nil {
		return err
	}
	byPos := map[int]Answer{}
	for _, an := range answers {
		byPos[an.Position] = an
	}
	corrections, err := keyCorrections(tx, g.examID)
	if err != nil {
		return err
	}
	var total skillarena.Points
	var queue []MarkingItem
	var scores []positionScore
	for _, it := range g.items {
		var resp json.RawMessage
		if r := byPos[it.Position].Response; r != nil {
			resp = json.RawMessage(*r)
		}
		if !it.Type.Objective() {
			if subjectiveEmpty(resp) {
				scores = append(scores, positionScore{it.Position, 0})
				continue
			}
			queue = append(queue, MarkingItem{Ref: newRef(), ExamID: g.examID, AttemptID: attemptID, Position: it.Position,
				QuestionID: it.QuestionID, VersionID: it.VersionID, MaxPoints: it.Points, Status: MarkingOpen, CreatedAt: g.now, UpdatedAt: g.now})
			continue
		}
		res, err := gradeItem(it, g.versions[it.VersionID], corrections, resp, g.opts)
		if err != nil {
			return err
		}
		scores = append(scores, positionScore{it.Position, res.Score})
		total += res.Score
	}
	if err := setScores(tx, attemptID, scores); err != nil {
		return err
	}
	if len(queue) > 0 {
		if err := tx.CreateInBatches(&queue, 200).Error; err != nil {
			return fmt.Errorf("queue %d answers for marking: %w", len(queue), err)
		}
	}
	return tx.Model(&Attempt{}).Where("id = ?", attemptID).Updates(map[string]any{"score": total, "graded": len(queue) == 0}).Error
}

// positionScore is the score of one item of an attempt.
type positionScore struct {
	position int
	score    skillarena.Points
}

// setScores writes the scores of an attempt's items in one UPDATE.
func setScores(tx *gorm.DB, attemptID int64, scores []positionScore) error {
	if len(scores) == 0 {
		return nil
	}
	var q strings.Builder
	args := make([]any, 0, 3*len(scores)+1)
	q.WriteString("UPDATE answers SET score = CASE position")
	for _, sc := range scores {
		q.WriteString(" WHEN ? THEN ?")
		args = append(args, sc.position, sc.score)
	}
	q.WriteString(" END WHERE attempt_id = ? AND position IN (")
	args = append(args, attemptID)
	for i, sc := range scores {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("?")
		args = append(args, sc.position)
	}
	q.WriteString(")")
	return tx.Exec(q.String(), args...).Error
}

// Sweep submits every attempt whose deadline and its exam's grace have
// passed, with its last acknowledged answers, stamped with the deadline (not
// the sweep time). Each attempt is claimed by a conditional update, so several
// servers may sweep at once. It returns how many attempts this call submitted.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	n := 0
	for {
		var due []Attempt
		err := s.db.WithContext(ctx).Select("id", "deadline").
			Where("status = ? AND accept_until < ?", AttemptInProgress, s.clock.Now()).
			Order("accept_until").Limit(500).Find(&due).Error
		if err != nil {
			return n, err
		}
		for _, a := range due {
			done, err := s.finish(ctx, a.ID, a.Deadline, "sweeper", nil)
			if err != nil {
				return n, err
			}
			if done {
				n++
			}
		}
		if len(due) < 500 {
			return n, nil
		}
	}
}

// RunSweeper sweeps every interval until ctx ends, logging failures through
// report.
func (s *Service) RunSweeper(ctx context.Context, interval time.Duration, report func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				report(err)
			}
		}
	}
}

// ExtraTime grants a contestant more time; an attempt in progress gets a new
// deadline at once (never past the window's close). Audited.
func (s *Service) ExtraTime(ctx context.Context, examID, userID int64, extra time.Duration, reason string) error {
	return s.grantExtra(ctx, examID, []int64{userID}, extra, reason)
}

// grantExtra adds extra time to each contestant's enrolment and moves the
// deadline of their attempt in progress, all in one transaction: either
// every one of them has it or nobody does.
func (s *Service) grantExtra(ctx context.Context, examID int64, userIDs []int64, extra time.Duration, reason string) error {
	return dbError(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var e Exam
		if err := tx.Where("id = ?", examID).Take(&e).Error; err != nil {
			return err
		}
		for _, userID := range slices.Compact(slices.Sorted(slices.Values(userIDs))) {
			var en Enrolment
			if err := tx.Where("exam_id = ? AND user_id = ?", examID, userID).Take(&en).Error; err != nil {
				return skillarena.NotFound("enrolment")
			}
			before := en.ExtraSeconds
			en.ExtraSeconds += int(extra / time.Second)
			if err := tx.Model(&Enrolment{}).Where("exam_id = ? AND user_id = ?", examID, userID).Update("extra_seconds", en.ExtraSeconds).Error; err != nil {
				return err
			}
			var a Attempt
			if err := tx.Where("exam_id = ? AND user_id = ? AND status = ?", examID, userID, AttemptInProgress).Take(&a).Error; err == nil {
				d := Deadline(a.StartedAt, e, time.Duration(en.ExtraSeconds)*time.Second)
				if err := tx.Model(&Attempt{}).Where("id = ?", a.ID).Updates(map[string]any{"deadline": d, "accept_until": acceptUntil(d, e)}).Error; err != nil {
					return err
				}
			}
			if err := s.audit.Append(ctx, tx, org.Change{Action: "exam.extra_time", ObjectType: "exam", ObjectID: strconv.FormatInt(examID, 10),
				OrgUnitID: &e.OrgUnitID, Before: map[string]any{"user_id": userID, "extra_seconds": before},
				After: map[string]any{"user_id": userID, "extra_seconds": en.ExtraSeconds}, Reason: reason}); err != nil {
				return err
			}
		}
		return nil
	}), "extra time")
}

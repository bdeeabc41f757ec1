package exam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
	RemainingSeconds int
	Items            []ItemView
	Answers          []Answer
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
func (s *Service) Start(ctx context.Context, userID, examID int64) (AttemptView, error) {
	now := s.clock.Now()
	db := s.db.WithContext(ctx)
	var e Exam
	if err := db.Where("id = ?", examID).Take(&e).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return AttemptView{}, skillarena.NotFound("exam")
	} else if err != nil {
		return AttemptView{}, err
	}
	var en Enrolment
	if err := db.Where("exam_id = ? AND user_id = ?", examID, userID).Take(&en).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return AttemptView{}, skillarena.NotFound("exam")
	} else if err != nil {
		return AttemptView{}, err
	}
	var a Attempt
	err := db.Where("exam_id = ? AND user_id = ? AND status = ?", examID, userID, AttemptInProgress).Order("number DESC").Take(&a).Error
	if err == nil {
		return s.view(ctx, a)
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return AttemptView{}, err
	}
	if now.Before(e.OpensAt) {
		return AttemptView{}, skillarena.NewError(skillarena.ECONFLICT, "exam.not_open_yet", map[string]any{"OpensAt": e.OpensAt.Format(time.RFC3339)})
	}
	if !now.Before(e.ClosesAt) {
		return AttemptView{}, skillarena.NewError(skillarena.EDEADLINEPASSED, "exam.closed", nil)
	}
	var used int64
	if err := db.Model(&Attempt{}).Where("exam_id = ? AND user_id = ?", examID, userID).Count(&used).Error; err != nil {
		return AttemptView{}, err
	}
	if int(used) >= e.MaxAttempts {
		return AttemptView{}, skillarena.NewError(skillarena.ECONFLICT, "exam.no_attempts_left", nil)
	}
	p, err := s.paperFor(ctx, e, userID, int(used)+1)
	if err != nil {
		return AttemptView{}, dbError(err, "draw paper")
	}
	a = Attempt{ExamID: examID, UserID: userID, Number: int(used) + 1, PaperID: p.ID, Status: AttemptInProgress,
		StartedAt: now, Deadline: Deadline(now, e, time.Duration(en.ExtraSeconds)*time.Second), LastSeenAt: &now}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		items := p.Items()
		answers := make([]Answer, len(items))
		for i, it := range items {
			answers[i] = Answer{AttemptID: a.ID, Position: it.Position}
		}
		return tx.CreateInBatches(&answers, 200).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Two starts raced (two tabs at once): the other one won; use it.
		return s.Start(ctx, userID, examID)
	}
	if err != nil {
		return AttemptView{}, dbError(err, "start attempt")
	}
	return s.view(ctx, a)
}

// view renders an attempt for its contestant, with the last saved answers.
func (s *Service) view(ctx context.Context, a Attempt) (AttemptView, error) {
	var p Paper
	if err := s.db.WithContext(ctx).Where("id = ?", a.PaperID).Take(&p).Error; err != nil {
		return AttemptView{}, err
	}
	items := p.Items()
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.VersionID
	}
	vs, err := s.content.VersionsByID(ctx, ids)
	if err != nil {
		return AttemptView{}, err
	}
	out := AttemptView{Attempt: a, Items: make([]ItemView, len(items))}
	if a.Status == AttemptInProgress {
		out.RemainingSeconds = max(0, int(a.Deadline.Sub(s.clock.Now()).Seconds()))
	}
	for i, it := range items {
		d := vs[it.VersionID].Draft()
		out.Items[i] = ItemView{ID: it.Position, Type: it.Type, Stem: d.Stem, Options: shownOptions(d.Options, it.OptionOrder),
			Blanks: len(d.Key.Blanks), Points: it.Points}
	}
	if err := s.db.WithContext(ctx).Where("attempt_id = ?", a.ID).Order("position").Find(&out.Answers).Error; err != nil {
		return AttemptView{}, err
	}
	return out, nil
}

// shownOptions relabels options in the order shown: the option shown as "A"
// is the version's order[0].
func shownOptions(opts []content.Option, order []string) []content.Option {
	if len(order) == 0 {
		return opts
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
	return s.view(ctx, a)
}

// Saved acknowledges a save.
type Saved struct {
	Seq     int64
	SavedAt time.Time
}

// Save stores the caller's answer to one item with the client's sequence
// number. It is one conditional UPDATE: it writes only when the attempt is the
// caller's, still in progress, within its deadline plus grace, and the stored
// sequence is older. An equal or newer stored sequence answers stale_write; a
// save after the deadline and grace answers deadline_passed and is recorded.
func (s *Service) Save(ctx context.Context, userID, attemptID int64, position int, response json.RawMessage, seq int64, grace time.Duration) (Saved, error) {
	now := s.clock.Now()
	if seq <= 0 {
		return Saved{}, skillarena.Invalid(map[string]string{"seq": "exam.seq_positive"})
	}
	if len(response) > 200_000 {
		return Saved{}, skillarena.NewError(skillarena.ETOOLARGE, "exam.answer_too_large", nil)
	}
	resp := string(response)
	res := s.db.WithContext(ctx).Exec(
		"UPDATE answers SET response = ?, seq = ?, saved_at = ? WHERE attempt_id = ? AND position = ? AND seq < ? "+
			"AND EXISTS (SELECT 1 FROM attempts WHERE attempts.id = ? AND attempts.user_id = ? AND attempts.status = ? AND attempts.deadline >= ?)",
		resp, seq, now, attemptID, position, seq, attemptID, userID, AttemptInProgress, now.Add(-grace))
	if res.Error != nil {
		return Saved{}, res.Error
	}
	if res.RowsAffected == 1 {
		return Saved{Seq: seq, SavedAt: now}, nil
	}
	return Saved{}, s.whyRefused(ctx, userID, attemptID, position, seq, now, grace)
}

// whyRefused tells, after a save changed nothing, what stopped it.
func (s *Service) whyRefused(ctx context.Context, userID, attemptID int64, position int, seq int64, now time.Time, grace time.Duration) error {
	var a Attempt
	if err := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", attemptID, userID).Take(&a).Error; err != nil {
		return skillarena.NotFound("attempt")
	}
	var ans Answer
	if err := s.db.WithContext(ctx).Where("attempt_id = ? AND position = ?", attemptID, position).Take(&ans).Error; err != nil {
		return skillarena.NotFound("item")
	}
	if a.Status != AttemptInProgress || a.Deadline.Before(now.Add(-grace)) {
		s.db.WithContext(ctx).Create(&refusedSave{AttemptID: attemptID, Position: position, Seq: seq, Reason: "deadline_passed", At: now})
		return skillarena.NewError(skillarena.EDEADLINEPASSED, "exam.deadline_passed", nil)
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
	if a.Status == AttemptInProgress {
		at := s.clock.Now()
		if at.After(a.Deadline) {
			at = a.Deadline
		}
		if _, err := s.finish(ctx, a.ID, at, "contestant"); err != nil {
			return AttemptView{}, err
		}
	}
	return s.Attempt(ctx, userID, attemptID)
}

// finish submits an attempt stamped at `at` and grades it, claiming it with a
// conditional update so that two servers (or a sweeper and the contestant)
// never both do it. It reports whether this call did the work.
func (s *Service) finish(ctx context.Context, attemptID int64, at time.Time, by string) (bool, error) {
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
		return g.grade(tx, attemptID)
	})
	return done, dbError(err, "submit attempt")
}

// grader holds what grading an attempt needs besides its answers.
type grader struct {
	items    []Item
	versions map[int64]content.Version
	opts     GradeOptions
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
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.VersionID
	}
	vs, err := s.content.VersionsByID(ctx, ids)
	if err != nil {
		return grader{}, err
	}
	return grader{items: items, versions: vs, opts: GradeOptions{PartialCredit: e.PartialCredit}}, nil
}

// grade scores every objective item of a submitted attempt from its last
// acknowledged answers; the attempt's score is final when no item awaits a
// judge. A malformed stored answer scores nothing; a key that cannot grade
// is an internal error, never silently zero.
func (g grader) grade(tx *gorm.DB, attemptID int64) error {
	var answers []Answer
	if err := tx.Where("attempt_id = ?", attemptID).Find(&answers).Error; err != nil {
		return err
	}
	byPos := map[int]Answer{}
	for _, an := range answers {
		byPos[an.Position] = an
	}
	var total skillarena.Points
	graded := true
	for _, it := range g.items {
		if !it.Type.Objective() {
			graded = false
			continue
		}
		d := g.versions[it.VersionID].Draft()
		var resp json.RawMessage
		if r := byPos[it.Position].Response; r != nil {
			resp = json.RawMessage(*r)
		}
		res, err := GradeObjective(it.Type, d.Key, d.Normalization, it.Points, it.OptionOrder, resp, g.opts)
		if err != nil && !errors.Is(err, ErrMalformedResponse) {
			return fmt.Errorf("grade item %d (version %d): %w", it.Position, it.VersionID, err)
		}
		if err := tx.Model(&Answer{}).Where("attempt_id = ? AND position = ?", attemptID, it.Position).Update("score", res.Score).Error; err != nil {
			return err
		}
		total += res.Score
	}
	return tx.Model(&Attempt{}).Where("id = ?", attemptID).Updates(map[string]any{"score": total, "graded": graded}).Error
}

// Sweep submits every attempt whose deadline and its exam's grace have
// passed, with its last acknowledged answers, stamped with the deadline (not
// the sweep time). Each attempt is claimed by a conditional update, so several
// servers may sweep at once. It returns how many attempts this call submitted.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.clock.Now()
	var due []struct {
		Attempt
		GraceSeconds int
	}
	err := s.db.WithContext(ctx).Model(&Attempt{}).Joins("JOIN exams ON exams.id = attempts.exam_id").
		Select("attempts.*, exams.grace_seconds AS grace_seconds").
		Where("attempts.status = ? AND attempts.deadline < ?", AttemptInProgress, now).
		Order("attempts.deadline").Limit(500).Find(&due).Error
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range due {
		if !a.Deadline.Add(time.Duration(a.GraceSeconds) * time.Second).Before(now) {
			continue
		}
		done, err := s.finish(ctx, a.ID, a.Deadline, "sweeper")
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
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
	return dbError(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var e Exam
		if err := tx.Where("id = ?", examID).Take(&e).Error; err != nil {
			return err
		}
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
			if err := tx.Model(&Attempt{}).Where("id = ?", a.ID).Update("deadline", Deadline(a.StartedAt, e, time.Duration(en.ExtraSeconds)*time.Second)).Error; err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "exam.extra_time", ObjectType: "exam", ObjectID: strconv.FormatInt(examID, 10),
			OrgUnitID: &e.OrgUnitID, Before: map[string]any{"user_id": userID, "extra_seconds": before},
			After: map[string]any{"user_id": userID, "extra_seconds": en.ExtraSeconds}, Reason: reason})
	}), "extra time")
}

package exam

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillarena"
	"skillarena/org"
)

// Changing and removing exams and blueprints (issue 4, exam administration).
//
// Before anyone has started an attempt every setting of an exam may change.
// Papers prepared ahead of the window (PreparePapers) were drawn with the
// blueprint, banks, paper mode and shuffle settings of their time; when one
// of those changes, the prepared papers are discarded in the same
// transaction, so no contestant ever sits a paper the exam no longer
// describes. They are drawn again by the next PreparePapers, or at each
// contestant's start. Once an attempt exists, only what is safe for those
// already sitting or done may change: the title, the instructions, the
// closing time (see closeRule) and, until the first mark is entered, the
// marking threshold.

// settingField names an exam setting as the API does.
type settingField = string

// The settings of an exam, in the order of the set-up form.
var settingFields = []settingField{"title", "instructions", "opens_at", "closes_at", "duration_minutes", "grace_seconds",
	"blueprint_id", "bank_ids", "paper_mode", "shuffle_questions", "shuffle_options", "max_attempts", "partial_credit",
	"results_visibility", "marking_threshold"}

// paperFields are the settings a drawn paper depends on.
var paperFields = []settingField{"blueprint_id", "bank_ids", "paper_mode", "shuffle_questions", "shuffle_options"}

// changeableAfterStart are the settings that may change once an attempt
// exists.
var changeableAfterStart = []settingField{"title", "instructions", "closes_at", "marking_threshold"}

// settingValues are an exam's settings by API name, as the audit trail
// records them.
func settingValues(e Exam, bankIDs []int64) map[settingField]any {
	return map[settingField]any{"title": e.Title, "instructions": e.Instructions, "opens_at": e.OpensAt.UTC(), "closes_at": e.ClosesAt.UTC(),
		"duration_minutes": e.DurationSeconds / 60, "grace_seconds": e.GraceSeconds, "blueprint_id": e.BlueprintID, "bank_ids": bankIDs,
		"paper_mode": e.PaperMode, "shuffle_questions": e.ShuffleQuestions, "shuffle_options": e.ShuffleOptions,
		"max_attempts": e.MaxAttempts, "partial_credit": e.PartialCredit, "results_visibility": e.ResultsVisibility,
		"marking_threshold": e.MarkingThreshold}
}

// changedSettings lists the settings in which next differs from cur, in
// form order.
func changedSettings(cur Exam, curBanks []int64, next Exam, nextBanks []int64) []settingField {
	sameTime := func(a, b time.Time) bool { return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond)) }
	a, b := slices.Clone(curBanks), slices.Clone(nextBanks)
	slices.Sort(a)
	slices.Sort(b)
	diff := map[settingField]bool{
		"title": cur.Title != next.Title, "instructions": cur.Instructions != next.Instructions,
		"opens_at": !sameTime(cur.OpensAt, next.OpensAt), "closes_at": !sameTime(cur.ClosesAt, next.ClosesAt),
		"duration_minutes": cur.DurationSeconds != next.DurationSeconds, "grace_seconds": cur.GraceSeconds != next.GraceSeconds,
		"blueprint_id": cur.BlueprintID != next.BlueprintID, "bank_ids": !slices.Equal(slices.Compact(a), slices.Compact(b)),
		"paper_mode": cur.PaperMode != next.PaperMode, "shuffle_questions": cur.ShuffleQuestions != next.ShuffleQuestions,
		"shuffle_options": cur.ShuffleOptions != next.ShuffleOptions, "max_attempts": cur.MaxAttempts != next.MaxAttempts,
		"partial_credit": cur.PartialCredit != next.PartialCredit, "results_visibility": cur.ResultsVisibility != next.ResultsVisibility,
		"marking_threshold": cur.MarkingThreshold != next.MarkingThreshold,
	}
	var out []settingField
	for _, f := range settingFields {
		if diff[f] {
			out = append(out, f)
		}
	}
	return out
}

// errSettingsLocked refuses changes to settings that are fixed once
// contestants have started: each field says why, and the message names the
// first of them.
func errSettingsLocked(fields []settingField) error {
	e := &skillarena.Error{Code: skillarena.ECONFLICT, Message: "exam.locked." + fields[0], Fields: map[string]string{}}
	for _, f := range fields {
		e.Fields[f] = "exam.locked." + f
	}
	return e
}

// lockExam reads an exam under its row lock, so changes to one exam run
// one at a time and a start waits for them (see Start).
func lockExam(tx *gorm.DB, id int64) (Exam, error) {
	var e Exam
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", id).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return e, skillarena.NotFound("exam")
	}
	return e, err
}

// attemptsOf counts an exam's attempts with a locking read: on MySQL it
// waits for a start in flight and keeps new ones out until the transaction
// ends. (SQLite runs one writer at a time.)
func attemptsOf(tx *gorm.DB, examID int64) (int64, error) {
	var ids []int64
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Model(&Attempt{}).
		Where("exam_id = ?", examID).Limit(1).Pluck("id", &ids).Error
	return int64(len(ids)), err
}

// UpdateExam changes the settings of an exam inside scope. in holds every
// setting, as CreateExam takes them (the unit and the kind are the exam's
// and never change); what differs from the stored exam is the change. It is
// checked as CreateExam checks, and then:
//   - before any attempt exists, every setting may change; a change of a
//     setting papers are drawn with discards the prepared papers;
//   - once an attempt exists, only the title, the instructions, the closing
//     time (closeRule) and the marking threshold may change; any other
//     change is refused with conflict, each field saying why;
//   - the marking threshold may change until the first mark is entered.
//
// Audited with every changed setting before and after.
func (s *Service) UpdateExam(ctx context.Context, scope org.Scope, examID int64, in ExamInput) (Exam, error) {
	cur, err := s.examInScope(ctx, scope, examID)
	if err != nil {
		return Exam{}, err
	}
	in.OrgUnitID, in.Kind = cur.OrgUnitID, cur.Kind
	next, err := settingsOf(in)
	if err != nil {
		return Exam{}, err
	}
	db := s.db.WithContext(ctx)
	var curBanks []int64
	if err := db.Model(&examBank{}).Where("exam_id = ?", examID).Order("bank_id").Pluck("bank_id", &curBanks).Error; err != nil {
		return Exam{}, err
	}
	changed := changedSettings(cur, curBanks, next, in.BankIDs)
	if len(changed) == 0 {
		return cur, nil
	}
	if slices.Contains(changed, "blueprint_id") || slices.Contains(changed, "bank_ids") {
		// Read outside the transaction: the draw reads the banks, and SQLite
		// has one connection, which the transaction holds.
		if err := s.checkPaperSource(ctx, scope, cur.OrgUnitID, next.BlueprintID, in.BankIDs); err != nil {
			return Exam{}, err
		}
	}
	now := s.clock.Now()
	err = db.Transaction(func(tx *gorm.DB) error {
		locked, err := lockExam(tx, examID)
		if err != nil {
			return err
		}
		if !locked.UpdatedAt.Equal(cur.UpdatedAt) {
			return skillarena.NewError(skillarena.ECONFLICT, "exam.changed_meanwhile", nil)
		}
		started, err := attemptsOf(tx, examID)
		if err != nil {
			return err
		}
		var refused []settingField
		if started > 0 {
			for _, f := range changed {
				if !slices.Contains(changeableAfterStart, f) {
					refused = append(refused, f)
				}
			}
		}
		if len(refused) > 0 {
			return errSettingsLocked(refused)
		}
		if slices.Contains(changed, "marking_threshold") {
			var marks int64
			if err := tx.Model(&Mark{}).Joins("JOIN marking_items ON marking_items.id = marks.item_id").
				Where("marking_items.exam_id = ?", examID).Count(&marks).Error; err != nil {
				return err
			}
			if marks > 0 {
				return errSettingsLocked([]settingField{"marking_threshold"})
			}
		}
		moved := 0
		if started > 0 && slices.Contains(changed, "closes_at") {
			if moved, err = s.closeRule(tx, cur, next, now); err != nil {
				return err
			}
		}
		discarded := int64(0)
		if slices.ContainsFunc(changed, func(f settingField) bool { return slices.Contains(paperFields, f) }) {
			if discarded, err = discardPapers(tx, examID); err != nil {
				return err
			}
		}
		if slices.Contains(changed, "bank_ids") {
			if err := tx.Where("exam_id = ?", examID).Delete(&examBank{}).Error; err != nil {
				return err
			}
			for _, id := range slices.Compact(slices.Sorted(slices.Values(in.BankIDs))) {
				if err := tx.Create(&examBank{ExamID: examID, BankID: id}).Error; err != nil {
					return err
				}
			}
		}
		if err := tx.Model(&Exam{}).Where("id = ?", examID).Updates(map[string]any{"title": next.Title, "instructions": next.Instructions,
			"opens_at": next.OpensAt, "closes_at": next.ClosesAt, "duration_seconds": next.DurationSeconds, "grace_seconds": next.GraceSeconds,
			"blueprint_id": next.BlueprintID, "paper_mode": next.PaperMode, "shuffle_questions": next.ShuffleQuestions,
			"shuffle_options": next.ShuffleOptions, "max_attempts": next.MaxAttempts, "partial_credit": next.PartialCredit,
			"results_visibility": next.ResultsVisibility, "marking_threshold": next.MarkingThreshold, "updated_at": now}).Error; err != nil {
			return err
		}
		was, is := settingValues(cur, curBanks), settingValues(next, in.BankIDs)
		before, after := map[string]any{}, map[string]any{}
		for _, f := range changed {
			before[f], after[f] = was[f], is[f]
		}
		if discarded > 0 {
			before["papers_ready"], after["papers_ready"] = discarded, 0
		}
		if moved > 0 {
			after["deadlines_moved"] = moved
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "exam.update", ObjectType: "exam", ObjectID: strconv.FormatInt(examID, 10),
			OrgUnitID: &cur.OrgUnitID, Before: before, After: after})
	})
	if err != nil {
		return Exam{}, dbError(err, "update exam")
	}
	err = db.Where("id = ?", examID).Take(&next).Error
	return next, dbError(err, "update exam")
}

// closeRule moves the closing time of an exam that contestants have
// started. The window may close later, or earlier, but never before now and
// never before the deadline of an attempt in progress: a contestant sitting
// the exam never loses time they were shown. Each attempt in progress whose
// deadline lies ahead gets its deadline again from the new close, as
// ExtraTime does (start + duration + extra time, never after the close; the
// grace after it); an attempt whose deadline has passed keeps it, so time
// that ran out never comes back. It returns how many deadlines moved.
func (s *Service) closeRule(tx *gorm.DB, cur, next Exam, now time.Time) (int, error) {
	if !next.ClosesAt.After(now) {
		return 0, &skillarena.Error{Code: skillarena.ECONFLICT, Message: "exam.close_in_past",
			Fields: map[string]string{"closes_at": "exam.close_in_past"}}
	}
	var running []Attempt
	if err := tx.Where("exam_id = ? AND status = ?", cur.ID, AttemptInProgress).Find(&running).Error; err != nil {
		return 0, err
	}
	var latest time.Time
	for _, a := range running {
		if a.Deadline.After(latest) {
			latest = a.Deadline
		}
	}
	if next.ClosesAt.Before(latest) {
		args := map[string]any{"Deadline": latest.UTC().Format(time.RFC3339)}
		return 0, &skillarena.Error{Code: skillarena.ECONFLICT, Message: "exam.close_before_deadline", Args: args,
			Fields: map[string]string{"closes_at": "exam.close_before_deadline"}, FieldArgs: map[string]map[string]any{"closes_at": args}}
	}
	var extras []Enrolment
	if err := tx.Where("exam_id = ?", cur.ID).Find(&extras).Error; err != nil {
		return 0, err
	}
	extra := map[int64]time.Duration{}
	for _, en := range extras {
		extra[en.UserID] = time.Duration(en.ExtraSeconds) * time.Second
	}
	e := cur
	e.ClosesAt = next.ClosesAt
	moved := 0
	for _, a := range running {
		if !a.Deadline.After(now) {
			continue
		}
		d := Deadline(a.StartedAt, e, extra[a.UserID])
		if d.Equal(a.Deadline) {
			continue
		}
		if err := tx.Model(&Attempt{}).Where("id = ? AND status = ?", a.ID, AttemptInProgress).
			Updates(map[string]any{"deadline": d, "accept_until": acceptUntil(d, e)}).Error; err != nil {
			return 0, err
		}
		moved++
	}
	return moved, nil
}

// discardPapers deletes an exam's papers and the drawings they came from,
// returning how many papers went.
func discardPapers(tx *gorm.DB, examID int64) (int64, error) {
	res := tx.Where("exam_id = ?", examID).Delete(&Paper{})
	if res.Error != nil {
		return 0, res.Error
	}
	return res.RowsAffected, tx.Where("exam_id = ?", examID).Delete(&paperDraw{}).Error
}

// DeleteExam removes an exam inside scope that nobody has started, with its
// roster, banks, prepared papers, judges, messages and corrected keys, in
// one transaction.
// An exam with an attempt is refused with conflict, and so is a stage's
// written exam (the stage points at it: the stage stays consistent only
// with its exam). Audited with the exam as it was.
func (s *Service) DeleteExam(ctx context.Context, scope org.Scope, examID int64) error {
	if _, err := s.examInScope(ctx, scope, examID); err != nil {
		return err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e, err := lockExam(tx, examID)
		if err != nil {
			return err
		}
		started, err := attemptsOf(tx, examID)
		if err != nil {
			return err
		}
		if started > 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "exam.delete_started", nil)
		}
		var enrolled, papers int64
		if err := tx.Model(&Enrolment{}).Where("exam_id = ?", examID).Count(&enrolled).Error; err != nil {
			return err
		}
		var bankIDs []int64
		if err := tx.Model(&examBank{}).Where("exam_id = ?", examID).Order("bank_id").Pluck("bank_id", &bankIDs).Error; err != nil {
			return err
		}
		// Without attempts there are no marking items or marks; everything
		// else that hangs on the exam goes (a key corrected on prepared
		// papers included).
		for _, m := range []any{&Enrolment{}, &examBank{}, &Marker{}, &Message{}, &KeyCorrection{}} {
			if err := tx.Where("exam_id = ?", examID).Delete(m).Error; err != nil {
				return err
			}
		}
		if papers, err = discardPapers(tx, examID); err != nil {
			return err
		}
		if err := tx.Where("id = ?", examID).Delete(&Exam{}).Error; errors.Is(err, gorm.ErrForeignKeyViolated) {
			// Only a stage's written exam is still referenced now.
			return skillarena.NewError(skillarena.ECONFLICT, "exam.delete_stage_exam", nil)
		} else if err != nil {
			return err
		}
		before := settingValues(e, bankIDs)
		before["enrolled"], before["papers_ready"] = enrolled, papers
		return s.audit.Append(ctx, tx, org.Change{Action: "exam.delete", ObjectType: "exam", ObjectID: strconv.FormatInt(examID, 10),
			OrgUnitID: &e.OrgUnitID, Before: before})
	})
	return dbError(err, "delete exam")
}

// UpdateBlueprint changes the name and sections of a blueprint inside
// scope, checked as CreateBlueprint checks them. Sections may change only
// while no exam using the blueprint has a prepared paper or an attempt (the
// papers were drawn from the old sections), and the new sections must be
// fillable from the banks of every exam using it, or the shortage per
// section is answered as CreateExam answers it. Audited with before and
// after.
func (s *Service) UpdateBlueprint(ctx context.Context, scope org.Scope, id int64, in BlueprintInput) (Blueprint, error) {
	cur, err := s.BlueprintInScope(ctx, scope, id)
	if err != nil {
		return Blueprint{}, err
	}
	in.OrgUnitID = cur.OrgUnitID
	in.Name = strings.TrimSpace(in.Name)
	if err := in.check(); err != nil {
		return Blueprint{}, err
	}
	sections := mustJSON(in.Sections)
	if in.Name == cur.Name && sections == cur.SectionsJSON {
		return cur, nil
	}
	db := s.db.WithContext(ctx)
	var exams []int64
	if err := db.Model(&Exam{}).Where("blueprint_id = ?", id).Order("id").Pluck("id", &exams).Error; err != nil {
		return Blueprint{}, err
	}
	if sections != cur.SectionsJSON {
		for _, examID := range exams {
			var bankIDs []int64
			if err := db.Model(&examBank{}).Where("exam_id = ?", examID).Pluck("bank_id", &bankIDs).Error; err != nil {
				return Blueprint{}, err
			}
			if err := s.trialDraw(ctx, bankIDs, in.Sections); err != nil {
				return Blueprint{}, err
			}
		}
	}
	now := s.clock.Now()
	err = db.Transaction(func(tx *gorm.DB) error {
		var b Blueprint
		if err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", id).Take(&b).Error; err != nil {
			return err
		}
		if sections != cur.SectionsJSON {
			// Lock the exams using the blueprint (as their own edits do) and
			// look for papers drawn from it.
			var using []Exam
			if err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("blueprint_id = ?", id).Find(&using).Error; err != nil {
				return err
			}
			if len(using) != len(exams) {
				return skillarena.NewError(skillarena.ECONFLICT, "exam.changed_meanwhile", nil)
			}
			for _, e := range using {
				var papers []int64
				if err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Model(&Paper{}).
					Where("exam_id = ?", e.ID).Limit(1).Pluck("id", &papers).Error; err != nil {
					return err
				}
				if len(papers) > 0 {
					return &skillarena.Error{Code: skillarena.ECONFLICT, Message: "exam.blueprint_drawn", Args: map[string]any{"Title": e.Title},
						Fields: map[string]string{"sections": "exam.blueprint_drawn"}, FieldArgs: map[string]map[string]any{"sections": {"Title": e.Title}}}
				}
				// A start that read the exam before this change notices it.
				if err := tx.Model(&Exam{}).Where("id = ?", e.ID).Update("updated_at", now).Error; err != nil {
					return err
				}
			}
		}
		if err := tx.Model(&Blueprint{}).Where("id = ?", id).Updates(map[string]any{"name": in.Name, "sections_json": sections, "updated_at": now}).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "blueprint.update", ObjectType: "blueprint", ObjectID: strconv.FormatInt(id, 10),
			OrgUnitID: &cur.OrgUnitID, Before: map[string]any{"name": cur.Name, "sections": cur.Sections()},
			After: map[string]any{"name": in.Name, "sections": in.Sections}})
	})
	if err != nil {
		return Blueprint{}, dbError(err, "update blueprint")
	}
	return s.BlueprintInScope(ctx, scope, id)
}

// DeleteBlueprint removes a blueprint inside scope that no exam uses; one
// in use is refused with conflict. Audited.
func (s *Service) DeleteBlueprint(ctx context.Context, scope org.Scope, id int64) error {
	b, err := s.BlueprintInScope(ctx, scope, id)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Delete(&Blueprint{}).Error; errors.Is(err, gorm.ErrForeignKeyViolated) {
			return skillarena.NewError(skillarena.ECONFLICT, "exam.blueprint_in_use", nil)
		} else if err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "blueprint.delete", ObjectType: "blueprint", ObjectID: strconv.FormatInt(id, 10),
			OrgUnitID: &b.OrgUnitID, Before: map[string]any{"name": b.Name, "sections": b.Sections()}})
	})
	return dbError(err, "delete blueprint")
}

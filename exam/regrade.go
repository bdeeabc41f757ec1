package exam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillarena"
	"skillarena/content"
	"skillarena/org"
)

// KeyCorrection is a corrected key of an objective question for one exam.
// Papers keep pointing at the versions they were drawn with (what the
// contestant saw never changes); grading uses this key in place of theirs,
// with the letters of those versions. NormalizationJSON is empty when the
// versions' own normalisation stands.
type KeyCorrection struct {
	ExamID            int64  `gorm:"primaryKey"`
	QuestionID        int64  `gorm:"primaryKey"`
	VersionID         *int64 // the version the key was taken from, if any
	KeyJSON           string `gorm:"column:key_json"`
	NormalizationJSON string `gorm:"column:normalization_json"`
	Reason            string
	CreatedBy         int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// TableName keeps GORM's table name explicit.
func (KeyCorrection) TableName() string { return "exam_key_corrections" }

// Key decodes the corrected key.
func (k KeyCorrection) Key() content.Key {
	var out content.Key
	json.Unmarshal([]byte(k.KeyJSON), &out)
	return out
}

// keyCorrections returns an exam's corrected keys by question, for grading
// a submission inside its transaction. On MySQL it is a shared locking read:
// it sees a correction committed a moment ago (not the transaction's older
// snapshot) and waits for one being written, while submissions never block
// each other. (SQLite runs one writer at a time.)
func keyCorrections(tx *gorm.DB, examID int64) (map[int64]KeyCorrection, error) {
	var cs []KeyCorrection
	q := "SELECT * FROM exam_key_corrections WHERE exam_id = ?"
	if tx.Dialector.Name() == "mysql" {
		q += " LOCK IN SHARE MODE"
	}
	if err := tx.Raw(q, examID).Scan(&cs).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]KeyCorrection, len(cs))
	for _, c := range cs {
		out[c.QuestionID] = c
	}
	return out, nil
}

// gradeItem grades one objective item of a paper drawn with version v,
// with the exam's corrected key for its question when there is one.
func gradeItem(it Item, v content.Version, corrections map[int64]KeyCorrection, resp json.RawMessage, opts GradeOptions) (Grade, error) {
	d := v.Draft()
	key, norm := d.Key, d.Normalization
	if c, ok := corrections[it.QuestionID]; ok {
		key = c.Key()
		if c.NormalizationJSON != "" {
			json.Unmarshal([]byte(c.NormalizationJSON), &norm)
		}
	}
	res, err := GradeObjective(it.Type, key, norm, it.Points, it.OptionOrder, resp, opts)
	if err != nil && !errors.Is(err, ErrMalformedResponse) {
		return res, fmt.Errorf("grade item %d (version %d): %w", it.Position, it.VersionID, err)
	}
	return res, nil
}

// KeyCorrectionInput corrects the key of an objective question of an exam:
// either VersionID, a version of the same question whose key (and
// normalisation) to use, or Key, given in the letters of the versions the
// papers were drawn with.
type KeyCorrectionInput struct {
	QuestionID int64
	VersionID  int64
	Key        *content.Key
	Reason     string
}

// RegradeResult counts a regrade: Regraded submitted attempts contain the
// question; Changed of them moved score.
type RegradeResult struct {
	Regraded int
	Changed  int
}

func optionKeys(d content.Draft) []string {
	keys := make([]string, len(d.Options))
	for i, o := range d.Options {
		keys[i] = o.Key
	}
	slices.Sort(keys)
	return keys
}

// CorrectKey stores a corrected key for an objective question of an exam
// inside scope and regrades every submitted attempt whose paper holds the
// question: the items' scores and the attempts' totals are updated, and each
// attempt whose score moved is audited with before, after and the reason,
// in the one transaction that stores the key. Attempts still in progress are
// graded with the corrected key when they are submitted. Running it again
// with the same key changes nothing.
func (s *Service) CorrectKey(ctx context.Context, scope org.Scope, examID int64, in KeyCorrectionInput) (RegradeResult, error) {
	e, err := s.examInScope(ctx, scope, examID)
	if err != nil {
		return RegradeResult{}, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	f := map[string]string{}
	if in.Reason == "" || utf8.RuneCountInString(in.Reason) > 500 {
		f["reason"] = "field.required"
	}
	if (in.VersionID == 0) == (in.Key == nil) {
		f["key"] = "marking.key_or_version"
	}
	if in.QuestionID == 0 {
		f["question_id"] = "field.required"
	}
	if len(f) > 0 {
		return RegradeResult{}, skillarena.Invalid(f)
	}
	db := s.db.WithContext(ctx)
	// Papers never change: find the ones holding the question, and the
	// versions they were drawn with, before the transaction.
	var papers []Paper
	if err := db.Where("exam_id = ?", examID).Find(&papers).Error; err != nil {
		return RegradeResult{}, err
	}
	held := map[int64][]Item{}
	var vids []int64
	for _, p := range papers {
		for _, it := range p.Items() {
			if it.QuestionID == in.QuestionID {
				held[p.ID] = append(held[p.ID], it)
				vids = append(vids, it.VersionID)
			}
		}
	}
	if len(held) == 0 {
		return RegradeResult{}, skillarena.Invalid(map[string]string{"question_id": "marking.question_not_in_exam"})
	}
	if in.VersionID != 0 {
		vids = append(vids, in.VersionID)
	}
	vs, err := s.content.VersionsByID(ctx, vids)
	if err != nil {
		return RegradeResult{}, err
	}
	var typ content.QuestionType
	for _, items := range held {
		typ = items[0].Type
	}
	if !typ.Objective() {
		return RegradeResult{}, skillarena.Invalid(map[string]string{"question_id": "marking.not_objective"})
	}
	corr := KeyCorrection{ExamID: examID, QuestionID: in.QuestionID, Reason: in.Reason, CreatedBy: skillarena.ActorID(ctx)}
	var key content.Key
	if in.VersionID != 0 {
		v, ok := vs[in.VersionID]
		if !ok || v.QuestionID != in.QuestionID || v.Type != typ {
			return RegradeResult{}, skillarena.Invalid(map[string]string{"version_id": "marking.version_mismatch"})
		}
		d := v.Draft()
		key = d.Key
		corr.VersionID = &in.VersionID
		corr.NormalizationJSON = mustJSON(d.Normalization)
		for _, id := range vids {
			if !slices.Equal(optionKeys(vs[id].Draft()), optionKeys(d)) || len(vs[id].Draft().Key.Blanks) != len(d.Key.Blanks) {
				return RegradeResult{}, skillarena.Invalid(map[string]string{"version_id": "marking.version_options_differ"})
			}
		}
	} else {
		key = *in.Key
	}
	for _, id := range vids {
		d := vs[id].Draft()
		order := optionKeys(d)
		if len(order) == 0 {
			order = nil
		}
		if err := checkKey(typ, key, order); err != nil || (typ == content.FillBlank && len(key.Blanks) != len(d.Key.Blanks)) ||
			!keyFits(typ, key) {
			return RegradeResult{}, skillarena.Invalid(map[string]string{"key": "marking.key_invalid"})
		}
	}
	corr.KeyJSON = mustJSON(key)
	opts := GradeOptions{PartialCredit: e.PartialCredit}
	now := s.clock.Now()
	corr.CreatedAt, corr.UpdatedAt = now, now
	paperIDs := make([]int64, 0, len(held))
	for id := range held {
		paperIDs = append(paperIDs, id)
	}
	slices.Sort(paperIDs)
	var out RegradeResult
	err = db.Transaction(func(tx *gorm.DB) error {
		// Regrades of one exam run one at a time, and the submitted attempts
		// are locked (a current read that waits for submissions in flight),
		// before the new key is written: a submission either finished before
		// and is regraded here, or grades with the new key after.
		if err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", examID).Take(&Exam{}).Error; err != nil {
			return err
		}
		var attempts []Attempt
		for chunk := range slices.Chunk(paperIDs, 500) {
			var as []Attempt
			if err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
				Where("exam_id = ? AND status = ? AND paper_id IN ?", examID, AttemptSubmitted, chunk).Order("id").Find(&as).Error; err != nil {
				return err
			}
			attempts = append(attempts, as...)
		}
		var prev KeyCorrection
		var before any
		if err := tx.Where("exam_id = ? AND question_id = ?", examID, in.QuestionID).Take(&prev).Error; err == nil {
			before = map[string]any{"question_id": in.QuestionID, "version_id": prev.VersionID, "key": prev.Key()}
			if err := tx.Where("exam_id = ? AND question_id = ?", examID, in.QuestionID).Delete(&KeyCorrection{}).Error; err != nil {
				return err
			}
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if err := tx.Create(&corr).Error; err != nil {
			return err
		}
		changes := []org.Change{{Action: "exam.key_correct", ObjectType: "exam", ObjectID: strconv.FormatInt(examID, 10), OrgUnitID: &e.OrgUnitID,
			Before: before, After: map[string]any{"question_id": in.QuestionID, "version_id": corr.VersionID, "key": key}, Reason: in.Reason}}
		corrections := map[int64]KeyCorrection{in.QuestionID: corr}
		for batch := range slices.Chunk(attempts, 200) {
			cs, err := s.regradeAttempts(tx, batch, held, vs, corrections, opts, in.Reason, e.OrgUnitID, &out)
			if err != nil {
				return err
			}
			changes = append(changes, cs...)
		}
		return s.audit.AppendMany(ctx, tx, changes)
	})
	return out, dbError(err, "regrade")
}

// keyFits refuses keys with nothing to grade by: an empty accepted answer
// list for a blank.
func keyFits(typ content.QuestionType, key content.Key) bool {
	if typ != content.FillBlank {
		return true
	}
	for _, b := range key.Blanks {
		ok := false
		for _, a := range b.Accepted {
			if strings.TrimSpace(a) != "" {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// regradeAttempts regrades the question's items in a batch of submitted
// attempts (read under their locks, so their scores are current) and
// returns the audit entries of the scores that moved.
func (s *Service) regradeAttempts(tx *gorm.DB, attempts []Attempt, held map[int64][]Item, vs map[int64]content.Version,
	corrections map[int64]KeyCorrection, opts GradeOptions, reason string, unitID int64, out *RegradeResult) ([]org.Change, error) {
	var pairs [][]any
	for _, a := range attempts {
		for _, it := range held[a.PaperID] {
			pairs = append(pairs, []any{a.ID, it.Position})
		}
	}
	var answers []Answer
	if len(pairs) > 0 {
		if err := tx.Where("(attempt_id, position) IN ?", pairs).Find(&answers).Error; err != nil {
			return nil, err
		}
	}
	type key struct {
		attempt  int64
		position int
	}
	byKey := map[key]Answer{}
	for _, an := range answers {
		byKey[key{an.AttemptID, an.Position}] = an
	}
	var changes []org.Change
	for _, a := range attempts {
		out.Regraded++
		var delta skillarena.Points
		var items []map[string]any
		for _, it := range held[a.PaperID] {
			an := byKey[key{a.ID, it.Position}]
			var resp json.RawMessage
			if an.Response != nil {
				resp = json.RawMessage(*an.Response)
			}
			g, err := gradeItem(it, vs[it.VersionID], corrections, resp, opts)
			if err != nil {
				return nil, err
			}
			var old skillarena.Points
			if an.Score != nil {
				old = *an.Score
			}
			if an.Score != nil && old == g.Score {
				continue
			}
			if err := tx.Model(&Answer{}).Where("attempt_id = ? AND position = ?", a.ID, it.Position).Update("score", g.Score).Error; err != nil {
				return nil, err
			}
			delta += g.Score - old
			items = append(items, map[string]any{"position": it.Position, "before": an.Score, "after": g.Score})
		}
		if delta == 0 {
			continue
		}
		var before skillarena.Points
		if a.Score != nil {
			before = *a.Score
		}
		after := before + delta
		if err := tx.Model(&Attempt{}).Where("id = ?", a.ID).Update("score", after).Error; err != nil {
			return nil, err
		}
		out.Changed++
		changes = append(changes, org.Change{Action: "exam.regrade", ObjectType: "attempt", ObjectID: strconv.FormatInt(a.ID, 10), OrgUnitID: &unitID,
			Before: map[string]any{"score": a.Score, "graded": a.Graded}, After: map[string]any{"score": after, "graded": a.Graded, "items": items}, Reason: reason})
	}
	return changes, nil
}

// KeyCorrections lists the corrected keys of an exam inside scope.
func (s *Service) KeyCorrections(ctx context.Context, scope org.Scope, examID int64) ([]KeyCorrection, error) {
	if _, err := s.examInScope(ctx, scope, examID); err != nil {
		return nil, err
	}
	var out []KeyCorrection
	err := s.db.WithContext(ctx).Where("exam_id = ?", examID).Order("question_id").Find(&out).Error
	return out, err
}

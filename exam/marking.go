package exam

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
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

// Marking of short answers and essays (issue 4, item 5).
//
// When an attempt is submitted, each subjective item with an answer becomes
// a MarkingItem (an empty answer scores 0 at once: there is nothing to
// mark). Judges assigned to the exam see the items by question across
// contestants, each under an opaque ref and never a name. Two different
// judges mark each item independently; neither sees the other's mark. When
// their marks differ by more than the exam's MarkingThreshold the item waits
// for a chief judge, whose mark is final; otherwise the item scores the mean
// of the two marks. An attempt's score is final when all its items are.
// Every mark, adjudication and score change is audited in its transaction.

// MarkerRole is what a judge does in an exam's marking.
type MarkerRole string

// The marker roles.
const (
	// RoleMarker gives one of the two independent marks of an answer.
	RoleMarker MarkerRole = "marker"
	// RoleChief adjudicates answers whose two marks differ by more than the
	// threshold; a chief may also mark, but never adjudicates an answer
	// they marked.
	RoleChief MarkerRole = "chief"
)

// Valid reports whether r is a marker role.
func (r MarkerRole) Valid() bool { return r == RoleMarker || r == RoleChief }

// Marker assigns a judge to an exam's marking.
type Marker struct {
	ExamID    int64 `gorm:"primaryKey"`
	UserID    int64 `gorm:"primaryKey"`
	Role      MarkerRole
	CreatedBy int64
	CreatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (Marker) TableName() string { return "exam_markers" }

// MarkingStatus is where a subjective answer stands.
type MarkingStatus string

// The marking states.
const (
	MarkingOpen         MarkingStatus = "open"         // fewer than two marks
	MarkingAdjudication MarkingStatus = "adjudication" // two marks too far apart: the chief decides
	MarkingFinal        MarkingStatus = "final"        // scored
)

// MarkingItem is one subjective answer of a submitted attempt in the marking
// queue. Ref is the only id judges see; AttemptID never leaves the service
// towards a judge.
type MarkingItem struct {
	ID         int64
	Ref        string
	ExamID     int64
	AttemptID  int64
	Position   int
	QuestionID int64
	VersionID  int64
	MaxPoints  skillarena.Points
	Status     MarkingStatus
	Score      *skillarena.Points
	// Revision is bumped by every mark: the conditional bump takes the
	// row's lock, so two marks of one answer run one after the other.
	Revision  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (MarkingItem) TableName() string { return "marking_items" }

// Mark is one judge's mark of a marking item: slot 1 or 2 for the two
// independent marks, SlotAdjudication for the chief judge's.
type Mark struct {
	ID        int64
	ItemID    int64
	JudgeID   int64
	Slot      int
	Points    skillarena.Points
	Comment   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (Mark) TableName() string { return "marks" }

// SlotAdjudication is the slot of the chief judge's mark.
const SlotAdjudication = 3

// Limits of marking input.
const (
	MaxMarkComment      = 2000                       // characters
	MaxMarkingThreshold = skillarena.Points(100_000) // 1000 points
	maxMarkingPage      = 100
)

// newRef is an opaque id for a marking item: 12 random base-32 characters
// (60 bits), so nothing about the contestant or the order of submission can
// be read from it.
func newRef() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// subjectiveEmpty reports an answer a judge has nothing to mark in: empty,
// or a text of white space only.
func subjectiveEmpty(r json.RawMessage) bool {
	if emptyResponse(r) {
		return true
	}
	var s string
	if err := json.Unmarshal(r, &s); err == nil {
		return strings.TrimSpace(s) == ""
	}
	return false
}

// MeanOfTwoMarks is the score of an answer whose two marks are within the
// threshold: (a + b) / 2 exactly, in hundredths; an odd sum leaves half a
// hundredth, which is rounded up, once.
func MeanOfTwoMarks(a, b skillarena.Points) skillarena.Points {
	return (a + b + 1) / 2
}

// NeedsAdjudication reports whether two marks differ by more than the
// threshold (a difference equal to it is still averaged).
func NeedsAdjudication(a, b, threshold skillarena.Points) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d > threshold
}

// MarkerDetail is an assignment with the judge's names.
type MarkerDetail struct {
	Marker
	Username string
	Name     string
}

// Markers lists the judges assigned to an exam inside scope.
func (s *Service) Markers(ctx context.Context, scope org.Scope, examID int64) ([]MarkerDetail, error) {
	if _, err := s.examInScope(ctx, scope, examID); err != nil {
		return nil, err
	}
	var out []MarkerDetail
	err := s.db.WithContext(ctx).Model(&Marker{}).Joins("JOIN users ON users.id = exam_markers.user_id").
		Select("exam_markers.*, users.username AS username, users.name AS name").
		Where("exam_markers.exam_id = ?", examID).Order("users.username").Scan(&out).Error
	return out, err
}

// AssignMarker assigns a judge to an exam's marking in a role, or changes
// the role of one assigned already (created tells which). The user must hold
// a judge grant covering the exam's unit and must not sit the exam. Audited.
func (s *Service) AssignMarker(ctx context.Context, scope org.Scope, examID, userID int64, role MarkerRole) (MarkerDetail, bool, error) {
	if !role.Valid() {
		return MarkerDetail{}, false, skillarena.Invalid(map[string]string{"role": "marking.role_invalid"})
	}
	e, err := s.examInScope(ctx, scope, examID)
	if err != nil {
		return MarkerDetail{}, false, err
	}
	db := s.db.WithContext(ctx)
	examPath, err := unitPath(db, e.OrgUnitID)
	if err != nil {
		return MarkerDetail{}, false, err
	}
	var paths []string
	if err := db.Table("grants").Joins("JOIN org_units ON org_units.id = grants.org_unit_id").
		Where("grants.user_id = ? AND grants.role = ?", userID, org.RoleJudge).Pluck("org_units.path", &paths).Error; err != nil {
		return MarkerDetail{}, false, err
	}
	if !(org.Scope{Paths: paths}).Contains(examPath) {
		return MarkerDetail{}, false, skillarena.Invalid(map[string]string{"user_id": "marking.not_a_judge"})
	}
	var enrolled int64
	if err := db.Model(&Enrolment{}).Where("exam_id = ? AND user_id = ?", examID, userID).Count(&enrolled).Error; err != nil {
		return MarkerDetail{}, false, err
	}
	if enrolled > 0 {
		return MarkerDetail{}, false, skillarena.Invalid(map[string]string{"user_id": "marking.judge_is_contestant"})
	}
	created := false
	err = db.Transaction(func(tx *gorm.DB) error {
		var m Marker
		err := tx.Where("exam_id = ? AND user_id = ?", examID, userID).Take(&m).Error
		var before any
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			created = true
			m = Marker{ExamID: examID, UserID: userID, Role: role, CreatedBy: skillarena.ActorID(ctx), CreatedAt: s.clock.Now()}
			if err := tx.Create(&m).Error; err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if m.Role == role {
				return nil
			}
			before = map[string]any{"user_id": userID, "role": m.Role}
			if err := tx.Model(&Marker{}).Where("exam_id = ? AND user_id = ?", examID, userID).Update("role", role).Error; err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "marking.assign", ObjectType: "exam", ObjectID: strconv.FormatInt(examID, 10),
			OrgUnitID: &e.OrgUnitID, Before: before, After: map[string]any{"user_id": userID, "role": role}})
	})
	if err != nil {
		return MarkerDetail{}, false, dbError(err, "assign marker")
	}
	ms, err := s.Markers(ctx, scope, examID)
	if err != nil {
		return MarkerDetail{}, false, err
	}
	for _, m := range ms {
		if m.UserID == userID {
			return m, created, nil
		}
	}
	return MarkerDetail{}, false, skillarena.NotFound("marker")
}

// UnassignMarker removes a judge from an exam's marking; the marks they
// gave stay. Audited.
func (s *Service) UnassignMarker(ctx context.Context, scope org.Scope, examID, userID int64) error {
	e, err := s.examInScope(ctx, scope, examID)
	if err != nil {
		return err
	}
	return dbError(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m Marker
		if err := tx.Where("exam_id = ? AND user_id = ?", examID, userID).Take(&m).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return skillarena.NotFound("marker")
		} else if err != nil {
			return err
		}
		if err := tx.Where("exam_id = ? AND user_id = ?", examID, userID).Delete(&Marker{}).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "marking.unassign", ObjectType: "exam", ObjectID: strconv.FormatInt(examID, 10),
			OrgUnitID: &e.OrgUnitID, Before: map[string]any{"user_id": userID, "role": m.Role}})
	}), "unassign marker")
}

// QuestionProgress counts the marking items of one question version of an
// exam by state.
type QuestionProgress struct {
	QuestionID   int64
	VersionID    int64
	Type         content.QuestionType
	Stem         string
	Points       skillarena.Points
	Total        int
	Open         int
	Adjudication int
	Final        int
}

// MarkingProgress is how far an exam's marking has come.
type MarkingProgress struct {
	ExamID            int64
	MarkingThreshold  skillarena.Points
	AttemptsSubmitted int
	AttemptsFinal     int
	Questions         []QuestionProgress
}

// Progress reports an exam's marking, for its organisers.
func (s *Service) Progress(ctx context.Context, scope org.Scope, examID int64) (MarkingProgress, error) {
	e, err := s.examInScope(ctx, scope, examID)
	if err != nil {
		return MarkingProgress{}, err
	}
	db := s.db.WithContext(ctx)
	out := MarkingProgress{ExamID: e.ID, MarkingThreshold: e.MarkingThreshold}
	var counts struct{ Submitted, Final int }
	if err := db.Model(&Attempt{}).Select("COUNT(*) AS submitted, COALESCE(SUM(CASE WHEN graded THEN 1 ELSE 0 END), 0) AS final").
		Where("exam_id = ? AND status = ?", examID, AttemptSubmitted).Scan(&counts).Error; err != nil {
		return out, err
	}
	out.AttemptsSubmitted, out.AttemptsFinal = counts.Submitted, counts.Final
	var rows []struct {
		QuestionID, VersionID          int64
		Points                         skillarena.Points
		Total, Open, Adjudication, Fin int
	}
	if err := db.Model(&MarkingItem{}).
		Select("question_id, version_id, MAX(max_points) AS points, COUNT(*) AS total, "+
			"SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS open, "+
			"SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS adjudication, "+
			"SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS fin", MarkingOpen, MarkingAdjudication, MarkingFinal).
		Where("exam_id = ?", examID).Group("question_id, version_id").Order("question_id, version_id").Scan(&rows).Error; err != nil {
		return out, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.VersionID
	}
	vs, err := s.content.VersionsByID(ctx, ids)
	if err != nil {
		return out, err
	}
	for _, r := range rows {
		v := vs[r.VersionID]
		out.Questions = append(out.Questions, QuestionProgress{QuestionID: r.QuestionID, VersionID: r.VersionID, Type: v.Type, Stem: v.Stem,
			Points: r.Points, Total: r.Total, Open: r.Open, Adjudication: r.Adjudication, Final: r.Fin})
	}
	return out, nil
}

// QueueQuestion is one question version of an exam as a judge's queue shows
// it.
type QueueQuestion struct {
	QuestionID int64
	VersionID  int64
	Type       content.QuestionType
	Stem       string
	Points     skillarena.Points
	Total      int
	// ToMark counts the answers this judge may mark now: fewer than two
	// marks and none of them theirs.
	ToMark     int
	MarkedByMe int
	Final      int
}

// QueueExam is an exam a judge is assigned to, with its questions.
type QueueExam struct {
	ExamID           int64
	ExamTitle        string
	Role             MarkerRole
	MarkingThreshold skillarena.Points
	Questions        []QueueQuestion
	// Adjudications counts the answers awaiting this chief (0 for markers).
	Adjudications int
}

// Queue lists the exams the judge is assigned to, with per-question counts
// of what is left to mark. It never names a contestant.
func (s *Service) Queue(ctx context.Context, judgeID int64) ([]QueueExam, error) {
	db := s.db.WithContext(ctx)
	var exams []struct {
		Exam
		MarkerRole MarkerRole
	}
	if err := db.Model(&Exam{}).Joins("JOIN exam_markers ON exam_markers.exam_id = exams.id").
		Select("exams.*, exam_markers.role AS marker_role").Where("exam_markers.user_id = ?", judgeID).
		Order("exams.id").Scan(&exams).Error; err != nil {
		return nil, err
	}
	if len(exams) == 0 {
		return []QueueExam{}, nil
	}
	ids := make([]int64, len(exams))
	for i, e := range exams {
		ids[i] = e.ID
	}
	var rows []struct {
		ExamID, QuestionID, VersionID int64
		Points                        skillarena.Points
		Total, ToMark, MarkedByMe     int
		Fin                           int
	}
	if err := db.Model(&MarkingItem{}).
		Select("exam_id, question_id, version_id, MAX(max_points) AS points, COUNT(*) AS total, "+
			"SUM(CASE WHEN status = ? AND NOT EXISTS (SELECT 1 FROM marks WHERE marks.item_id = marking_items.id AND marks.judge_id = ?) "+
			"AND NOT EXISTS (SELECT 1 FROM attempts WHERE attempts.id = marking_items.attempt_id AND attempts.user_id = ?) THEN 1 ELSE 0 END) AS to_mark, "+
			"SUM(CASE WHEN EXISTS (SELECT 1 FROM marks WHERE marks.item_id = marking_items.id AND marks.judge_id = ? AND marks.slot < ?) THEN 1 ELSE 0 END) AS marked_by_me, "+
			"SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS fin",
			MarkingOpen, judgeID, judgeID, judgeID, SlotAdjudication, MarkingFinal).
		Where("exam_id IN ?", ids).Group("exam_id, question_id, version_id").Order("exam_id, question_id, version_id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	var adj []struct {
		ExamID int64
		N      int
	}
	if err := db.Model(&MarkingItem{}).Select("exam_id, COUNT(*) AS n").
		Where("exam_id IN (SELECT exam_id FROM exam_markers WHERE user_id = ? AND role = ?) AND status = ?", judgeID, RoleChief, MarkingAdjudication).
		Where("NOT EXISTS (SELECT 1 FROM marks WHERE marks.item_id = marking_items.id AND marks.judge_id = ?)", judgeID).
		Group("exam_id").Scan(&adj).Error; err != nil {
		return nil, err
	}
	vids := make([]int64, len(rows))
	for i, r := range rows {
		vids[i] = r.VersionID
	}
	vs, err := s.content.VersionsByID(ctx, vids)
	if err != nil {
		return nil, err
	}
	out := make([]QueueExam, len(exams))
	at := map[int64]int{}
	for i, e := range exams {
		out[i] = QueueExam{ExamID: e.ID, ExamTitle: e.Title, Role: e.MarkerRole, MarkingThreshold: e.MarkingThreshold, Questions: []QueueQuestion{}}
		at[e.ID] = i
	}
	for _, r := range rows {
		v := vs[r.VersionID]
		q := &out[at[r.ExamID]]
		q.Questions = append(q.Questions, QueueQuestion{QuestionID: r.QuestionID, VersionID: r.VersionID, Type: v.Type, Stem: v.Stem,
			Points: r.Points, Total: r.Total, ToMark: r.ToMark, MarkedByMe: r.MarkedByMe, Final: r.Fin})
	}
	for _, a := range adj {
		out[at[a.ExamID]].Adjudications = a.N
	}
	return out, nil
}

// assignment returns the judge's role in an exam's marking; an exam they
// are not assigned to is not found.
func (s *Service) assignment(ctx context.Context, judgeID, examID int64) (Marker, error) {
	var m Marker
	err := s.db.WithContext(ctx).Where("exam_id = ? AND user_id = ?", examID, judgeID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return m, skillarena.NotFound("exam")
	}
	return m, err
}

// QuestionVersionGuide is what a judge marks against: the stem, the
// reference answer and the rubric.
type QuestionVersionGuide struct {
	VersionID       int64
	Stem            string
	ReferenceAnswer string
	Rubric          string
}

// BlindAnswer is an answer as a judge sees it: an opaque ref, the text, the
// points it is worth and the judge's own mark if any. Nothing in it leads to
// the contestant.
type BlindAnswer struct {
	Ref       string
	VersionID int64
	Points    skillarena.Points
	Response  *string
	MyMark    *Mark
}

// AnswerFilter selects a judge's answers of one question.
type AnswerFilter struct {
	VersionID int64 // 0: every version
	// Marked lists the answers the judge marked; otherwise those they may
	// mark now.
	Marked bool
	Limit  int // 1..100, default 20
}

// AnswerPage is a judge's page of answers of one question.
type AnswerPage struct {
	QuestionID int64
	Type       content.QuestionType
	Versions   []QuestionVersionGuide
	Items      []BlindAnswer
	Total      int64
}

// AnswersToMark returns answers of one question of an exam the judge is
// assigned to, across contestants, blind: by default the next ones they may
// mark (fewer than two marks, none theirs, never their own attempt's) in a
// stable order of the opaque refs; with Marked, the ones they marked with
// their own mark. Never another judge's mark.
func (s *Service) AnswersToMark(ctx context.Context, judgeID, examID, questionID int64, f AnswerFilter) (AnswerPage, error) {
	if _, err := s.assignment(ctx, judgeID, examID); err != nil {
		return AnswerPage{}, err
	}
	if f.Limit <= 0 {
		f.Limit = 20
	}
	f.Limit = min(f.Limit, maxMarkingPage)
	db := s.db.WithContext(ctx)
	var vids []int64
	if err := db.Model(&MarkingItem{}).Distinct("version_id").Where("exam_id = ? AND question_id = ?", examID, questionID).
		Order("version_id").Pluck("version_id", &vids).Error; err != nil {
		return AnswerPage{}, err
	}
	if len(vids) == 0 {
		return AnswerPage{}, skillarena.NotFound("question")
	}
	vs, err := s.content.VersionsByID(ctx, vids)
	if err != nil {
		return AnswerPage{}, err
	}
	out := AnswerPage{QuestionID: questionID, Items: []BlindAnswer{}}
	for _, id := range vids {
		v := vs[id]
		out.Type = v.Type
		out.Versions = append(out.Versions, QuestionVersionGuide{VersionID: id, Stem: v.Stem, ReferenceAnswer: v.ReferenceAnswer, Rubric: v.Rubric})
	}
	q := db.Model(&MarkingItem{}).Where("exam_id = ? AND question_id = ?", examID, questionID)
	if f.VersionID != 0 {
		q = q.Where("version_id = ?", f.VersionID)
	}
	if f.Marked {
		q = q.Where("EXISTS (SELECT 1 FROM marks WHERE marks.item_id = marking_items.id AND marks.judge_id = ? AND marks.slot < ?)", judgeID, SlotAdjudication)
	} else {
		q = q.Where("status = ? AND NOT EXISTS (SELECT 1 FROM marks WHERE marks.item_id = marking_items.id AND marks.judge_id = ?)", MarkingOpen, judgeID).
			Where("NOT EXISTS (SELECT 1 FROM attempts WHERE attempts.id = marking_items.attempt_id AND attempts.user_id = ?)", judgeID)
	}
	// One statement for the count and the page: Session makes q reusable.
	q = q.Session(&gorm.Session{})
	if err := q.Count(&out.Total).Error; err != nil {
		return out, err
	}
	var items []MarkingItem
	if err := q.Order("ref").Limit(f.Limit).Find(&items).Error; err != nil {
		return out, err
	}
	if len(items) == 0 {
		return out, nil
	}
	responses, err := responsesOf(db, items)
	if err != nil {
		return out, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	var mine []Mark
	if err := db.Where("item_id IN ? AND judge_id = ? AND slot < ?", ids, judgeID, SlotAdjudication).Find(&mine).Error; err != nil {
		return out, err
	}
	byItem := map[int64]Mark{}
	for _, m := range mine {
		byItem[m.ItemID] = m
	}
	for _, it := range items {
		b := BlindAnswer{Ref: it.Ref, VersionID: it.VersionID, Points: it.MaxPoints, Response: responses[it.ID]}
		if m, ok := byItem[it.ID]; ok {
			b.MyMark = &m
		}
		out.Items = append(out.Items, b)
	}
	return out, nil
}

// responsesOf returns the answer texts of marking items (nil when not a
// string).
func responsesOf(db *gorm.DB, items []MarkingItem) (map[int64]*string, error) {
	pairs := make([][]any, len(items))
	at := map[[2]int64]int64{}
	for i, it := range items {
		pairs[i] = []any{it.AttemptID, it.Position}
		at[[2]int64{it.AttemptID, int64(it.Position)}] = it.ID
	}
	var answers []Answer
	if err := db.Where("(attempt_id, position) IN ?", pairs).Find(&answers).Error; err != nil {
		return nil, err
	}
	out := map[int64]*string{}
	for _, an := range answers {
		id := at[[2]int64{an.AttemptID, int64(an.Position)}]
		if an.Response == nil {
			out[id] = nil
			continue
		}
		var s string
		if json.Unmarshal([]byte(*an.Response), &s) == nil {
			out[id] = &s
		}
	}
	return out, nil
}

// MarkInput is a judge's mark: points between 0 and the item's points, in
// hundredths, and a comment.
type MarkInput struct {
	Points  skillarena.Points
	Comment string
}

func validateMark(in MarkInput, max skillarena.Points) error {
	f := map[string]string{}
	if in.Points < 0 || in.Points > max {
		f["points"] = "marking.points_range"
	}
	if utf8.RuneCountInString(in.Comment) > MaxMarkComment {
		f["comment"] = "marking.comment_too_long"
	}
	if len(f) > 0 {
		return &skillarena.Error{Code: skillarena.EINVALID, Message: "error.invalid_fields", Fields: f,
			FieldArgs: map[string]map[string]any{"points": {"Max": max.String()}}}
	}
	return nil
}

// itemForJudge finds a marking item by ref in an exam the judge is assigned
// to; any other is not found.
func (s *Service) itemForJudge(ctx context.Context, judgeID int64, ref string) (MarkingItem, Exam, Marker, error) {
	db := s.db.WithContext(ctx)
	var it MarkingItem
	if err := db.Where("ref = ?", ref).Take(&it).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return it, Exam{}, Marker{}, skillarena.NotFound("marking_item")
	} else if err != nil {
		return it, Exam{}, Marker{}, err
	}
	m, err := s.assignment(ctx, judgeID, it.ExamID)
	if err != nil {
		return it, Exam{}, m, skillarena.NotFound("marking_item")
	}
	var e Exam
	if err := db.Where("id = ?", it.ExamID).Take(&e).Error; err != nil {
		return it, e, m, err
	}
	var owner int64
	if err := db.Model(&Attempt{}).Where("id = ?", it.AttemptID).Pluck("user_id", &owner).Error; err != nil {
		return it, e, m, err
	}
	if owner == judgeID {
		return it, e, m, skillarena.NotFound("marking_item")
	}
	return it, e, m, nil
}

// lockAttempt takes the row lock of the attempt a marking item belongs to
// (a locking, current read on MySQL; SQLite runs one writer at a time). Every
// change to an attempt's items and score after submission takes it first, so
// the last of its items to be settled sees all the others final, and a
// regrade's score change and a marking's never overwrite each other.
func lockAttempt(tx *gorm.DB, id int64) (Attempt, error) {
	var a Attempt
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", id).Take(&a).Error
	return a, err
}

// lockItem bumps an item's revision if it is in the given state: the
// update takes the row's lock, so marks of one answer are serialised, and
// reads after it see the marks committed before. It reports whether the
// item was in that state.
func lockItem(tx *gorm.DB, id int64, status MarkingStatus, now time.Time) (bool, error) {
	res := tx.Exec("UPDATE marking_items SET revision = revision + 1, updated_at = ? WHERE id = ? AND status = ?", now, id, status)
	return res.RowsAffected == 1, res.Error
}

func markJSON(m Mark) map[string]any {
	return map[string]any{"judge_id": m.JudgeID, "slot": m.Slot, "points": m.Points, "comment": m.Comment}
}

// MarkAnswer records the judge's independent mark of an answer. A judge may
// change their mark until the second mark is in; a third independent mark
// is refused. The second mark settles the answer: within the exam's
// threshold it scores the mean of the two (MeanOfTwoMarks), beyond it the
// answer waits for the chief judge. Audited with before and after.
func (s *Service) MarkAnswer(ctx context.Context, judgeID int64, ref string, in MarkInput) (Mark, error) {
	it, e, _, err := s.itemForJudge(ctx, judgeID, ref)
	if err != nil {
		return Mark{}, err
	}
	if err := validateMark(in, it.MaxPoints); err != nil {
		return Mark{}, err
	}
	now := s.clock.Now()
	var out Mark
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := lockAttempt(tx, it.AttemptID)
		if err != nil {
			return err
		}
		open, err := lockItem(tx, it.ID, MarkingOpen, now)
		if err != nil {
			return err
		}
		if !open {
			var mine int64
			if err := tx.Model(&Mark{}).Where("item_id = ? AND judge_id = ?", it.ID, judgeID).Count(&mine).Error; err != nil {
				return err
			}
			if mine > 0 {
				return skillarena.NewError(skillarena.ECONFLICT, "marking.locked", nil)
			}
			return skillarena.NewError(skillarena.ECONFLICT, "marking.already_double_marked", nil)
		}
		var marks []Mark
		if err := tx.Where("item_id = ? AND slot < ?", it.ID, SlotAdjudication).Order("slot").Find(&marks).Error; err != nil {
			return err
		}
		change := org.Change{Action: "marking.mark", ObjectType: "marking_item", ObjectID: it.Ref, OrgUnitID: &e.OrgUnitID}
		for _, m := range marks {
			if m.JudgeID != judgeID {
				continue
			}
			// Their own first mark, the second not in yet: a correction.
			change.Before = markJSON(m)
			m.Points, m.Comment, m.UpdatedAt = in.Points, in.Comment, now
			if err := tx.Model(&Mark{}).Where("id = ?", m.ID).
				Updates(map[string]any{"points": m.Points, "comment": m.Comment, "updated_at": now}).Error; err != nil {
				return err
			}
			out = m
			change.After = map[string]any{"mark": markJSON(m), "attempt_id": it.AttemptID, "position": it.Position, "status": MarkingOpen}
			return s.audit.Append(ctx, tx, change)
		}
		if len(marks) >= 2 {
			return skillarena.NewError(skillarena.ECONFLICT, "marking.already_double_marked", nil)
		}
		out = Mark{ItemID: it.ID, JudgeID: judgeID, Slot: len(marks) + 1, Points: in.Points, Comment: in.Comment, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&out).Error; err != nil {
			return err
		}
		after := map[string]any{"mark": markJSON(out), "attempt_id": it.AttemptID, "position": it.Position, "status": MarkingOpen}
		if out.Slot == 2 {
			m1, m2 := marks[0].Points, out.Points
			if NeedsAdjudication(m1, m2, e.MarkingThreshold) {
				if err := tx.Model(&MarkingItem{}).Where("id = ?", it.ID).Update("status", MarkingAdjudication).Error; err != nil {
					return err
				}
				after["status"] = MarkingAdjudication
			} else {
				score := MeanOfTwoMarks(m1, m2)
				after["status"], after["score"] = MarkingFinal, score
				change.After = after
				if err := s.audit.Append(ctx, tx, change); err != nil {
					return err
				}
				return s.settle(ctx, tx, e, a, it, score, now, "marking.complete")
			}
		}
		change.After = after
		return s.audit.Append(ctx, tx, change)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Another judge's mark took the slot in the same instant.
		return Mark{}, skillarena.NewError(skillarena.ECONFLICT, "marking.already_double_marked", nil)
	}
	return out, dbError(err, "mark answer")
}

// settle makes an item's score final, writes it to the answer, and makes
// the attempt's score final when no item of it awaits a judge any more. a is
// the attempt as read under its lock (lockAttempt); reason goes with the
// audit entry of the attempt's score.
func (s *Service) settle(ctx context.Context, tx *gorm.DB, e Exam, a Attempt, it MarkingItem, score skillarena.Points, now time.Time, reason string) error {
	if err := tx.Model(&MarkingItem{}).Where("id = ?", it.ID).Updates(map[string]any{"status": MarkingFinal, "score": score, "updated_at": now}).Error; err != nil {
		return err
	}
	if err := tx.Model(&Answer{}).Where("attempt_id = ? AND position = ?", it.AttemptID, it.Position).Update("score", score).Error; err != nil {
		return err
	}
	var pending int64
	if err := tx.Model(&MarkingItem{}).Where("attempt_id = ? AND status <> ?", it.AttemptID, MarkingFinal).Count(&pending).Error; err != nil {
		return err
	}
	if pending > 0 {
		return nil
	}
	var total int64
	if err := tx.Model(&Answer{}).Select("COALESCE(SUM(score), 0)").Where("attempt_id = ?", it.AttemptID).Scan(&total).Error; err != nil {
		return err
	}
	if err := tx.Model(&Attempt{}).Where("id = ?", a.ID).Updates(map[string]any{"score": total, "graded": true}).Error; err != nil {
		return err
	}
	return s.audit.Append(ctx, tx, org.Change{Action: "attempt.score", ObjectType: "attempt", ObjectID: strconv.FormatInt(a.ID, 10),
		OrgUnitID: &e.OrgUnitID, Before: map[string]any{"score": a.Score, "graded": a.Graded},
		After: map[string]any{"score": skillarena.Points(total), "graded": true}, Reason: reason})
}

// MarkView is a judge's mark with the judge's name, for the chief.
type MarkView struct {
	Mark
	JudgeName string
}

// Adjudication is an answer awaiting the chief judge: both marks are shown
// (with the judges' names), never the contestant.
type Adjudication struct {
	Ref             string
	ExamID          int64
	ExamTitle       string
	QuestionID      int64
	VersionID       int64
	Type            content.QuestionType
	Stem            string
	ReferenceAnswer string
	Rubric          string
	Points          skillarena.Points
	Response        *string
	Marks           []MarkView
	Difference      skillarena.Points
	// Adjudicated is the chief's mark of an answer adjudicated already; nil
	// while it awaits the chief.
	Adjudicated *MarkView
	// Correctable says whether the chief's mark may still be corrected
	// (correctAdjudication): the contestant cannot see the result yet.
	Correctable bool
}

// Adjudications lists the answers awaiting this chief judge (optionally of
// one exam): in exams where they are chief, and not marked by them. With
// adjudicated, it lists instead the answers a chief has adjudicated, with
// the chief's mark, for correction.
func (s *Service) Adjudications(ctx context.Context, judgeID, examID int64, adjudicated bool) ([]Adjudication, error) {
	db := s.db.WithContext(ctx)
	q := db.Model(&MarkingItem{}).Where("exam_id IN (SELECT exam_id FROM exam_markers WHERE user_id = ? AND role = ?)", judgeID, RoleChief)
	if adjudicated {
		q = q.Where("status = ? AND EXISTS (SELECT 1 FROM marks WHERE marks.item_id = marking_items.id AND marks.slot = ?)", MarkingFinal, SlotAdjudication)
	} else {
		q = q.Where("status = ?", MarkingAdjudication)
	}
	q = q.
		Where("NOT EXISTS (SELECT 1 FROM marks WHERE marks.item_id = marking_items.id AND marks.judge_id = ? AND marks.slot < ?)", judgeID, SlotAdjudication).
		Where("NOT EXISTS (SELECT 1 FROM attempts WHERE attempts.id = marking_items.attempt_id AND attempts.user_id = ?)", judgeID)
	if examID != 0 {
		q = q.Where("exam_id = ?", examID)
	}
	var items []MarkingItem
	if err := q.Order("exam_id, question_id, ref").Limit(500).Find(&items).Error; err != nil {
		return nil, err
	}
	out := []Adjudication{}
	if len(items) == 0 {
		return out, nil
	}
	responses, err := responsesOf(db, items)
	if err != nil {
		return nil, err
	}
	ids, vids, eids := make([]int64, len(items)), make([]int64, len(items)), make([]int64, len(items))
	for i, it := range items {
		ids[i], vids[i], eids[i] = it.ID, it.VersionID, it.ExamID
	}
	var marks []MarkView
	if err := db.Model(&Mark{}).Joins("JOIN users ON users.id = marks.judge_id").Select("marks.*, users.name AS judge_name").
		Where("marks.item_id IN ?", ids).Order("marks.slot").Scan(&marks).Error; err != nil {
		return nil, err
	}
	byItem := map[int64][]MarkView{}
	chiefs := map[int64]MarkView{}
	for _, m := range marks {
		if m.Slot == SlotAdjudication {
			chiefs[m.ItemID] = m
			continue
		}
		byItem[m.ItemID] = append(byItem[m.ItemID], m)
	}
	var exams []Exam
	if err := db.Where("id IN ?", eids).Find(&exams).Error; err != nil {
		return nil, err
	}
	titles := map[int64]string{}
	byExam := map[int64]Exam{}
	for _, e := range exams {
		titles[e.ID] = e.Title
		byExam[e.ID] = e
	}
	attempts := map[int64]Attempt{}
	if adjudicated {
		aids := make([]int64, len(items))
		for i, it := range items {
			aids[i] = it.AttemptID
		}
		var as []Attempt
		if err := db.Where("id IN ?", aids).Find(&as).Error; err != nil {
			return nil, err
		}
		for _, a := range as {
			attempts[a.ID] = a
		}
	}
	now := s.clock.Now()
	vs, err := s.content.VersionsByID(ctx, vids)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		v := vs[it.VersionID]
		a := Adjudication{Ref: it.Ref, ExamID: it.ExamID, ExamTitle: titles[it.ExamID], QuestionID: it.QuestionID, VersionID: it.VersionID,
			Type: v.Type, Stem: v.Stem, ReferenceAnswer: v.ReferenceAnswer, Rubric: v.Rubric, Points: it.MaxPoints,
			Response: responses[it.ID], Marks: byItem[it.ID]}
		if len(a.Marks) == 2 {
			a.Difference = a.Marks[0].Points - a.Marks[1].Points
			if a.Difference < 0 {
				a.Difference = -a.Difference
			}
		}
		if m, ok := chiefs[it.ID]; ok {
			a.Adjudicated = &m
			a.Correctable = byExam[it.ExamID].ResultsWithheld(attempts[it.AttemptID], now) != nil
		}
		out = append(out, a)
	}
	return out, nil
}

// Adjudicate records the chief judge's mark of an answer whose two marks
// differ by more than the threshold; it is the answer's final score. Only a
// chief of the exam who gave neither mark adjudicates. Audited with both
// marks before and the chief's after. An answer adjudicated already is
// corrected instead (see correctAdjudication), which needs a reason.
func (s *Service) Adjudicate(ctx context.Context, judgeID int64, ref string, in MarkInput, reason string) (Mark, error) {
	it, e, role, err := s.itemForJudge(ctx, judgeID, ref)
	if err != nil {
		return Mark{}, err
	}
	if role.Role != RoleChief {
		return Mark{}, skillarena.NotFound("marking_item")
	}
	if err := validateMark(in, it.MaxPoints); err != nil {
		return Mark{}, err
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		return Mark{}, skillarena.Invalid(map[string]string{"reason": "marking.correction_reason"})
	}
	now := s.clock.Now()
	var out Mark
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := lockAttempt(tx, it.AttemptID)
		if err != nil {
			return err
		}
		waiting, err := lockItem(tx, it.ID, MarkingAdjudication, now)
		if err != nil {
			return err
		}
		if !waiting {
			out, err = s.correctAdjudication(ctx, tx, e, a, it, judgeID, in, reason, now)
			return err
		}
		var marks []Mark
		if err := tx.Where("item_id = ? AND slot < ?", it.ID, SlotAdjudication).Order("slot").Find(&marks).Error; err != nil {
			return err
		}
		before := make([]map[string]any, len(marks))
		for i, m := range marks {
			if m.JudgeID == judgeID {
				return skillarena.NewError(skillarena.ECONFLICT, "marking.own_mark", nil)
			}
			before[i] = markJSON(m)
		}
		out = Mark{ItemID: it.ID, JudgeID: judgeID, Slot: SlotAdjudication, Points: in.Points, Comment: in.Comment, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&out).Error; err != nil {
			return err
		}
		if err := s.audit.Append(ctx, tx, org.Change{Action: "marking.adjudicate", ObjectType: "marking_item", ObjectID: it.Ref, OrgUnitID: &e.OrgUnitID,
			Before: map[string]any{"marks": before, "status": MarkingAdjudication, "score": nil},
			After:  map[string]any{"mark": markJSON(out), "attempt_id": it.AttemptID, "position": it.Position, "status": MarkingFinal, "score": out.Points},
			Reason: reason}); err != nil {
			return err
		}
		return s.settle(ctx, tx, e, a, it, out.Points, now, "marking.complete")
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Mark{}, skillarena.NewError(skillarena.ECONFLICT, "marking.not_awaiting_adjudication", nil)
	}
	return out, dbError(err, "adjudicate")
}

// correctAdjudication changes the chief judge's mark of an adjudicated
// answer. A chief of the exam who gave neither independent mark corrects
// it, with a reason, while the contestant cannot see the attempt's result
// yet (ResultsWithheld: results released by hand and not released, or shown
// after the close and the exam still open); after that a score changes only
// through a key correction or an appeal. The answer's score becomes the new
// mark and the attempt's score is settled again; both are audited with
// before, after and the reason. An answer scored as the mean of two marks
// was never adjudicated and is not corrected here. The item is locked by
// the caller's transaction.
func (s *Service) correctAdjudication(ctx context.Context, tx *gorm.DB, e Exam, a Attempt, it MarkingItem, judgeID int64, in MarkInput, reason string, now time.Time) (Mark, error) {
	final, err := lockItem(tx, it.ID, MarkingFinal, now)
	if err != nil {
		return Mark{}, err
	}
	var marks []Mark
	if err := tx.Where("item_id = ?", it.ID).Order("slot").Find(&marks).Error; err != nil {
		return Mark{}, err
	}
	var chief *Mark
	for i, m := range marks {
		if m.Slot == SlotAdjudication {
			chief = &marks[i]
		} else if m.JudgeID == judgeID {
			return Mark{}, skillarena.NewError(skillarena.ECONFLICT, "marking.own_mark", nil)
		}
	}
	if !final || chief == nil {
		return Mark{}, skillarena.NewError(skillarena.ECONFLICT, "marking.not_awaiting_adjudication", nil)
	}
	if reason == "" {
		return Mark{}, skillarena.Invalid(map[string]string{"reason": "marking.correction_reason"})
	}
	if e.ResultsWithheld(a, now) == nil {
		return Mark{}, skillarena.NewError(skillarena.ECONFLICT, "marking.results_released", nil)
	}
	if chief.Points == in.Points && chief.Comment == in.Comment {
		return *chief, nil
	}
	before := *chief
	chief.JudgeID, chief.Points, chief.Comment, chief.UpdatedAt = judgeID, in.Points, in.Comment, now
	if err := tx.Model(&Mark{}).Where("id = ?", chief.ID).
		Updates(map[string]any{"judge_id": judgeID, "points": in.Points, "comment": in.Comment, "updated_at": now}).Error; err != nil {
		return Mark{}, err
	}
	if err := s.audit.Append(ctx, tx, org.Change{Action: "marking.adjudication_correct", ObjectType: "marking_item", ObjectID: it.Ref,
		OrgUnitID: &e.OrgUnitID, Before: map[string]any{"mark": markJSON(before), "score": before.Points},
		After: map[string]any{"mark": markJSON(*chief), "attempt_id": it.AttemptID, "position": it.Position, "score": in.Points}, Reason: reason}); err != nil {
		return Mark{}, err
	}
	return *chief, s.settle(ctx, tx, e, a, it, in.Points, now, reason)
}

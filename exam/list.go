package exam

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"time"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/org"
)

// What a contestant's own standing on an exam can be.
const (
	MyNotStarted = "not_started"
	MyInProgress = "in_progress"
	MySubmitted  = "submitted"
)

// ExamSummary is an exam as listed: its settings, its size, and the caller's
// own standing on it.
type ExamSummary struct {
	Exam
	OrgUnitPath string
	ItemCount   int
	TotalPoints skillarena.Points
	// Enrolled: the caller is on the roster. Manageable: the exam's unit is
	// inside the caller's organiser scope.
	Enrolled      bool
	Manageable    bool
	AttemptsUsed  int
	AttemptID     *int64 // the attempt in progress
	LastAttemptID *int64
	MyStatus      string
	// Startable: enrolled, inside the window, and an attempt is in progress
	// or one is left.
	Startable bool
}

// ListExams lists the exams userID is enrolled in and those owned by a unit
// inside manage (the caller's organiser or invigilator scope). With openOnly,
// only the exams the caller can start or resume now.
func (s *Service) ListExams(ctx context.Context, userID int64, manage org.Scope, openOnly bool) ([]ExamSummary, error) {
	db := s.db.WithContext(ctx)
	now := s.clock.Now()
	var rows []struct {
		Exam
		OrgUnitPath string
	}
	enrolled := db.Model(&Enrolment{}).Select("exam_id").Where("user_id = ?", userID)
	q := db.Model(&Exam{}).Select("exams.*, org_units.path AS org_unit_path").
		Joins("JOIN org_units ON org_units.id = exams.org_unit_id")
	if openOnly {
		q = q.Where("exams.id IN (?) AND exams.opens_at <= ? AND exams.closes_at > ?", enrolled, now, now)
	} else {
		q = q.Where(db.Where("exams.id IN (?)", enrolled).Or(manage.Where(db, "org_units.path")))
	}
	if err := q.Order("exams.closes_at DESC, exams.id DESC").Limit(1000).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return []ExamSummary{}, nil
	}
	ids := make([]int64, len(rows))
	bpIDs := make([]int64, len(rows))
	for i, r := range rows {
		ids[i], bpIDs[i] = r.ID, r.BlueprintID
	}
	var mine []int64
	if err := db.Model(&Enrolment{}).Where("user_id = ? AND exam_id IN ?", userID, ids).Pluck("exam_id", &mine).Error; err != nil {
		return nil, err
	}
	isMine := map[int64]bool{}
	for _, id := range mine {
		isMine[id] = true
	}
	var attempts []Attempt
	if err := db.Select("id", "exam_id", "number", "status").Where("user_id = ? AND exam_id IN ?", userID, ids).Order("number").Find(&attempts).Error; err != nil {
		return nil, err
	}
	var bps []Blueprint
	if err := db.Where("id IN ?", bpIDs).Find(&bps).Error; err != nil {
		return nil, err
	}
	size := map[int64][2]int64{}
	for _, b := range bps {
		var n, pts int64
		for _, sec := range b.Sections() {
			n += int64(sec.Count)
			pts += int64(sec.Count) * int64(sec.PointsEach)
		}
		size[b.ID] = [2]int64{n, pts}
	}
	out := make([]ExamSummary, 0, len(rows))
	for _, r := range rows {
		es := ExamSummary{Exam: r.Exam, OrgUnitPath: r.OrgUnitPath, Enrolled: isMine[r.ID], Manageable: manage.Contains(r.OrgUnitPath),
			ItemCount: int(size[r.BlueprintID][0]), TotalPoints: skillarena.Points(size[r.BlueprintID][1]), MyStatus: MyNotStarted}
		for _, a := range attempts {
			if a.ExamID != r.ID {
				continue
			}
			es.AttemptsUsed++
			id := a.ID
			es.LastAttemptID = &id
			if a.Status == AttemptInProgress {
				es.AttemptID = &id
				es.MyStatus = MyInProgress
			} else if es.MyStatus != MyInProgress {
				es.MyStatus = MySubmitted
			}
		}
		inWindow := !now.Before(r.OpensAt) && now.Before(r.ClosesAt)
		es.Startable = es.Enrolled && inWindow && (es.AttemptID != nil || es.AttemptsUsed < r.MaxAttempts)
		if openOnly && !es.Startable {
			continue
		}
		out = append(out, es)
	}
	if openOnly {
		sort.SliceStable(out, func(i, j int) bool { return out[i].ClosesAt.Before(out[j].ClosesAt) })
	}
	return out, nil
}

// ExamDetail is an exam with what set-up pages show.
type ExamDetail struct {
	ExamSummary
	Sections      []Section
	BlueprintName string
	BankIDs       []int64
	EnrolledCount int64
	PapersReady   int64
}

// ExamInScope returns an exam whose unit lies inside scope; any other exam is
// not found.
func (s *Service) ExamInScope(ctx context.Context, scope org.Scope, id int64) (ExamDetail, error) {
	db := s.db.WithContext(ctx)
	e, err := s.examInScope(ctx, scope, id)
	if err != nil {
		return ExamDetail{}, err
	}
	path, err := unitPath(db, e.OrgUnitID)
	if err != nil {
		return ExamDetail{}, err
	}
	d := ExamDetail{ExamSummary: ExamSummary{Exam: e, OrgUnitPath: path, Manageable: true, MyStatus: MyNotStarted}}
	var bp Blueprint
	if err := db.Where("id = ?", e.BlueprintID).Take(&bp).Error; err != nil {
		return ExamDetail{}, err
	}
	d.BlueprintName = bp.Name
	d.Sections = bp.Sections()
	for _, sec := range d.Sections {
		d.ItemCount += sec.Count
		d.TotalPoints += skillarena.Points(sec.Count) * sec.PointsEach
	}
	if err := db.Model(&examBank{}).Where("exam_id = ?", id).Order("bank_id").Pluck("bank_id", &d.BankIDs).Error; err != nil {
		return ExamDetail{}, err
	}
	if err := db.Model(&Enrolment{}).Where("exam_id = ?", id).Count(&d.EnrolledCount).Error; err != nil {
		return ExamDetail{}, err
	}
	if err := db.Model(&Paper{}).Where("exam_id = ?", id).Count(&d.PapersReady).Error; err != nil {
		return ExamDetail{}, err
	}
	return d, nil
}

// BlueprintInScope returns a blueprint owned by a unit inside scope.
func (s *Service) BlueprintInScope(ctx context.Context, scope org.Scope, id int64) (Blueprint, error) {
	var row struct {
		Blueprint
		OrgUnitPath string
	}
	err := s.db.WithContext(ctx).Model(&Blueprint{}).Select("blueprints.*, org_units.path AS org_unit_path").
		Joins("JOIN org_units ON org_units.id = blueprints.org_unit_id").Where("blueprints.id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !scope.Contains(row.OrgUnitPath)) {
		return Blueprint{}, skillarena.NotFound("blueprint")
	}
	return row.Blueprint, err
}

// ListBlueprints lists the blueprints owned by units inside scope.
func (s *Service) ListBlueprints(ctx context.Context, scope org.Scope) ([]Blueprint, error) {
	db := s.db.WithContext(ctx)
	var out []Blueprint
	err := scope.Where(db.Model(&Blueprint{}).Select("blueprints.*").Joins("JOIN org_units ON org_units.id = blueprints.org_unit_id"), "org_units.path").
		Order("blueprints.id DESC").Limit(1000).Find(&out).Error
	return out, err
}

// UsableBlueprints lists the blueprints an exam of the unit may draw its
// papers from when the caller (with scope) sets it up: exactly those
// CreateExam and UpdateExam accept (see blueprintUsable). A unit outside
// scope is not found.
func (s *Service) UsableBlueprints(ctx context.Context, scope org.Scope, unitID int64) ([]Blueprint, error) {
	db := s.db.WithContext(ctx)
	p, err := unitPath(db, unitID)
	if err != nil {
		return nil, err
	}
	if p == "" || !scope.Contains(p) {
		return nil, skillarena.NotFound("unit")
	}
	// The query narrows to the caller's units and the exam's unit and those
	// above it; blueprintUsable has the last word.
	var rows []struct {
		Blueprint
		OrgUnitPath string
	}
	q := db.Model(&Blueprint{}).Select("blueprints.*, org_units.path AS org_unit_path").
		Joins("JOIN org_units ON org_units.id = blueprints.org_unit_id")
	err = q.Where(scope.Where(db, "org_units.path").Or("org_units.path IN ?", pathAndAbove(p))).
		Order("blueprints.id DESC").Limit(1000).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]Blueprint, 0, len(rows))
	for _, r := range rows {
		if blueprintUsable(scope, p, r.OrgUnitPath) {
			out = append(out, r.Blueprint)
		}
	}
	return out, nil
}

// pathAndAbove returns a unit's path and the paths of the units above it:
// "/1/5/12/" gives "/1/", "/1/5/" and "/1/5/12/".
func pathAndAbove(path string) []string {
	var out []string
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			out = append(out, path[:i+1])
		}
	}
	return out
}

// Enrollee is a contestant on an exam's roster.
type Enrollee struct {
	UserID       int64
	Username     string
	Name         string
	OrgUnitName  string
	ExtraSeconds int
}

// Enrolments lists an exam's roster.
func (s *Service) Enrolments(ctx context.Context, examID int64) ([]Enrollee, error) {
	var out []Enrollee
	err := s.db.WithContext(ctx).Table("exam_enrolments").
		Select("exam_enrolments.user_id, users.username, users.name, org_units.name AS org_unit_name, exam_enrolments.extra_seconds").
		Joins("JOIN users ON users.id = exam_enrolments.user_id").
		Joins("JOIN org_units ON org_units.id = users.org_unit_id").
		Where("exam_enrolments.exam_id = ?", examID).Order("users.username").Scan(&out).Error
	return out, err
}

// EnrolInScope enrols contestants who all belong to units inside scope; a
// user outside it is refused as unknown, and nobody is enrolled.
func (s *Service) EnrolInScope(ctx context.Context, scope org.Scope, examID int64, userIDs []int64) error {
	if len(userIDs) == 0 || len(userIDs) > 10000 {
		return skillarena.Invalid(map[string]string{"user_ids": "exam.user_ids_count"})
	}
	db := s.db.WithContext(ctx)
	var found []int64
	q := db.Table("users").Select("users.id").Joins("JOIN org_units ON org_units.id = users.org_unit_id").Where("users.id IN ?", userIDs)
	if err := scope.Where(q, "org_units.path").Pluck("users.id", &found).Error; err != nil {
		return err
	}
	ok := map[int64]bool{}
	for _, id := range found {
		ok[id] = true
	}
	for _, id := range userIDs {
		if !ok[id] {
			return &skillarena.Error{Code: skillarena.EINVALID, Message: "exam.user_unknown", Args: map[string]any{"ID": id},
				Fields: map[string]string{"user_ids": "exam.user_unknown"}, FieldArgs: map[string]map[string]any{"user_ids": {"ID": id}}}
		}
	}
	return s.Enrol(ctx, examID, userIDs)
}

// remaining is the whole seconds left before deadline on the server's clock.
// It rounds to the nearest second: a database that keeps microseconds must
// not turn a full hour into 3599 seconds.
func remaining(deadline, now time.Time) int {
	return max(0, int(deadline.Sub(now).Round(time.Second)/time.Second))
}

// PaperPreview is a paper rendered as a contestant sees it. PaperID is the
// stored paper shown (a fixed exam's one paper, once drawn), 0 for a sample
// drawn for the preview only.
type PaperPreview struct {
	Items   []ItemView
	PaperID int64
}

// Preview renders a paper of an exam as a contestant sees it: a fixed exam's
// own paper once it is drawn (rebuilt from its seed and checked, see
// RebuildPaper; as stored when it was drawn before drawings were kept),
// otherwise a fresh draw from the blueprint, not stored.
func (s *Service) Preview(ctx context.Context, examID int64) (PaperPreview, error) {
	db := s.db.WithContext(ctx)
	var e Exam
	if err := db.Where("id = ?", examID).Take(&e).Error; err != nil {
		return PaperPreview{}, dbError(err, "preview")
	}
	var out PaperPreview
	var items []Item
	if e.PaperMode == PaperFixed {
		var ps []Paper
		if err := db.Where("exam_id = ? AND user_id = 0 AND attempt_number = 0", e.ID).Limit(1).Find(&ps).Error; err != nil {
			return PaperPreview{}, err
		}
		if len(ps) > 0 {
			items = ps[0].Items() // drawn before drawings were kept: as stored
			if ps[0].DrawID != nil {
				var err error
				if items, err = s.RebuildPaper(ctx, ps[0].ID); err != nil {
					return PaperPreview{}, err
				}
			}
			out.PaperID = ps[0].ID
		}
	}
	if out.PaperID == 0 {
		d, err := s.drawingOf(ctx, e)
		if err != nil {
			return PaperPreview{}, err
		}
		if items, err = d.draw(NewSeed()); err != nil {
			return PaperPreview{}, err
		}
	}
	var err error
	out.Items, err = s.itemViews(ctx, items)
	return out, err
}

// ContestantScore is where a contestant stands on an exam, for combining
// scores: the score of their submitted attempt, and whether it is final
// (every item marked).
type ContestantScore struct {
	UserID int64
	Score  skillarena.Points
	Graded bool
}

// ContestantScores returns, per contestant who submitted, their best
// submitted attempt's score (a competition exam has one attempt).
func (s *Service) ContestantScores(ctx context.Context, examID int64) (map[int64]ContestantScore, error) {
	// Scanned by hand: a stage's 10,000 attempts through GORM's reflection
	// cost more than ranking them (PERFORMANCE.md, Rankings).
	rows, err := s.db.WithContext(ctx).Model(&Attempt{}).Select("user_id", "score", "graded").
		Where("exam_id = ? AND status = ?", examID, AttemptSubmitted).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]ContestantScore{}
	for rows.Next() {
		var userID int64
		var score *skillarena.Points
		var graded bool
		if err := rows.Scan(&userID, &score, &graded); err != nil {
			return nil, err
		}
		var sc skillarena.Points
		if score != nil {
			sc = *score
		}
		if cur, ok := out[userID]; !ok || sc > cur.Score {
			out[userID] = ContestantScore{UserID: userID, Score: sc, Graded: graded}
		}
	}
	return out, rows.Err()
}

// CorrectResponses returns, for each objective item of an attempt's paper,
// the response that scores full points, as the contestant would send it
// (letters as shown after shuffling, the first accepted text per blank). For
// the demo and load tools, never for contestants.
func (s *Service) CorrectResponses(ctx context.Context, attemptID int64) (map[int]json.RawMessage, error) {
	db := s.db.WithContext(ctx)
	var a Attempt
	if err := db.Where("id = ?", attemptID).Take(&a).Error; err != nil {
		return nil, dbError(err, "correct responses")
	}
	var p Paper
	if err := db.Where("id = ?", a.PaperID).Take(&p).Error; err != nil {
		return nil, err
	}
	items := p.Items()
	vs, err := s.itemVersions(ctx, items)
	if err != nil {
		return nil, err
	}
	out := map[int]json.RawMessage{}
	for _, it := range items {
		k := keyAsShown(vs[it.VersionID].Draft().Key, it.OptionOrder)
		var v any
		switch it.Type {
		case content.SingleChoice:
			if len(k.Choices) > 0 {
				v = k.Choices[0]
			}
		case content.MultipleChoice:
			v = k.Choices
		case content.TrueFalse:
			if k.True != nil {
				v = *k.True
			}
		case content.FillBlank:
			blanks := make([]string, len(k.Blanks))
			for i, b := range k.Blanks {
				if len(b.Accepted) > 0 {
					blanks[i] = b.Accepted[0]
				}
			}
			v = blanks
		default:
			continue
		}
		b, _ := json.Marshal(v)
		out[it.Position] = b
	}
	return out, nil
}

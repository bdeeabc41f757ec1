package scoring

import (
	"context"
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
	"skillarena/org"
)

// Contestant is a practical contestant with their team.
type Contestant struct {
	Member
	TeamID   int64
	TeamName string
}

func contestantOf(e practicalEntry) Contestant {
	return Contestant{Member: Member{UserID: e.UserID, Username: e.Username, Name: e.Name}, TeamID: e.TeamID, TeamName: e.TeamName}
}

// JudgeMarks are one judge's marks of a contestant.
type JudgeMarks struct {
	JudgeID   int64
	Username  string
	Name      string
	Total     skillarena.Points
	SignedOff bool
	Marks     []Mark
}

func judgeMarksOf(sh *sheet) JudgeMarks {
	return JudgeMarks{JudgeID: sh.Judge.UserID, Username: sh.Judge.Username, Name: sh.Judge.Name, Total: sh.Total,
		SignedOff: sh.SignedOff, Marks: sh.Marks}
}

// JudgingContestant is a contestant a judge marks, with the judge's progress.
type JudgingContestant struct {
	Contestant
	// Marked counts the criteria the judge has marked.
	Marked    int
	SignedOff bool
}

// JudgingStation is a station the judge sits on, with the contestants they
// mark there (those they have a conflict of interest with are left out).
type JudgingStation struct {
	Station
	StageName   string
	Task        Task
	Chief       bool
	Contestants []JudgingContestant
}

// Judging lists the caller's stations and the contestants they mark there,
// with their own progress; never another judge's marks.
func (s *Service) Judging(ctx context.Context, judgeID int64) ([]JudgingStation, error) {
	db := s.db.WithContext(ctx)
	var mine []StationJudge
	if err := db.Where("user_id = ?", judgeID).Order("stage_id DESC, station_id").Find(&mine).Error; err != nil {
		return nil, err
	}
	out := []JudgingStation{}
	books := map[int64]*book{}
	for _, m := range mine {
		b := books[m.StageID]
		if b == nil {
			var err error
			if b, err = loadBook(db, m.StageID, 0); err != nil {
				return nil, err
			}
			books[m.StageID] = b
		}
		st := b.stations[m.StationID]
		js := JudgingStation{Station: st, StageName: b.stage.Name, Task: b.tasks[st.TaskID], Chief: m.Chief, Contestants: []JudgingContestant{}}
		for _, e := range b.entries {
			if p, ok := b.placed[e.UserID]; !ok || p.StationID != st.ID {
				continue
			}
			v, _ := b.view(e.UserID)
			if !v.onPanel(judgeID) {
				continue
			}
			jc := JudgingContestant{Contestant: contestantOf(e)}
			if sh := v.sheets[judgeID]; sh != nil {
				jc.Marked, jc.SignedOff = len(sh.Marks), sh.SignedOff
			}
			js.Contestants = append(js.Contestants, jc)
		}
		out = append(out, js)
	}
	return out, nil
}

// JudgeSheet is what a judge sees of one contestant: the task and rubric,
// their own marks, and, only once they have signed off, the other judges'
// signed-off marks.
type JudgeSheet struct {
	StageID     int64
	StageName   string
	Station     Station
	Task        Task
	Contestant  Contestant
	Marks       []Mark
	Total       skillarena.Points
	SignedOffAt *time.Time
	// Others is empty until the judge has signed off; then it holds the
	// other judges' signed-off marks (never a draft).
	Others []JudgeMarks
	// RemarkReason is why the judge was sent back to re-mark, until they
	// sign off again ("" otherwise).
	RemarkReason string
}

// judgeView reads one contestant's part of a stage for a judge on their
// panel: a contestant the judge does not sit for is not found; one they have
// a conflict of interest with is forbidden. With lock, the contestant's row
// is locked first, so changes of one contestant's marks run one at a time.
func (s *Service) judgeView(tx *gorm.DB, judgeID, stageID, contestantID int64, lock bool) (*book, contestantView, error) {
	if lock {
		if err := lockContestant(tx, stageID, contestantID); err != nil {
			return nil, contestantView{}, err
		}
	}
	b, err := loadBook(tx, stageID, contestantID)
	if err != nil {
		return nil, contestantView{}, err
	}
	v, ok := b.view(contestantID)
	if !ok || !v.placed {
		return nil, contestantView{}, skillarena.NotFound("contestant")
	}
	if slices.ContainsFunc(v.conflicted, func(j judgeInfo) bool { return j.UserID == judgeID }) {
		return nil, contestantView{}, skillarena.NewError(skillarena.EFORBIDDEN, "practical.conflict_of_interest", nil)
	}
	if !v.onPanel(judgeID) {
		return nil, contestantView{}, skillarena.NotFound("contestant")
	}
	return b, v, nil
}

// lockContestant locks a practical contestant's row; one who is not placed
// at a station is not found.
func lockContestant(tx *gorm.DB, stageID, contestantID int64) error {
	var pc PracticalContestant
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
		Where("stage_id = ? AND user_id = ?", stageID, contestantID).Take(&pc).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return skillarena.NotFound("contestant")
	}
	return err
}

func (s *Service) sheetOf(b *book, v contestantView, judgeID int64) JudgeSheet {
	out := JudgeSheet{StageID: b.stage.ID, StageName: b.stage.Name, Station: v.station, Task: v.task,
		Contestant: contestantOf(v.entry), Marks: []Mark{}, Others: []JudgeMarks{}}
	sh := v.sheets[judgeID]
	if sh == nil {
		return out
	}
	out.Marks, out.Total = sh.Marks, sh.Total
	if !sh.SignedOff {
		for _, m := range sh.Marks {
			if m.RemarkReason != "" {
				out.RemarkReason = m.RemarkReason
			}
		}
		return out
	}
	out.SignedOffAt = sh.Marks[0].SignedOffAt
	for _, o := range v.signed() {
		if o.Judge.UserID != judgeID {
			out.Others = append(out.Others, judgeMarksOf(o))
		}
	}
	return out
}

// JudgeSheet returns the caller's sheet for a contestant they mark.
func (s *Service) JudgeSheet(ctx context.Context, judgeID, stageID, contestantID int64) (JudgeSheet, error) {
	b, v, err := s.judgeView(s.db.WithContext(ctx), judgeID, stageID, contestantID, false)
	if err != nil {
		return JudgeSheet{}, err
	}
	return s.sheetOf(b, v, judgeID), nil
}

// MarkInput is a judge's mark of one criterion.
type MarkInput struct {
	CriterionID int64
	Points      skillarena.Points
	Comment     string
}

// MaxCommentRunes bounds a mark's comment and a reason or note.
const MaxCommentRunes = 2000

// SaveMarks records the caller's marks of some criteria for a contestant on
// their panel, independently of the other judges. Each mark is checked
// against its criterion (0..maximum for a measurement, a value of the scale
// for a judgement). After the judge's sign-off the marks are locked
// (conflict practical.marks_locked). Every mark that changes gets an audit
// entry with its value before and after.
func (s *Service) SaveMarks(ctx context.Context, judgeID, stageID, contestantID int64, in []MarkInput) (JudgeSheet, error) {
	if len(in) == 0 || len(in) > MaxCriteria {
		return JudgeSheet{}, skillarena.Invalid(map[string]string{"marks": "practical.marks_required"})
	}
	now := s.clock.Now()
	var out JudgeSheet
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		b, v, err := s.judgeView(tx, judgeID, stageID, contestantID, true)
		if err != nil {
			return err
		}
		var mine []Mark
		if sh := v.sheets[judgeID]; sh != nil {
			mine = sh.Marks
		}
		if slices.ContainsFunc(mine, func(m Mark) bool { return m.SignedOffAt != nil }) {
			return skillarena.NewError(skillarena.ECONFLICT, "practical.marks_locked", nil)
		}
		if err := checkMarks(v.task, in); err != nil {
			return err
		}
		var changes []org.Change
		for _, mi := range in {
			i := slices.IndexFunc(mine, func(m Mark) bool { return m.CriterionID == mi.CriterionID })
			var before any
			var m Mark
			if i >= 0 {
				m = mine[i]
				if m.Points == mi.Points && m.Comment == mi.Comment {
					continue
				}
				before = map[string]any{"points": m.Points, "comment": m.Comment}
				res := tx.Model(&Mark{}).Where("id = ? AND signed_off_at IS NULL", m.ID).
					Updates(map[string]any{"points": mi.Points, "comment": mi.Comment, "updated_at": now})
				if res.Error != nil {
					return res.Error
				}
				if res.RowsAffected == 0 {
					return skillarena.NewError(skillarena.ECONFLICT, "practical.marks_locked", nil)
				}
				m.Points, m.Comment, m.UpdatedAt = mi.Points, mi.Comment, now
			} else {
				m = Mark{StageID: stageID, StationID: v.station.ID, ContestantID: contestantID, JudgeID: judgeID,
					CriterionID: mi.CriterionID, Points: mi.Points, Comment: mi.Comment, CreatedAt: now, UpdatedAt: now}
				if err := tx.Create(&m).Error; err != nil {
					return err
				}
			}
			changes = append(changes, org.Change{Action: "practical.mark", ObjectType: "practical_mark", ObjectID: strconv.FormatInt(m.ID, 10),
				OrgUnitID: &b.stage.OrgUnitID, Before: before, After: markState(m)})
		}
		if len(changes) > 0 {
			if err := s.audit.AppendMany(ctx, tx, changes); err != nil {
				return err
			}
		}
		b2, err := loadBook(tx, stageID, contestantID)
		if err != nil {
			return err
		}
		v2, _ := b2.view(contestantID)
		out = s.sheetOf(b2, v2, judgeID)
		return nil
	})
	return out, dbError(err, "save practical marks")
}

func markState(m Mark) map[string]any {
	return map[string]any{"stage_id": m.StageID, "contestant_id": m.ContestantID, "judge_id": m.JudgeID,
		"criterion_id": m.CriterionID, "points": m.Points, "comment": m.Comment}
}

// checkMarks checks marks against the task's rubric, naming the wrong field.
func checkMarks(t Task, in []MarkInput) error {
	f := map[string]string{}
	args := map[string]map[string]any{}
	seen := map[int64]bool{}
	for i, mi := range in {
		key := fmt.Sprintf("marks[%d]", i)
		c, ok := t.criterion(mi.CriterionID)
		switch {
		case !ok || seen[mi.CriterionID]:
			f[key+".criterion_id"] = "practical.criterion_unknown"
		case c.Kind == CriterionJudgement && !c.Allows(mi.Points):
			f[key+".points"] = "practical.points_not_on_scale"
			scale := make([]string, len(c.Scale))
			for j, p := range c.Scale {
				scale[j] = p.String()
			}
			args[key+".points"] = map[string]any{"Scale": strings.Join(scale, ", ")}
		case !c.Allows(mi.Points):
			f[key+".points"] = "practical.points_range"
			args[key+".points"] = map[string]any{"Max": c.MaxPoints.String()}
		}
		seen[mi.CriterionID] = true
		if utf8.RuneCountInString(mi.Comment) > MaxCommentRunes {
			f[key+".comment"] = "practical.comment_too_long"
		}
	}
	if len(f) > 0 {
		return &skillarena.Error{Code: skillarena.EINVALID, Message: "error.invalid_fields", Fields: f, FieldArgs: args}
	}
	return nil
}

// SignOff locks the caller's marks of a contestant: every criterion must be
// marked (conflict practical.sheet_incomplete), and a second sign-off is a
// conflict (practical.already_signed_off). From then on the judge sees the
// other judges' signed-off marks, and only the chief judge changes theirs.
// Audited.
func (s *Service) SignOff(ctx context.Context, judgeID, stageID, contestantID int64) (JudgeSheet, error) {
	now := s.clock.Now()
	var out JudgeSheet
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		b, v, err := s.judgeView(tx, judgeID, stageID, contestantID, true)
		if err != nil {
			return err
		}
		sh := v.sheets[judgeID]
		if sh != nil && sh.SignedOff {
			return skillarena.NewError(skillarena.ECONFLICT, "practical.already_signed_off", nil)
		}
		criteria := len(v.task.Criteria())
		if sh == nil || len(sh.Marks) < criteria {
			marked := 0
			if sh != nil {
				marked = len(sh.Marks)
			}
			return skillarena.NewError(skillarena.ECONFLICT, "practical.sheet_incomplete", map[string]any{"Missing": criteria - marked})
		}
		if err := tx.Model(&Mark{}).Where("stage_id = ? AND contestant_id = ? AND judge_id = ?", stageID, contestantID, judgeID).
			Updates(map[string]any{"signed_off_at": now, "remark_reason": ""}).Error; err != nil {
			return err
		}
		points := map[string]skillarena.Points{}
		for _, m := range sh.Marks {
			points[strconv.FormatInt(m.CriterionID, 10)] = m.Points
		}
		if err := s.audit.Append(ctx, tx, org.Change{Action: "practical.sign_off", ObjectType: "practical_contestant",
			ObjectID: contestantObject(stageID, contestantID), OrgUnitID: &b.stage.OrgUnitID,
			After: map[string]any{"judge_id": judgeID, "total": sh.Total, "marks": points}}); err != nil {
			return err
		}
		b2, err := loadBook(tx, stageID, contestantID)
		if err != nil {
			return err
		}
		v2, _ := b2.view(contestantID)
		out = s.sheetOf(b2, v2, judgeID)
		return nil
	})
	return out, dbError(err, "sign off practical marks")
}

func contestantObject(stageID, contestantID int64) string {
	return strconv.FormatInt(stageID, 10) + "/" + strconv.FormatInt(contestantID, 10)
}

// chiefRights is how the caller may act on a stage's discrepancies: as its
// organiser, on every station, or as the chief judge of some stations, on
// the contestants marked there.
type chiefRights struct {
	organiser bool
	stations  []int64
}

// covers reports whether the caller acts on the contestants of a station.
func (r chiefRights) covers(stationID int64) bool {
	return r.organiser || slices.Contains(r.stations, stationID)
}

// judgeRows lists the caller's assignments in a stage.
func (s *Service) judgeRows(ctx context.Context, stageID int64) ([]StationJudge, error) {
	var js []StationJudge
	err := s.db.WithContext(ctx).Where("stage_id = ? AND user_id = ?", stageID, skillarena.ActorID(ctx)).Find(&js).Error
	return js, err
}

// chiefAccess tells how the caller may act on a stage's discrepancies: as the
// chief judge of some of its stations (by assignment) or as its organiser
// (orgScope is the caller's organiser scope). Anyone else does not find the
// stage.
func (s *Service) chiefAccess(ctx context.Context, orgScope org.Scope, stageID int64) (chiefRights, error) {
	var r chiefRights
	js, err := s.judgeRows(ctx, stageID)
	if err != nil {
		return r, err
	}
	for _, j := range js {
		if j.Chief {
			r.stations = append(r.stations, j.StationID)
		}
	}
	if !orgScope.Empty() {
		a, err := s.Access(ctx, orgScope, stageID)
		if err != nil && skillarena.ErrorCode(err) != skillarena.ENOTFOUND {
			return r, err
		}
		r.organiser = err == nil && a.Organiser
	}
	if len(r.stations) == 0 && !r.organiser {
		return r, skillarena.NotFound("stage")
	}
	return r, nil
}

// Discrepancy is a contestant whose judges' totals differ by more than the
// stage's threshold, awaiting the chief judge of their station. Task is the
// station's task, whose rubric names the criteria of the marks.
type Discrepancy struct {
	Contestant
	Station   Station
	Task      Task
	Judges    []JudgeMarks
	Spread    skillarena.Points
	Threshold skillarena.Points
}

// Discrepancies lists the stage's open discrepancies the caller may resolve:
// every one for its organiser; for a chief judge those of the contestants at
// their stations, leaving out contestants the chief has a conflict of
// interest with. Only signed-off marks appear, and only once every judge of
// the contestant's panel has signed off.
func (s *Service) Discrepancies(ctx context.Context, orgScope org.Scope, stageID int64) ([]Discrepancy, error) {
	rights, err := s.chiefAccess(ctx, orgScope, stageID)
	if err != nil {
		return nil, err
	}
	b, err := loadBook(s.db.WithContext(ctx), stageID, 0)
	if err != nil {
		return nil, err
	}
	me := b.judgePath(skillarena.ActorID(ctx))
	out := []Discrepancy{}
	for _, e := range b.entries {
		v, _ := b.view(e.UserID)
		if !v.discrepant(b.set.Threshold) || !rights.covers(v.station.ID) || (!rights.organiser && ConflictOfInterest(b.path, me, e.LinePath)) {
			continue
		}
		d := Discrepancy{Contestant: contestantOf(e), Station: v.station, Task: v.task, Spread: v.spread(), Threshold: b.set.Threshold}
		for _, sh := range v.signed() {
			d.Judges = append(d.Judges, judgeMarksOf(sh))
		}
		out = append(out, d)
	}
	return out, nil
}

// ResolveAction is the chief judge's answer to a discrepancy.
type ResolveAction string

// The resolutions.
const (
	// ResolveAccept accepts the judges' totals as they stand, with a note;
	// a later change of the totals flags the contestant again.
	ResolveAccept ResolveAction = "accept"
	// ResolveRemark reopens one judge's sheet (their sign-off is withdrawn)
	// so they mark again and sign off again; the note is the reason, shown
	// on the judge's sheet until they do.
	ResolveRemark ResolveAction = "remark"
)

// Resolution is the chief judge's answer to a discrepancy.
type Resolution struct {
	Action  ResolveAction
	Note    string
	JudgeID int64 // the judge to re-mark, with ResolveRemark
}

// Resolve answers a contestant's open discrepancy: the chief judge of the
// contestant's station (without a conflict of interest) or the stage's
// organiser accepts the totals with a note, or asks one of the judges to
// re-mark with a reason, which the judge reads on their sheet. A chief judge
// of another station does not find the contestant. Audited.
func (s *Service) Resolve(ctx context.Context, orgScope org.Scope, stageID, contestantID int64, in Resolution) error {
	rights, err := s.chiefAccess(ctx, orgScope, stageID)
	if err != nil {
		return err
	}
	in.Note = strings.TrimSpace(in.Note)
	f := map[string]string{}
	if in.Note == "" || utf8.RuneCountInString(in.Note) > MaxCommentRunes {
		f["note"] = "practical.note_required"
	}
	switch in.Action {
	case ResolveAccept:
	case ResolveRemark:
		if in.JudgeID == 0 {
			f["judge_id"] = "field.required"
		}
	default:
		f["action"] = "practical.action_unknown"
	}
	if len(f) > 0 {
		return skillarena.Invalid(f)
	}
	now := s.clock.Now()
	actor := skillarena.ActorID(ctx)
	return dbError(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockContestant(tx, stageID, contestantID); err != nil {
			return err
		}
		b, err := loadBook(tx, stageID, contestantID)
		if err != nil {
			return err
		}
		v, ok := b.view(contestantID)
		if !ok || !rights.covers(v.station.ID) {
			return skillarena.NotFound("contestant")
		}
		if !rights.organiser && ConflictOfInterest(b.path, b.judgePath(actor), v.entry.LinePath) {
			return skillarena.NewError(skillarena.EFORBIDDEN, "practical.conflict_of_interest", nil)
		}
		if !v.discrepant(b.set.Threshold) {
			return skillarena.NewError(skillarena.ECONFLICT, "practical.no_discrepancy", nil)
		}
		key := v.totalsKey()
		obj := contestantObject(stageID, contestantID)
		if in.Action == ResolveAccept {
			if err := tx.Model(&PracticalContestant{}).Where("stage_id = ? AND user_id = ?", stageID, contestantID).
				Updates(map[string]any{"resolved_at": now, "resolved_by": actor, "resolution_note": in.Note,
					"resolved_totals_json": key, "updated_at": now}).Error; err != nil {
				return err
			}
			return s.audit.Append(ctx, tx, org.Change{Action: "practical.resolve", ObjectType: "practical_contestant", ObjectID: obj,
				OrgUnitID: &b.stage.OrgUnitID, Before: map[string]any{"totals": key, "spread": v.spread()},
				After: map[string]any{"action": ResolveAccept, "totals": key}, Reason: in.Note})
		}
		sh := v.sheets[in.JudgeID]
		if sh == nil || !sh.SignedOff {
			return skillarena.Invalid(map[string]string{"judge_id": "practical.judge_not_signed_off"})
		}
		if err := tx.Model(&Mark{}).Where("stage_id = ? AND contestant_id = ? AND judge_id = ?", stageID, contestantID, in.JudgeID).
			Updates(map[string]any{"signed_off_at": nil, "remark_reason": in.Note, "updated_at": now}).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "practical.remark", ObjectType: "practical_contestant", ObjectID: obj,
			OrgUnitID: &b.stage.OrgUnitID, Before: map[string]any{"judge_id": in.JudgeID, "signed_off": true, "total": sh.Total, "totals": key},
			After: map[string]any{"action": ResolveRemark, "judge_id": in.JudgeID, "signed_off": false}, Reason: in.Note})
	}), "resolve discrepancy")
}

// CorrectMark changes a signed-off mark: only the chief judge of the mark's
// station does (another judge of the stage is forbidden), without a conflict
// of interest with the contestant, and with a reason; the mark stays signed
// off. A mark not yet signed off is the judge's own to change (conflict
// practical.mark_not_signed_off). Audited with the reason.
func (s *Service) CorrectMark(ctx context.Context, stageID, markID int64, points skillarena.Points, reason string) (Mark, error) {
	actor := skillarena.ActorID(ctx)
	js, err := s.judgeRows(ctx, stageID)
	if err != nil {
		return Mark{}, err
	}
	if len(js) == 0 {
		return Mark{}, skillarena.NotFound("stage")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxCommentRunes {
		return Mark{}, skillarena.Invalid(map[string]string{"reason": "practical.reason_required"})
	}
	now := s.clock.Now()
	// Find the mark's contestant first, outside the transaction: on MySQL a
	// plain read inside it would fix its snapshot before the contestant's
	// lock is held, and later reads would miss a change committed meanwhile.
	var m Mark
	if err := s.db.WithContext(ctx).Where("id = ? AND stage_id = ?", markID, stageID).Take(&m).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return Mark{}, skillarena.NotFound("mark")
	} else if err != nil {
		return Mark{}, err
	}
	if !slices.ContainsFunc(js, func(j StationJudge) bool { return j.Chief && j.StationID == m.StationID }) {
		return Mark{}, skillarena.NewError(skillarena.EFORBIDDEN, "practical.chief_only", nil)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockContestant(tx, stageID, m.ContestantID); err != nil {
			return err
		}
		if err := tx.Where("id = ?", markID).Take(&m).Error; err != nil {
			return err
		}
		b, err := loadBook(tx, stageID, m.ContestantID)
		if err != nil {
			return err
		}
		v, ok := b.view(m.ContestantID)
		if !ok {
			return skillarena.NotFound("mark")
		}
		if ConflictOfInterest(b.path, b.judgePath(actor), v.entry.LinePath) {
			return skillarena.NewError(skillarena.EFORBIDDEN, "practical.conflict_of_interest", nil)
		}
		if m.SignedOffAt == nil {
			return skillarena.NewError(skillarena.ECONFLICT, "practical.mark_not_signed_off", nil)
		}
		if err := checkMarks(v.task, []MarkInput{{CriterionID: m.CriterionID, Points: points}}); err != nil {
			var e *skillarena.Error
			errors.As(err, &e)
			if msg, ok := e.Fields["marks[0].points"]; ok {
				return &skillarena.Error{Code: skillarena.EINVALID, Message: "error.invalid_fields", Fields: map[string]string{"points": msg},
					FieldArgs: map[string]map[string]any{"points": e.FieldArgs["marks[0].points"]}}
			}
			return err
		}
		if m.Points == points {
			return nil
		}
		before := m.Points
		if err := tx.Model(&Mark{}).Where("id = ?", m.ID).Updates(map[string]any{"points": points, "updated_at": now}).Error; err != nil {
			return err
		}
		m.Points, m.UpdatedAt = points, now
		return s.audit.Append(ctx, tx, org.Change{Action: "practical.correct", ObjectType: "practical_mark", ObjectID: strconv.FormatInt(m.ID, 10),
			OrgUnitID: &b.stage.OrgUnitID, Before: map[string]any{"points": before}, After: markState(m), Reason: reason})
	})
	return m, dbError(err, "correct practical mark")
}

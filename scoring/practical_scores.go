package scoring

import (
	"context"
	"errors"
	"math/big"
	"time"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// JudgeTotal is one judge's total for a contestant (the sum of their marks
// over the task's criteria). Total is 0 until the judge has signed off, so a
// draft never leaves the service through a score.
type JudgeTotal struct {
	JudgeID   int64
	Total     skillarena.Points
	SignedOff bool
}

// PracticalScore is a contestant's practical score in a stage.
type PracticalScore struct {
	UserID int64
	// TeamID is the team's org unit (0 for a stage of individuals).
	TeamID int64
	// StationID is the contestant's station (0 when not placed yet).
	StationID int64
	// Exact is JudgesScore over the signed-off judges' totals by the stage's
	// aggregation; nil when no judge has signed off.
	Exact *big.Rat
	// Points is Exact rounded once, half up, at the stage's precision (0
	// when Exact is nil): the published individual practical score.
	Points skillarena.Points
	// Judges are the totals behind the score: one per judge of the panel
	// and per other judge with signed-off marks, by judge id; only
	// SignedOff ones count in Exact.
	Judges []JudgeTotal
	// Complete: every judge of the contestant's panel has signed off and
	// no discrepancy is open. Rankings publish only complete scores.
	Complete bool
	// Discrepancy: the signed-off totals differ by more than the stage's
	// threshold and the chief judge has not resolved it.
	Discrepancy bool
}

// PracticalScores returns the practical score of every practical contestant
// of the stage (roster slots nominee and drawn; for a stage of individuals,
// its written entries), keyed by user id. It does not check access: callers
// check Access(ctx, scope, stageID) first.
func (s *Service) PracticalScores(ctx context.Context, stageID int64) (map[int64]PracticalScore, error) {
	b, err := loadBook(s.db.WithContext(ctx), stageID, 0)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]PracticalScore, len(b.entries))
	for _, e := range b.entries {
		v, _ := b.view(e.UserID)
		out[e.UserID] = b.score(v)
	}
	return out, nil
}

// score is a contestant's practical score from their view.
func (b *book) score(v contestantView) PracticalScore {
	p := PracticalScore{UserID: v.entry.UserID, TeamID: v.entry.TeamID, StationID: v.station.ID, Judges: []JudgeTotal{}}
	seen := map[int64]bool{}
	for _, j := range v.panel {
		seen[j.UserID] = true
		jt := JudgeTotal{JudgeID: j.UserID}
		if sh := v.sheets[j.UserID]; sh != nil && sh.SignedOff {
			jt.Total, jt.SignedOff = sh.Total, true
		}
		p.Judges = append(p.Judges, jt)
	}
	for _, sh := range v.signed() {
		if !seen[sh.Judge.UserID] {
			p.Judges = append(p.Judges, JudgeTotal{JudgeID: sh.Judge.UserID, Total: sh.Total, SignedOff: true})
		}
	}
	p.Exact = v.exact(b.set.Aggregation)
	if p.Exact != nil {
		p.Points = RoundHalfUp(p.Exact, b.set.Precision)
	}
	p.Discrepancy = v.discrepant(b.set.Threshold)
	p.Complete = v.panelDone() && !p.Discrepancy
	return p
}

// PracticalResult is a contestant's practical score with the names and marks
// behind it, for the stage organiser and the chief judge.
type PracticalResult struct {
	Contestant
	Station PracticalStationRef
	Score   PracticalScore
	// Judges are the signed-off sheets behind the score (never a draft).
	Judges []JudgeMarks
	// Pending are the panel's judges who have not signed off yet.
	Pending []Member
}

// PracticalStationRef names a station.
type PracticalStationRef struct {
	ID   int64
	Name string
}

// PracticalResults lists the stage's practical contestants with their scores
// and the signed-off marks behind them: every one for the stage organiser
// (orgScope is the caller's organiser scope), those at their stations for a
// chief judge. contestantID, when not 0, restricts the list to one
// contestant (not found when they are not one the caller sees).
func (s *Service) PracticalResults(ctx context.Context, orgScope org.Scope, stageID, contestantID int64) ([]PracticalResult, error) {
	rights, err := s.chiefAccess(ctx, orgScope, stageID)
	if err != nil {
		return nil, err
	}
	b, err := loadBook(s.db.WithContext(ctx), stageID, contestantID)
	if err != nil {
		return nil, err
	}
	out := make([]PracticalResult, 0, len(b.entries))
	for _, e := range b.entries {
		v, _ := b.view(e.UserID)
		if !rights.covers(v.station.ID) {
			continue
		}
		r := PracticalResult{Contestant: contestantOf(e), Station: PracticalStationRef{ID: v.station.ID, Name: v.station.Name},
			Score: b.score(v), Judges: []JudgeMarks{}, Pending: []Member{}}
		for _, sh := range v.signed() {
			r.Judges = append(r.Judges, judgeMarksOf(sh))
		}
		for _, j := range v.panel {
			if sh := v.sheets[j.UserID]; sh == nil || !sh.SignedOff {
				r.Pending = append(r.Pending, Member{UserID: j.UserID, Username: j.Username, Name: j.Name})
			}
		}
		out = append(out, r)
	}
	if contestantID != 0 && len(out) == 0 {
		return nil, skillarena.NotFound("contestant")
	}
	return out, nil
}

// SignedOffMark is one signed-off criterion mark, for the public live board.
type SignedOffMark struct {
	MarkID       int64
	StationID    int64
	TaskID       int64
	CriterionID  int64
	JudgeID      int64
	ContestantID int64
	TeamID       int64
	Points       skillarena.Points
	SignedOffAt  time.Time
}

// SignedOffMarks lists the stage's signed-off marks only (never a mark
// before its judge signed off), by sign-off time then id: the feed of the
// live board during the practical round. It does not check access (the
// board is public). A mark sent back for re-marking leaves the list until
// its judge signs off again.
func (s *Service) SignedOffMarks(ctx context.Context, stageID int64) ([]SignedOffMark, error) {
	db := s.db.WithContext(ctx)
	var st Stage
	if err := db.Where("id = ?", stageID).Take(&st).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, skillarena.NotFound("stage")
	} else if err != nil {
		return nil, err
	}
	var marks []Mark
	if err := db.Where("stage_id = ? AND signed_off_at IS NOT NULL", stageID).Order("signed_off_at, id").Find(&marks).Error; err != nil {
		return nil, err
	}
	var stations []Station
	if err := db.Where("stage_id = ?", stageID).Find(&stations).Error; err != nil {
		return nil, err
	}
	entries, err := practicalEntries(db, st)
	if err != nil {
		return nil, err
	}
	teams := map[int64]int64{}
	for _, e := range entries {
		teams[e.UserID] = e.TeamID
	}
	tasks := map[int64]int64{}
	for _, s := range stations {
		tasks[s.ID] = s.TaskID
	}
	out := make([]SignedOffMark, len(marks))
	for i, m := range marks {
		out[i] = SignedOffMark{MarkID: m.ID, StationID: m.StationID, TaskID: tasks[m.StationID], CriterionID: m.CriterionID,
			JudgeID: m.JudgeID, ContestantID: m.ContestantID, TeamID: teams[m.ContestantID], Points: m.Points, SignedOffAt: *m.SignedOffAt}
	}
	return out, nil
}

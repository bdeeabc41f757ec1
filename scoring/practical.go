package scoring

import (
	"context"
	"errors"
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

// The practical round (DOMAIN.md "A competition", rule 3). A stage has tasks
// with rubrics; a station runs one task with a panel of judges; each
// practical contestant is marked at one station. Each judge of the panel
// marks every criterion independently and signs off, which locks their
// marks; a judge sees other judges' marks of a contestant only after signing
// off, and only signed-off ones. A contestant's score combines the judges'
// totals by the stage's aggregation. Totals that differ by more than the
// stage's threshold are flagged for the chief judge of the contestant's
// station, who accepts them with a note or sends one judge back to re-mark
// (so does the stage organiser). A signed-off mark changes only by the
// station's chief judge's correction with a reason. Every change of a mark is
// audited in its transaction.

// Station is where a panel of judges marks contestants doing one task.
type Station struct {
	ID        int64
	StageID   int64
	TaskID    int64
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (Station) TableName() string { return "practical_stations" }

// StationJudge assigns a judge to a station; Chief marks the station's chief
// judge (at most one per station; one judge may be chief at several).
type StationJudge struct {
	StationID int64 `gorm:"primaryKey"`
	UserID    int64 `gorm:"primaryKey"`
	StageID   int64
	Chief     bool
	CreatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (StationJudge) TableName() string { return "practical_judges" }

// PracticalContestant places a practical contestant at a station and keeps
// the chief judge's acceptance of a discrepancy: ResolvedTotalsJSON are the
// judges' totals accepted, so a later change of marks flags it again.
type PracticalContestant struct {
	StageID            int64 `gorm:"primaryKey"`
	UserID             int64 `gorm:"primaryKey"`
	StationID          int64
	ResolvedAt         *time.Time
	ResolvedBy         *int64
	ResolutionNote     string
	ResolvedTotalsJSON *string `gorm:"column:resolved_totals_json"`
	UpdatedAt          time.Time
}

// TableName keeps GORM's table name explicit.
func (PracticalContestant) TableName() string { return "practical_contestants" }

// Mark is a judge's mark of one criterion for one contestant. SignedOffAt is
// set on all of a judge's marks of a contestant together.
type Mark struct {
	ID           int64
	StageID      int64
	StationID    int64
	ContestantID int64
	JudgeID      int64
	CriterionID  int64
	Points       skillarena.Points
	Comment      string
	SignedOffAt  *time.Time
	// RemarkReason is why the judge was sent back to re-mark, until they
	// sign off again.
	RemarkReason string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName keeps GORM's table name explicit.
func (Mark) TableName() string { return "practical_marks" }

// ConflictOfInterest reports whether a judge whose unit has path judgePath
// may not mark a contestant of the team unit teamPath in a stage run in the
// unit stagePath: both units lie below the stage's unit and on one line, one
// containing the other (the same county, or a region and one of its
// counties). A judge of the stage's unit or above (a province judge in a
// provincial stage) marks every team, and so does a judge from outside the
// stage's unit. Paths are materialised ("/1/4/"), so containing is a prefix.
func ConflictOfInterest(stagePath, judgePath, teamPath string) bool {
	below := func(p string) bool { return p != stagePath && strings.HasPrefix(p, stagePath) }
	if !below(judgePath) || !below(teamPath) {
		return false
	}
	return strings.HasPrefix(judgePath, teamPath) || strings.HasPrefix(teamPath, judgePath)
}

// practicalEntry is a contestant of a stage's practical round.
type practicalEntry struct {
	UserID   int64
	Username string
	Name     string
	TeamID   int64
	TeamName string
	// LinePath is the unit the conflict of interest is judged on: the team's
	// unit, or for a stage of individuals the contestant's own unit.
	LinePath string
}

// practicalEntries lists a stage's practical contestants by user id: the
// roster entries in the nominee and drawn slots, or for a stage of
// individuals every written entry (all of them do the practical). A nominee
// who is also drawn is listed once.
func practicalEntries(db *gorm.DB, st Stage) ([]practicalEntry, error) {
	slots := []Slot{SlotNominee, SlotDrawn}
	if st.Kind == StageIndividuals {
		slots = []Slot{SlotWritten}
	}
	var rows []struct {
		UserID   int64
		Username string
		Name     string
		TeamID   int64
		TeamName *string
		TeamPath *string
		UserPath string
	}
	err := db.Table("roster_entries").
		Select("roster_entries.user_id, users.username, users.name, roster_entries.team_id, teams.name AS team_name, teams.path AS team_path, own.path AS user_path").
		Joins("JOIN users ON users.id = roster_entries.user_id").
		Joins("JOIN org_units own ON own.id = users.org_unit_id").
		Joins("LEFT JOIN org_units teams ON teams.id = roster_entries.team_id").
		Where("roster_entries.stage_id = ? AND roster_entries.slot IN ?", st.ID, slots).
		Order("roster_entries.user_id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]practicalEntry, 0, len(rows))
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1].UserID == r.UserID {
			continue
		}
		e := practicalEntry{UserID: r.UserID, Username: r.Username, Name: r.Name, TeamID: r.TeamID, LinePath: r.UserPath}
		if r.TeamPath != nil {
			e.TeamName, e.LinePath = *r.TeamName, *r.TeamPath
		}
		out = append(out, e)
	}
	return out, nil
}

// StationInput is a station to create.
type StationInput struct {
	Name   string
	TaskID int64
}

// CreateStation adds a station running one of the stage's tasks; only the
// stage organiser does. Audited.
func (s *Service) CreateStation(ctx context.Context, a StageAccess, in StationInput) (Station, error) {
	if !a.Organiser {
		return Station{}, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	in.Name = strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > 200 {
		return Station{}, skillarena.Invalid(map[string]string{"name": "field.required"})
	}
	now := s.clock.Now()
	st := Station{StageID: a.Stage.ID, TaskID: in.TaskID, Name: in.Name, CreatedAt: now, UpdatedAt: now}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Task{}).Where("id = ? AND stage_id = ?", in.TaskID, a.Stage.ID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return skillarena.Invalid(map[string]string{"task_id": "practical.task_unknown"})
		}
		if err := tx.Create(&st).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "practical.station_create", ObjectType: "practical_station",
			ObjectID: strconv.FormatInt(st.ID, 10), OrgUnitID: &a.Stage.OrgUnitID,
			After: map[string]any{"stage_id": st.StageID, "task_id": st.TaskID, "name": st.Name}})
	})
	return st, dbError(err, "create station")
}

// StationJudgeDetail is a station's judge with their name.
type StationJudgeDetail struct {
	UserID   int64
	Username string
	Name     string
	Chief    bool
}

// StationDetail is a station with its task, judges and contestants.
type StationDetail struct {
	Station
	TaskName    string
	Judges      []StationJudgeDetail
	Contestants []Member
}

// Stations lists a stage's stations with their judges and contestants.
func (s *Service) Stations(ctx context.Context, a StageAccess) ([]StationDetail, error) {
	db := s.db.WithContext(ctx)
	var sts []Station
	if err := db.Where("stage_id = ?", a.Stage.ID).Order("id").Find(&sts).Error; err != nil {
		return nil, err
	}
	var tasks []Task
	if err := db.Where("stage_id = ?", a.Stage.ID).Find(&tasks).Error; err != nil {
		return nil, err
	}
	var judges []struct {
		StationID int64
		StationJudgeDetail
	}
	if err := db.Table("practical_judges").Select("practical_judges.station_id, practical_judges.user_id, practical_judges.chief, users.username, users.name").
		Joins("JOIN users ON users.id = practical_judges.user_id").Where("practical_judges.stage_id = ?", a.Stage.ID).
		Order("users.username").Scan(&judges).Error; err != nil {
		return nil, err
	}
	var cons []struct {
		StationID int64
		Member
	}
	if err := db.Table("practical_contestants").Select("practical_contestants.station_id, practical_contestants.user_id, users.username, users.name").
		Joins("JOIN users ON users.id = practical_contestants.user_id").Where("practical_contestants.stage_id = ?", a.Stage.ID).
		Order("users.username").Scan(&cons).Error; err != nil {
		return nil, err
	}
	out := make([]StationDetail, len(sts))
	for i, st := range sts {
		d := StationDetail{Station: st, Judges: []StationJudgeDetail{}, Contestants: []Member{}}
		for _, t := range tasks {
			if t.ID == st.TaskID {
				d.TaskName = t.Name
			}
		}
		for _, j := range judges {
			if j.StationID == st.ID {
				d.Judges = append(d.Judges, j.StationJudgeDetail)
			}
		}
		for _, c := range cons {
			if c.StationID == st.ID {
				d.Contestants = append(d.Contestants, c.Member)
			}
		}
		out[i] = d
	}
	return out, nil
}

// station loads a station and the caller's access to its stage; a station
// of a stage the caller does not run is not found.
func (s *Service) station(ctx context.Context, scope org.Scope, stationID int64) (Station, StageAccess, error) {
	var st Station
	if err := s.db.WithContext(ctx).Where("id = ?", stationID).Take(&st).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return Station{}, StageAccess{}, skillarena.NotFound("station")
	} else if err != nil {
		return Station{}, StageAccess{}, err
	}
	a, err := s.Access(ctx, scope, st.StageID)
	if skillarena.ErrorCode(err) == skillarena.ENOTFOUND || (err == nil && !a.Organiser) {
		return Station{}, StageAccess{}, skillarena.NotFound("station")
	}
	return st, a, err
}

// StationStage returns the stage a station belongs to (not found for no
// such station). It does not check access.
func (s *Service) StationStage(ctx context.Context, stationID int64) (int64, error) {
	var st Station
	if err := s.db.WithContext(ctx).Where("id = ?", stationID).Take(&st).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, skillarena.NotFound("station")
	} else if err != nil {
		return 0, err
	}
	return st.StageID, nil
}

// SetStationJudges replaces a station's judges; chiefID, when set, makes one
// of them the station's chief judge, and when nil leaves the station without
// one. Every judge holds a judge grant in a unit on one line with
// the stage's unit (above it, or below it), and is not a practical
// contestant of the stage. A judge who has marked at the station stays.
// Only the stage organiser assigns. Audited.
func (s *Service) SetStationJudges(ctx context.Context, scope org.Scope, stationID int64, judgeIDs []int64, chiefID *int64) error {
	st, a, err := s.station(ctx, scope, stationID)
	if err != nil {
		return err
	}
	ids := slices.Clone(judgeIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > 50 {
		return skillarena.Invalid(map[string]string{"judge_ids": "practical.too_many_judges"})
	}
	if chiefID != nil && !slices.Contains(ids, *chiefID) {
		return skillarena.Invalid(map[string]string{"chief_id": "practical.chief_not_judge"})
	}
	now := s.clock.Now()
	return dbError(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var grants []struct {
			UserID int64
			Path   string
		}
		if err := tx.Table("grants").Select("grants.user_id, org_units.path").Joins("JOIN org_units ON org_units.id = grants.org_unit_id").
			Where("grants.user_id IN ? AND grants.role = ?", append(ids, 0), org.RoleJudge).Scan(&grants).Error; err != nil {
			return err
		}
		for _, id := range ids {
			ok := false
			for _, g := range grants {
				if g.UserID == id && (strings.HasPrefix(a.UnitPath, g.Path) || strings.HasPrefix(g.Path, a.UnitPath)) {
					ok = true
				}
			}
			if !ok {
				return &skillarena.Error{Code: skillarena.EINVALID, Message: "error.invalid_fields", Fields: map[string]string{"judge_ids": "practical.not_a_judge"},
					FieldArgs: map[string]map[string]any{"judge_ids": {"ID": id}}}
			}
		}
		entries, err := practicalEntries(tx, a.Stage)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if slices.Contains(ids, e.UserID) {
				return skillarena.Invalid(map[string]string{"judge_ids": "practical.judge_is_contestant"})
			}
		}
		var before []StationJudge
		if err := tx.Where("station_id = ?", st.ID).Order("user_id").Find(&before).Error; err != nil {
			return err
		}
		for _, b := range before {
			if slices.Contains(ids, b.UserID) {
				continue
			}
			var n int64
			if err := tx.Model(&Mark{}).Where("station_id = ? AND judge_id = ?", st.ID, b.UserID).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return skillarena.NewError(skillarena.ECONFLICT, "practical.judge_has_marks", nil)
			}
		}
		if err := tx.Where("station_id = ?", st.ID).Delete(&StationJudge{}).Error; err != nil {
			return err
		}
		for _, id := range ids {
			j := StationJudge{StationID: st.ID, UserID: id, StageID: st.StageID, Chief: chiefID != nil && *chiefID == id, CreatedAt: now}
			if err := tx.Create(&j).Error; err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "practical.judges", ObjectType: "practical_station",
			ObjectID: strconv.FormatInt(st.ID, 10), OrgUnitID: &a.Stage.OrgUnitID,
			Before: judgesOf(before), After: map[string]any{"judge_ids": ids, "chief_id": chiefID}})
	}), "set station judges")
}

func judgesOf(js []StationJudge) map[string]any {
	ids := []int64{}
	var chief *int64
	for _, j := range js {
		ids = append(ids, j.UserID)
		if j.Chief {
			chief = &j.UserID
		}
	}
	return map[string]any{"judge_ids": ids, "chief_id": chief}
}

// SetStationContestants places practical contestants of the stage at a
// station, replacing those placed there before. A contestant placed at
// another station moves here; one with marks at another station, or removed
// from this one after being marked, is refused. Only the stage organiser
// places. Audited.
func (s *Service) SetStationContestants(ctx context.Context, scope org.Scope, stationID int64, userIDs []int64) error {
	st, a, err := s.station(ctx, scope, stationID)
	if err != nil {
		return err
	}
	ids := slices.Clone(userIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	now := s.clock.Now()
	return dbError(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		entries, err := practicalEntries(tx, a.Stage)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if !slices.ContainsFunc(entries, func(e practicalEntry) bool { return e.UserID == id }) {
				return &skillarena.Error{Code: skillarena.EINVALID, Message: "error.invalid_fields", Fields: map[string]string{"user_ids": "practical.not_a_contestant"},
					FieldArgs: map[string]map[string]any{"user_ids": {"ID": id}}}
			}
		}
		var before []PracticalContestant
		if err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
			Where("stage_id = ? AND (station_id = ? OR user_id IN ?)", st.StageID, st.ID, append(ids, 0)).Find(&before).Error; err != nil {
			return err
		}
		var moved []int64
		var beforeIDs []int64
		for _, b := range before {
			if b.StationID == st.ID {
				beforeIDs = append(beforeIDs, b.UserID)
			}
			if (b.StationID == st.ID) == slices.Contains(ids, b.UserID) {
				continue // stays here, or elsewhere untouched
			}
			moved = append(moved, b.UserID)
		}
		if len(moved) > 0 {
			var n int64
			if err := tx.Model(&Mark{}).Where("stage_id = ? AND contestant_id IN ?", st.StageID, moved).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return skillarena.NewError(skillarena.ECONFLICT, "practical.contestant_has_marks", nil)
			}
		}
		for _, b := range before {
			if !slices.Contains(ids, b.UserID) && b.StationID == st.ID {
				if err := tx.Where("stage_id = ? AND user_id = ?", st.StageID, b.UserID).Delete(&PracticalContestant{}).Error; err != nil {
					return err
				}
			}
		}
		for _, id := range ids {
			i := slices.IndexFunc(before, func(b PracticalContestant) bool { return b.UserID == id })
			switch {
			case i < 0:
				if err := tx.Create(&PracticalContestant{StageID: st.StageID, UserID: id, StationID: st.ID, UpdatedAt: now}).Error; err != nil {
					return err
				}
			case before[i].StationID != st.ID:
				if err := tx.Model(&PracticalContestant{}).Where("stage_id = ? AND user_id = ?", st.StageID, id).
					Updates(map[string]any{"station_id": st.ID, "updated_at": now}).Error; err != nil {
					return err
				}
			}
		}
		if beforeIDs == nil {
			beforeIDs = []int64{}
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "practical.contestants", ObjectType: "practical_station",
			ObjectID: strconv.FormatInt(st.ID, 10), OrgUnitID: &a.Stage.OrgUnitID,
			Before: map[string]any{"user_ids": beforeIDs}, After: map[string]any{"user_ids": ids}})
	}), "set station contestants")
}

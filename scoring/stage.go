package scoring

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillarena"
	"skillarena/exam"
	"skillarena/org"
)

// Service runs competitions: stages and teams, rosters, the practical draw,
// judges' marks, the combination, rankings, publication and selection.
type Service struct {
	db    *gorm.DB
	clock skillarena.Clock
	audit *org.Audit
	exam  *exam.Service
}

// NewService returns the scoring service.
func NewService(db *gorm.DB, clock skillarena.Clock, audit *org.Audit, exams *exam.Service) *Service {
	return &Service{db: db, clock: clock, audit: audit, exam: exams}
}

func dbError(err error, op string) error { return org.StoreError(err, op) }

// unitRow is an org unit's id, name and path.
type unitRow struct {
	ID   int64
	Name string
	Path string
}

func units(tx *gorm.DB, ids []int64) (map[int64]unitRow, error) {
	var rows []unitRow
	if err := tx.Table("org_units").Select("id, name, path").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]unitRow, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// CompetitionInput is a competition to create.
type CompetitionInput struct {
	OrgUnitID int64
	Name      string
	Year      int
}

// CreateCompetition creates a competition run by a unit inside scope.
func (s *Service) CreateCompetition(ctx context.Context, scope org.Scope, in CompetitionInput) (Competition, error) {
	in.Name = strings.TrimSpace(in.Name)
	f := map[string]string{}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		f["name"] = "field.required"
	}
	if in.Year < 2000 || in.Year > 2100 {
		f["year"] = "scoring.year_range"
	}
	if len(f) > 0 {
		return Competition{}, skillarena.Invalid(f)
	}
	c := Competition{OrgUnitID: in.OrgUnitID, Name: in.Name, Year: in.Year, CreatedBy: skillarena.ActorID(ctx)}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		us, err := units(tx, []int64{in.OrgUnitID})
		if err != nil {
			return err
		}
		if u, ok := us[in.OrgUnitID]; !ok || !scope.Contains(u.Path) {
			return skillarena.Invalid(map[string]string{"org_unit_id": "org.unit.unknown"})
		}
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "competition.create", ObjectType: "competition",
			ObjectID: strconv.FormatInt(c.ID, 10), OrgUnitID: &c.OrgUnitID, After: c})
	})
	return c, dbError(err, "create competition")
}

// ListCompetitions lists the competitions run by units inside scope.
func (s *Service) ListCompetitions(ctx context.Context, scope org.Scope) ([]Competition, error) {
	db := s.db.WithContext(ctx)
	var out []Competition
	err := scope.Where(db.Model(&Competition{}).Select("competitions.*").Joins("JOIN org_units ON org_units.id = competitions.org_unit_id"), "org_units.path").
		Order("competitions.year DESC, competitions.id DESC").Limit(500).Find(&out).Error
	return out, err
}

// Validate checks a stage's settings and says which field is wrong.
func (st Settings) Validate() error {
	f := map[string]string{}
	if st.WrittenRosterSize < 1 || st.WrittenRosterSize > 50 {
		f["settings.written_roster_size"] = "scoring.roster_size_range"
	}
	if st.PracticalSize < 1 || st.PracticalSize > 10 {
		f["settings.practical_size"] = "scoring.practical_size_range"
	}
	if st.Weights.Written < 0 || st.Weights.Practical < 0 || st.Weights.Written+st.Weights.Practical != 100 {
		f["settings.weights"] = "scoring.weights_sum"
	}
	if st.DrawPool != PoolWrittenExceptNominee && st.DrawPool != PoolWritten {
		f["settings.draw_pool"] = "scoring.draw_pool_unknown"
	}
	if st.Aggregation != AggregateMean && st.Aggregation != AggregateTrimmedMean {
		f["settings.aggregation"] = "scoring.aggregation_unknown"
	}
	if st.Threshold < 0 || st.Threshold > skillarena.MaxPoints {
		f["settings.discrepancy_threshold"] = "scoring.threshold_range"
	}
	seen := map[Figure]bool{}
	for _, fig := range st.TieBreak {
		if (fig != FigurePractical && fig != FigureWritten) || seen[fig] {
			f["settings.tie_break"] = "scoring.tie_break_invalid"
		}
		seen[fig] = true
	}
	if st.Precision < 0 || st.Precision > MaxPrecision {
		f["settings.precision"] = "scoring.precision_range"
	}
	if len(f) > 0 {
		return skillarena.Invalid(f)
	}
	return nil
}

// Settings decodes a stage's rules.
func (st Stage) Settings() Settings {
	s := DefaultSettings()
	json.Unmarshal([]byte(st.SettingsJSON), &s)
	return s
}

// StageInput is a stage to create.
type StageInput struct {
	CompetitionID   int64
	OrgUnitID       int64
	Name            string
	Kind            StageKind
	Settings        *Settings // nil: the defaults
	RosterDeadline  *time.Time
	TeamUnitIDs     []int64
	PreviousStageID *int64
}

// CreateStage creates a stage run by a unit inside scope. With teams, each
// team is a distinct unit below the stage's, none inside another, so every
// contestant belongs to at most one team.
func (s *Service) CreateStage(ctx context.Context, scope org.Scope, in StageInput) (Stage, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Kind == "" {
		in.Kind = StageTeams
	}
	set := DefaultSettings()
	if in.Settings != nil {
		set = *in.Settings
	}
	f := nameAndSettingsFields(in.Name, set)
	if in.Kind != StageTeams && in.Kind != StageIndividuals {
		f["kind"] = "scoring.kind_unknown"
	}
	if in.Kind == StageTeams && (len(in.TeamUnitIDs) < 1 || len(in.TeamUnitIDs) > 500) {
		f["team_unit_ids"] = "scoring.teams_required"
	}
	if in.Kind == StageIndividuals && len(in.TeamUnitIDs) > 0 {
		f["team_unit_ids"] = "scoring.no_teams_for_individuals"
	}
	if len(f) > 0 {
		return Stage{}, skillarena.Invalid(f)
	}
	st := Stage{CompetitionID: in.CompetitionID, OrgUnitID: in.OrgUnitID, Name: in.Name, Kind: in.Kind,
		SettingsJSON: mustJSON(set), RosterDeadline: in.RosterDeadline, PreviousStageID: in.PreviousStageID,
		CreatedBy: skillarena.ActorID(ctx)}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Competition
		if err := tx.Where("id = ?", in.CompetitionID).Take(&c).Error; err != nil {
			return skillarena.Invalid(map[string]string{"competition_id": "scoring.competition_unknown"})
		}
		us, err := units(tx, append([]int64{in.OrgUnitID, c.OrgUnitID}, in.TeamUnitIDs...))
		if err != nil {
			return err
		}
		stageUnit, ok := us[in.OrgUnitID]
		if !ok || !scope.Contains(stageUnit.Path) || !strings.HasPrefix(stageUnit.Path, us[c.OrgUnitID].Path) {
			return skillarena.Invalid(map[string]string{"org_unit_id": "org.unit.unknown"})
		}
		for i, id := range in.TeamUnitIDs {
			u, ok := us[id]
			if !ok || u.Path == stageUnit.Path || !strings.HasPrefix(u.Path, stageUnit.Path) {
				return skillarena.Invalid(map[string]string{"team_unit_ids": "scoring.team_not_below_stage"})
			}
			for _, other := range in.TeamUnitIDs[:i] {
				o := us[other]
				if strings.HasPrefix(u.Path, o.Path) || strings.HasPrefix(o.Path, u.Path) {
					return skillarena.Invalid(map[string]string{"team_unit_ids": "scoring.teams_overlap"})
				}
			}
		}
		if err := tx.Create(&st).Error; err != nil {
			return err
		}
		for _, id := range in.TeamUnitIDs {
			if err := tx.Create(&Team{StageID: st.ID, OrgUnitID: id}).Error; err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "stage.create", ObjectType: "stage", ObjectID: strconv.FormatInt(st.ID, 10),
			OrgUnitID: &st.OrgUnitID, After: map[string]any{"name": st.Name, "kind": st.Kind, "settings": set, "teams": in.TeamUnitIDs}})
	})
	return st, dbError(err, "create stage")
}

// nameAndSettingsFields checks a stage's name and settings, by field.
func nameAndSettingsFields(name string, set Settings) map[string]string {
	f := map[string]string{}
	if name == "" || utf8.RuneCountInString(name) > 200 {
		f["name"] = "field.required"
	}
	if err := set.Validate(); err != nil {
		var e *skillarena.Error
		errors.As(err, &e)
		for k, v := range e.Fields {
			f[k] = v
		}
	}
	return f
}

// StageUpdate is a stage's name, roster deadline and settings as they
// should be; what equals the stage's current value is left as it is.
type StageUpdate struct {
	Name           string
	RosterDeadline *time.Time
	Settings       Settings
}

// FixedReason says why a stage setting can no longer change: the event
// after which something depends on it.
type FixedReason string

const (
	// FixedRostersLocked: the rosters were built to it.
	FixedRostersLocked FixedReason = "rosters_locked"
	// FixedDrawCommitted: the committed draw's pools follow from it.
	FixedDrawCommitted FixedReason = "draw_committed"
	// FixedRankingPublished: a published version was computed with it.
	FixedRankingPublished FixedReason = "ranking_published"
)

// stageSettings lists every setting by its API name, with the moment it
// becomes fixed: the settings that shape rosters until the rosters lock
// (the draw pool until the draw is committed), the scoring settings until
// the first ranking version is published, so a published version and the
// versions after it are computed by the same rules.
var stageSettings = []struct {
	field   string
	fixed   FixedReason
	changed func(a, b Settings) bool
}{
	{"written_roster_size", FixedRostersLocked, func(a, b Settings) bool { return a.WrittenRosterSize != b.WrittenRosterSize }},
	{"practical_size", FixedRostersLocked, func(a, b Settings) bool { return a.PracticalSize != b.PracticalSize }},
	{"draw_pool", FixedDrawCommitted, func(a, b Settings) bool { return a.DrawPool != b.DrawPool }},
	{"weights", FixedRankingPublished, func(a, b Settings) bool { return a.Weights != b.Weights }},
	{"absent_counts_as_zero", FixedRankingPublished, func(a, b Settings) bool { return a.AbsentCountsAsZero != b.AbsentCountsAsZero }},
	{"aggregation", FixedRankingPublished, func(a, b Settings) bool { return a.Aggregation != b.Aggregation }},
	{"discrepancy_threshold", FixedRankingPublished, func(a, b Settings) bool { return a.Threshold != b.Threshold }},
	{"tie_break", FixedRankingPublished, func(a, b Settings) bool { return !slices.Equal(a.TieBreak, b.TieBreak) }},
	{"precision", FixedRankingPublished, func(a, b Settings) bool { return a.Precision != b.Precision }},
}

// fixedSettings returns the settings of a stage that can no longer change,
// by API name, each with why (see stageSettings); the rest are open. It is
// the one rule behind both the refusal of a change and the stage as shown.
func fixedSettings(tx *gorm.DB, st Stage) (map[string]FixedReason, error) {
	var draws, publications int64
	if err := tx.Model(&PracticalDraw{}).Where("stage_id = ?", st.ID).Count(&draws).Error; err != nil {
		return nil, err
	}
	if err := tx.Model(&Publication{}).Where("stage_id = ?", st.ID).Count(&publications).Error; err != nil {
		return nil, err
	}
	happened := map[FixedReason]bool{FixedRostersLocked: st.RostersLocked != nil, FixedDrawCommitted: draws > 0, FixedRankingPublished: publications > 0}
	out := map[string]FixedReason{}
	for _, set := range stageSettings {
		if happened[set.fixed] {
			out[set.field] = set.fixed
		}
	}
	return out, nil
}

// FixedSettings returns the settings of the caller's stage that can no
// longer change, by API name (as in Settings' JSON), each with why: the
// same rule UpdateStage refuses a change by, so a form can show them as
// fixed before anyone tries.
func (s *Service) FixedSettings(ctx context.Context, a StageAccess) (map[string]FixedReason, error) {
	out, err := fixedSettings(s.db.WithContext(ctx), a.Stage)
	return out, dbError(err, "fixed settings")
}

// lockStage locks a stage's row for the rest of tx: changes of its settings,
// the rosters' lock, the draw's commitment and publication run one at a
// time, so a setting never changes under one of them.
func lockStage(tx *gorm.DB, stageID int64) (Stage, error) {
	var st Stage
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", stageID).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Stage{}, skillarena.NotFound("stage")
	}
	return st, err
}

// UpdateStage changes a stage's name, roster deadline and settings; only the
// stage organiser does. A setting that changes must still be open (see
// fixedSettings): otherwise the change is a conflict naming the first such
// setting (scoring.setting_fixed.<field>), with every one in the fields. A
// roster size below a roster's length is refused. Audited with the stage
// before and after.
func (s *Service) UpdateStage(ctx context.Context, a StageAccess, in StageUpdate) (Stage, error) {
	if !a.Organiser {
		return Stage{}, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	in.Name = strings.TrimSpace(in.Name)
	if f := nameAndSettingsFields(in.Name, in.Settings); len(f) > 0 {
		return Stage{}, skillarena.Invalid(f)
	}
	var st Stage
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if st, err = lockStage(tx, a.Stage.ID); err != nil {
			return err
		}
		before := st.Settings()
		fixed, err := fixedSettings(tx, st)
		if err != nil {
			return err
		}
		refused := map[string]string{}
		first := ""
		changed := st.Name != in.Name || !sameTime(st.RosterDeadline, in.RosterDeadline)
		for _, set := range stageSettings {
			if !set.changed(before, in.Settings) {
				continue
			}
			changed = true
			if _, ok := fixed[set.field]; ok {
				msg := "scoring.setting_fixed." + set.field
				refused["settings."+set.field] = msg
				if first == "" {
					first = msg
				}
			}
		}
		if first != "" {
			return &skillarena.Error{Code: skillarena.ECONFLICT, Message: first, Fields: refused}
		}
		if st.Kind == StageTeams && in.Settings.WrittenRosterSize < before.WrittenRosterSize {
			var longest int64
			if err := tx.Model(&RosterEntry{}).Select("COUNT(*)").Where("stage_id = ? AND slot = ?", st.ID, SlotWritten).
				Group("team_id").Order("COUNT(*) DESC").Limit(1).Scan(&longest).Error; err != nil {
				return err
			}
			if longest > int64(in.Settings.WrittenRosterSize) {
				return &skillarena.Error{Code: skillarena.EINVALID, Message: "error.invalid_fields",
					Fields:    map[string]string{"settings.written_roster_size": "scoring.roster_size_below_entries"},
					FieldArgs: map[string]map[string]any{"settings.written_roster_size": {"Count": longest}}}
			}
		}
		if !changed {
			return nil
		}
		was := map[string]any{"name": st.Name, "roster_deadline": st.RosterDeadline, "settings": before}
		now := map[string]any{"name": in.Name, "roster_deadline": in.RosterDeadline, "settings": in.Settings}
		st.Name, st.RosterDeadline, st.SettingsJSON, st.UpdatedAt = in.Name, in.RosterDeadline, mustJSON(in.Settings), s.clock.Now()
		if err := tx.Model(&Stage{}).Where("id = ?", st.ID).Updates(map[string]any{"name": st.Name, "roster_deadline": st.RosterDeadline,
			"settings_json": st.SettingsJSON, "updated_at": st.UpdatedAt}).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "stage.update", ObjectType: "stage", ObjectID: strconv.FormatInt(st.ID, 10),
			OrgUnitID: &st.OrgUnitID, Before: was, After: now})
	})
	return st, dbError(err, "update stage")
}

// sameTime reports whether two optional times are both unset or equal.
func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// StageAccess is what the caller may do in a stage: run it (its unit is in
// their scope), or act for some of its teams.
type StageAccess struct {
	Stage     Stage
	UnitPath  string
	Organiser bool
	// Teams the caller acts for (every team when Organiser).
	Teams []int64
}

// CanActFor reports whether team is one of the stage's teams and the caller
// may act for it.
// A stage of individuals has one roster, team 0, which its organiser keeps.
func (a StageAccess) CanActFor(team int64) bool {
	if team == 0 {
		return a.Organiser && a.Stage.Kind == StageIndividuals
	}
	return slices.Contains(a.Teams, team)
}

// Access returns the caller's access to a stage: the stage organiser's when
// its unit lies in scope, a team organiser's for the teams in scope. A stage
// the caller has nothing to do with is not found.
func (s *Service) Access(ctx context.Context, scope org.Scope, stageID int64) (StageAccess, error) {
	db := s.db.WithContext(ctx)
	var st Stage
	if err := db.Where("id = ?", stageID).Take(&st).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return StageAccess{}, skillarena.NotFound("stage")
	} else if err != nil {
		return StageAccess{}, err
	}
	teams, err := s.teamUnits(ctx, stageID)
	if err != nil {
		return StageAccess{}, err
	}
	ids := []int64{st.OrgUnitID}
	for _, t := range teams {
		ids = append(ids, t.ID)
	}
	us, err := units(db, ids)
	if err != nil {
		return StageAccess{}, err
	}
	a := StageAccess{Stage: st, UnitPath: us[st.OrgUnitID].Path, Organiser: scope.Contains(us[st.OrgUnitID].Path)}
	for _, t := range teams {
		if a.Organiser || scope.Contains(t.Path) {
			a.Teams = append(a.Teams, t.ID)
		}
	}
	if !a.Organiser && len(a.Teams) == 0 {
		return StageAccess{}, skillarena.NotFound("stage")
	}
	return a, nil
}

// teamUnits lists a stage's teams as units, by name.
func (s *Service) teamUnits(ctx context.Context, stageID int64) ([]unitRow, error) {
	var out []unitRow
	err := s.db.WithContext(ctx).Table("stage_teams").Select("org_units.id, org_units.name, org_units.path").
		Joins("JOIN org_units ON org_units.id = stage_teams.org_unit_id").Where("stage_teams.stage_id = ?", stageID).
		Order("org_units.path").Scan(&out).Error
	return out, err
}

// StageSummary is a stage as listed.
type StageSummary struct {
	Stage
	CompetitionName string
	OrgUnitName     string
	TeamCount       int
	Organiser       bool
}

// ListStages lists the stages the caller runs or has a team in.
func (s *Service) ListStages(ctx context.Context, scope org.Scope) ([]StageSummary, error) {
	db := s.db.WithContext(ctx)
	var rows []struct {
		Stage
		CompetitionName string
		OrgUnitName     string
		OrgUnitPath     string
	}
	inTeams := scope.Where(db.Table("stage_teams").Select("stage_teams.stage_id").
		Joins("JOIN org_units ON org_units.id = stage_teams.org_unit_id"), "org_units.path")
	err := db.Table("stages").Select("stages.*, competitions.name AS competition_name, org_units.name AS org_unit_name, org_units.path AS org_unit_path").
		Joins("JOIN competitions ON competitions.id = stages.competition_id").
		Joins("JOIN org_units ON org_units.id = stages.org_unit_id").
		Where(db.Where("stages.id IN (?)", inTeams).Or(scope.Where(db, "org_units.path"))).
		Order("stages.id DESC").Limit(500).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]StageSummary, len(rows))
	for i, r := range rows {
		var n int64
		if err := db.Model(&Team{}).Where("stage_id = ?", r.ID).Count(&n).Error; err != nil {
			return nil, err
		}
		out[i] = StageSummary{Stage: r.Stage, CompetitionName: r.CompetitionName, OrgUnitName: r.OrgUnitName,
			TeamCount: int(n), Organiser: scope.Contains(r.OrgUnitPath)}
	}
	return out, nil
}

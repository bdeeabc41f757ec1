package scoring

import (
	"time"

	"skillarena"
)

// Competition is a yearly competition run by an org unit, made of stages.
type Competition struct {
	ID        int64
	OrgUnitID int64
	Name      string
	Year      int
	CreatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (Competition) TableName() string { return "competitions" }

// StageKind tells a stage with teams from one of individuals only.
type StageKind string

// The stage kinds.
const (
	StageTeams       StageKind = "teams"
	StageIndividuals StageKind = "individuals"
)

// DrawPoolRule says whom a team's practical contestant is drawn from.
type DrawPoolRule string

// The draw pool rules.
const (
	// PoolWrittenExceptNominee: the team's written-round contestants other
	// than its nominee (DOMAIN.md's default).
	PoolWrittenExceptNominee DrawPoolRule = "written_except_nominee"
	// PoolWritten: every written-round contestant, the nominee included
	// (drawing the nominee means they do the practical once).
	PoolWritten DrawPoolRule = "written"
)

// Settings are a stage's rules, with DOMAIN.md's defaults.
type Settings struct {
	WrittenRosterSize  int               `json:"written_roster_size"`
	PracticalSize      int               `json:"practical_size"`
	AbsentCountsAsZero bool              `json:"absent_counts_as_zero"`
	Weights            Weights           `json:"weights"`
	DrawPool           DrawPoolRule      `json:"draw_pool"`
	Aggregation        Aggregation       `json:"aggregation"`
	Threshold          skillarena.Points `json:"discrepancy_threshold"`
	TieBreak           []Figure          `json:"tie_break"`
	Precision          int               `json:"precision"`
}

// DefaultSettings are DOMAIN.md's default rules.
func DefaultSettings() Settings {
	r := DefaultRules()
	return Settings{WrittenRosterSize: r.WrittenRosterSize, PracticalSize: r.PracticalSize, AbsentCountsAsZero: true,
		Weights: r.Weights, DrawPool: PoolWrittenExceptNominee, Aggregation: AggregateTrimmedMean, Threshold: 1000,
		TieBreak: r.TieBreak, Precision: r.Precision}
}

// Rules are the settings the arithmetic needs.
func (s Settings) Rules() Rules {
	return Rules{WrittenRosterSize: s.WrittenRosterSize, PracticalSize: s.PracticalSize, AbsentCountsAsZero: s.AbsentCountsAsZero,
		Weights: s.Weights, Precision: s.Precision, TieBreak: s.TieBreak}
}

// Stage is one round of a competition, run in an org unit; with teams, its
// teams are units below it.
type Stage struct {
	ID             int64
	CompetitionID  int64
	OrgUnitID      int64
	Name           string
	Kind           StageKind
	SettingsJSON   string `gorm:"column:settings_json"`
	RosterDeadline *time.Time
	RostersLocked  *time.Time `gorm:"column:rosters_locked_at"`
	WrittenExamID  *int64
	// PreviousStageID is the stage whose selection feeds this one.
	PreviousStageID *int64
	CreatedBy       int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName keeps GORM's table name explicit.
func (Stage) TableName() string { return "stages" }

// Team is an org unit competing as a team in a stage.
type Team struct {
	StageID   int64 `gorm:"primaryKey"`
	OrgUnitID int64 `gorm:"primaryKey"`
}

// TableName keeps GORM's table name explicit.
func (Team) TableName() string { return "stage_teams" }

// Slot is a contestant's place on a roster.
type Slot string

// The roster slots.
const (
	SlotWritten Slot = "written"
	SlotNominee Slot = "nominee"
	SlotDrawn   Slot = "drawn"
)

// RosterEntry puts a contestant on a team's roster in a slot. A written
// contestant may also be the nominee or the drawn one (two entries).
type RosterEntry struct {
	ID        int64
	StageID   int64
	TeamID    int64 // the team's org unit (0 for a stage of individuals)
	UserID    int64
	Slot      Slot
	CreatedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (RosterEntry) TableName() string { return "roster_entries" }

// Models lists every GORM model of the package, for the schema test.
func Models() []any {
	return []any{&Competition{}, &Stage{}, &Team{}, &RosterEntry{}, &PracticalDraw{},
		&Task{}, &Station{}, &StationJudge{}, &PracticalContestant{}, &Mark{},
		&Publication{}, &Appeal{}, &Selection{}, &SelectionEntry{}}
}

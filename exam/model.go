package exam

import (
	"time"

	"skillarena"
)

// Blueprint describes a paper: its sections, owned by an org unit.
type Blueprint struct {
	ID           int64
	OrgUnitID    int64
	Name         string
	SectionsJSON string `gorm:"column:sections_json"`
	CreatedBy    int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName keeps GORM's table name explicit.
func (Blueprint) TableName() string { return "blueprints" }

// Kind tells a competition exam (one attempt) from a mock exam (several).
type Kind string

// The kinds of exam.
const (
	KindCompetition Kind = "competition"
	KindMock        Kind = "mock"
)

// PaperMode says whether everyone sits the same paper or each contestant has
// their own draw.
type PaperMode string

// The paper modes.
const (
	PaperFixed PaperMode = "fixed"
	PaperDrawn PaperMode = "drawn"
)

// Visibility says when contestants see their results.
type Visibility string

// When results are shown.
const (
	ResultsImmediately Visibility = "immediately"
	ResultsAfterClose  Visibility = "after_close"
	ResultsManual      Visibility = "manual"
)

// Exam is a timed written exam owned by an org unit.
type Exam struct {
	ID                int64
	OrgUnitID         int64
	Title             string
	Instructions      string
	Kind              Kind
	OpensAt           time.Time
	ClosesAt          time.Time
	DurationSeconds   int
	GraceSeconds      int
	BlueprintID       int64
	PaperMode         PaperMode
	ShuffleQuestions  bool
	ShuffleOptions    bool
	MaxAttempts       int
	PartialCredit     bool
	ResultsVisibility Visibility
	// ResultsReleasedAt is when an organiser released "manual" results; nil
	// until then.
	ResultsReleasedAt *time.Time
	MarkingThreshold  skillarena.Points // two judges' marks differing by more go to the chief judge
	CreatedBy         int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// TableName keeps GORM's table name explicit.
func (Exam) TableName() string { return "exams" }

type examBank struct {
	ExamID int64 `gorm:"primaryKey"`
	BankID int64 `gorm:"primaryKey"`
}

func (examBank) TableName() string { return "exam_banks" }

// Enrolment puts a contestant on an exam's roster, with any extra time.
type Enrolment struct {
	ExamID       int64 `gorm:"primaryKey"`
	UserID       int64 `gorm:"primaryKey"`
	ExtraSeconds int
	CreatedAt    time.Time
}

// TableName keeps GORM's table name explicit.
func (Enrolment) TableName() string { return "exam_enrolments" }

// Paper is a drawn paper with the seed that rebuilds it.
type Paper struct {
	ID            int64
	ExamID        int64
	UserID        int64
	AttemptNumber int
	Seed          string
	ItemsJSON     string `gorm:"column:items_json"`
	DrawID        *int64 // the drawing it came from (nil: drawn before drawings were kept)
	CreatedAt     time.Time
}

// TableName keeps GORM's table name explicit.
func (Paper) TableName() string { return "papers" }

// AttemptStatus is where an attempt stands.
type AttemptStatus string

// The attempt states.
const (
	AttemptInProgress AttemptStatus = "in_progress"
	AttemptSubmitted  AttemptStatus = "submitted"
)

// Attempt is one contestant's sitting of an exam. Its deadline is computed
// and stored by the server when it starts.
type Attempt struct {
	ID          int64
	ExamID      int64
	UserID      int64
	Number      int
	PaperID     int64
	Status      AttemptStatus
	StartedAt   time.Time
	Deadline    time.Time
	SubmittedAt *time.Time
	// SubmittedBy is "contestant", "sweeper" or "invigilator".
	SubmittedBy string
	Score       *skillarena.Points
	Graded      bool
	FocusLosses int
	LastSeenAt  *time.Time
	// AcceptUntil is the deadline plus the exam's grace: the last instant a
	// save is accepted, after which the sweeper submits.
	AcceptUntil time.Time
	// Device is the browser session the attempt is bound to ("" when not
	// bound yet, or after an invigilator unlocked it).
	Device string
	// PageHidden is true when the last heartbeat said the page was hidden.
	PageHidden bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName keeps GORM's table name explicit.
func (Attempt) TableName() string { return "attempts" }

// Answer is the last acknowledged response to one item of an attempt.
type Answer struct {
	AttemptID int64 `gorm:"primaryKey"`
	Position  int   `gorm:"primaryKey"`
	Response  *string
	Seq       int64
	SavedAt   *time.Time
	Score     *skillarena.Points
}

// TableName keeps GORM's table name explicit.
func (Answer) TableName() string { return "answers" }

type refusedSave struct {
	ID        int64
	AttemptID int64
	Position  int
	Seq       int64
	Reason    string
	At        time.Time
}

func (refusedSave) TableName() string { return "refused_saves" }

// Message is an invigilator's message to everyone sitting an exam.
type Message struct {
	ID     int64     `json:"id"`
	ExamID int64     `json:"-"`
	Text   string    `json:"text"`
	SentBy int64     `json:"-"`
	SentAt time.Time `json:"sent_at"`
}

// TableName keeps GORM's table name explicit.
func (Message) TableName() string { return "exam_messages" }

// Models lists every GORM model of the package, for the schema test.
func Models() []any {
	return []any{&Blueprint{}, &Exam{}, &examBank{}, &Enrolment{}, &Paper{}, &Attempt{}, &Answer{}, &refusedSave{}, &Message{},
		&Marker{}, &MarkingItem{}, &Mark{}, &KeyCorrection{}}
}

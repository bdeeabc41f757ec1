package scoring

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// CriterionKind tells an objective criterion from a judged one.
type CriterionKind string

// The criterion kinds.
const (
	// CriterionMeasurement is objective (a time, a count, a reading turned
	// into points): the judge enters any figure from 0 to the maximum, in
	// hundredths.
	CriterionMeasurement CriterionKind = "measurement"
	// CriterionJudgement is the judge's assessment on the criterion's scale:
	// only the scale's values are allowed.
	CriterionJudgement CriterionKind = "judgement"
)

// MaxCriteria bounds a rubric; MaxScaleValues bounds a judgement scale.
const (
	MaxCriteria    = 50
	MaxScaleValues = 21
)

// Criterion is one line of a task's rubric. A judgement criterion's scale is
// a list of allowed values (for example 0, 2.5, 5, 7.5, 10), strictly
// ascending, within 0..MaxPoints and ending at MaxPoints, so the maximum is
// reachable. A list rather than a step: rubrics often name uneven levels
// ("0 / 3 / 5 / 8 / 10"), and a tablet shows the list as buttons.
type Criterion struct {
	// ID numbers the criterion within its task, from 1 in rubric order.
	ID        int64               `json:"id"`
	Name      string              `json:"name"`
	Kind      CriterionKind       `json:"kind"`
	MaxPoints skillarena.Points   `json:"max_points"`
	Scale     []skillarena.Points `json:"scale,omitempty"`
}

// Allows reports whether p is a mark the criterion accepts.
func (c Criterion) Allows(p skillarena.Points) bool {
	if c.Kind == CriterionJudgement {
		return slices.Contains(c.Scale, p)
	}
	return p >= 0 && p <= c.MaxPoints
}

// Task is a practical task of a stage with its rubric.
type Task struct {
	ID           int64
	StageID      int64
	Name         string
	Description  string
	CriteriaJSON string `gorm:"column:criteria_json"`
	CreatedBy    int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName keeps GORM's table name explicit.
func (Task) TableName() string { return "practical_tasks" }

// Criteria decodes the task's rubric.
func (t Task) Criteria() []Criterion {
	var cs []Criterion
	json.Unmarshal([]byte(t.CriteriaJSON), &cs)
	return cs
}

// MaxTotal is the most a judge can give a contestant on the task.
func (t Task) MaxTotal() skillarena.Points {
	var sum skillarena.Points
	for _, c := range t.Criteria() {
		sum += c.MaxPoints
	}
	return sum
}

// criterion returns the task's criterion id.
func (t Task) criterion(id int64) (Criterion, bool) {
	for _, c := range t.Criteria() {
		if c.ID == id {
			return c, true
		}
	}
	return Criterion{}, false
}

// CriterionInput is a rubric line to create.
type CriterionInput struct {
	Name      string
	Kind      CriterionKind
	MaxPoints skillarena.Points
	Scale     []skillarena.Points
}

// TaskInput is a task to create.
type TaskInput struct {
	Name        string
	Description string
	Criteria    []CriterionInput
}

// ValidateRubric checks a task and its rubric and numbers the criteria: each
// criterion has a name, a kind and a maximum above zero; a measurement has no
// scale; a judgement's scale is strictly ascending within 0..maximum and ends
// at the maximum; the maxima add up to at most skillarena.MaxPoints.
func ValidateRubric(in TaskInput) ([]Criterion, error) {
	f := map[string]string{}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Name)); n == 0 || n > 200 {
		f["name"] = "field.required"
	}
	if utf8.RuneCountInString(in.Description) > 4000 {
		f["description"] = "practical.description_too_long"
	}
	if len(in.Criteria) == 0 || len(in.Criteria) > MaxCriteria {
		f["criteria"] = "practical.criteria_count"
	}
	out := make([]Criterion, 0, len(in.Criteria))
	var sum skillarena.Points
	for i, c := range in.Criteria {
		key := fmt.Sprintf("criteria[%d]", i)
		name := strings.TrimSpace(c.Name)
		if n := utf8.RuneCountInString(name); n == 0 || n > 200 {
			f[key+".name"] = "field.required"
		}
		if c.MaxPoints <= 0 || c.MaxPoints > skillarena.MaxPoints {
			f[key+".max_points"] = "practical.max_points_range"
		}
		sum += c.MaxPoints
		switch c.Kind {
		case CriterionMeasurement:
			if len(c.Scale) > 0 {
				f[key+".scale"] = "practical.scale_for_measurement"
			}
		case CriterionJudgement:
			if !validScale(c.Scale, c.MaxPoints) {
				f[key+".scale"] = "practical.scale_invalid"
			}
		default:
			f[key+".kind"] = "practical.kind_unknown"
		}
		out = append(out, Criterion{ID: int64(i + 1), Name: name, Kind: c.Kind, MaxPoints: c.MaxPoints, Scale: c.Scale})
	}
	if sum > skillarena.MaxPoints {
		f["criteria"] = "practical.max_points_range"
	}
	if len(f) > 0 {
		return nil, skillarena.Invalid(f)
	}
	return out, nil
}

func validScale(scale []skillarena.Points, max skillarena.Points) bool {
	if len(scale) < 2 || len(scale) > MaxScaleValues || scale[0] < 0 || scale[len(scale)-1] != max {
		return false
	}
	for i := 1; i < len(scale); i++ {
		if scale[i] <= scale[i-1] {
			return false
		}
	}
	return true
}

// CreateTask adds a task with its rubric to a stage; only the stage
// organiser does. Audited.
func (s *Service) CreateTask(ctx context.Context, a StageAccess, in TaskInput) (Task, error) {
	if !a.Organiser {
		return Task{}, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	criteria, err := ValidateRubric(in)
	if err != nil {
		return Task{}, err
	}
	now := s.clock.Now()
	t := Task{StageID: a.Stage.ID, Name: strings.TrimSpace(in.Name), Description: in.Description, CriteriaJSON: mustJSON(criteria),
		CreatedBy: skillarena.ActorID(ctx), CreatedAt: now, UpdatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "practical.task_create", ObjectType: "practical_task",
			ObjectID: strconv.FormatInt(t.ID, 10), OrgUnitID: &a.Stage.OrgUnitID,
			After: map[string]any{"stage_id": t.StageID, "name": t.Name, "criteria": criteria}})
	})
	return t, dbError(err, "create practical task")
}

// Tasks lists a stage's practical tasks, oldest first.
func (s *Service) Tasks(ctx context.Context, a StageAccess) ([]Task, error) {
	var out []Task
	err := s.db.WithContext(ctx).Where("stage_id = ?", a.Stage.ID).Order("id").Find(&out).Error
	return out, err
}

package scoring

import (
	"context"
	"strconv"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/exam"
	"skillarena/org"
)

// CreateWrittenExam creates the stage's written exam in the stage's unit from
// in and enrols every written contestant of the locked rosters. Audited.
func (s *Service) CreateWrittenExam(ctx context.Context, scope org.Scope, a StageAccess, in exam.ExamInput) (exam.Exam, error) {
	if !a.Organiser {
		return exam.Exam{}, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	if a.Stage.RostersLocked == nil {
		return exam.Exam{}, skillarena.NewError(skillarena.ECONFLICT, "scoring.rosters_not_locked", nil)
	}
	if a.Stage.WrittenExamID != nil {
		return exam.Exam{}, skillarena.NewError(skillarena.ECONFLICT, "scoring.written_exam_exists", nil)
	}
	in.OrgUnitID = a.Stage.OrgUnitID
	in.Kind = exam.KindCompetition
	in.MaxAttempts = 1
	var users []int64
	if err := s.db.WithContext(ctx).Model(&RosterEntry{}).Where("stage_id = ? AND slot = ?", a.Stage.ID, SlotWritten).
		Order("user_id").Pluck("user_id", &users).Error; err != nil {
		return exam.Exam{}, err
	}
	if len(users) == 0 {
		return exam.Exam{}, skillarena.NewError(skillarena.ECONFLICT, "scoring.rosters_empty", nil)
	}
	e, err := s.exam.CreateExam(ctx, scope, in)
	if err != nil {
		return exam.Exam{}, err
	}
	if err := s.exam.Enrol(ctx, e.ID, users); err != nil {
		return exam.Exam{}, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Stage{}).Where("id = ? AND written_exam_id IS NULL", a.Stage.ID).Updates(map[string]any{"written_exam_id": e.ID, "updated_at": s.clock.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "scoring.written_exam_exists", nil)
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "stage.written_exam", ObjectType: "stage", ObjectID: strconv.FormatInt(a.Stage.ID, 10),
			OrgUnitID: &a.Stage.OrgUnitID, After: map[string]any{"exam_id": e.ID, "enrolled": len(users)}})
	})
	return e, dbError(err, "link written exam")
}

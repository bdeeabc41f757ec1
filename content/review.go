package content

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// Event is a line of a question's review history: an edit, a submission, an
// approval, a rejection, a retirement, or a reviewer's comment.
type Event struct {
	ID         int64
	QuestionID int64
	Version    int
	ActorID    int64
	Kind       string
	FromStatus Status
	ToStatus   Status
	Comment    string
	CreatedAt  time.Time
}

// TableName keeps GORM's table name explicit.
func (Event) TableName() string { return "question_events" }

// EventRow is an event with the actor's name.
type EventRow struct {
	Event
	ActorName string `gorm:"->"`
}

func (s *Service) addEvent(tx *gorm.DB, questionID int64, version int, actor int64, kind string, from, to Status, comment string) error {
	return tx.Create(&Event{QuestionID: questionID, Version: version, ActorID: actor, Kind: kind, FromStatus: from, ToStatus: to, Comment: comment}).Error
}

// Action is a review step.
type Action string

// The review steps.
const (
	ActionSubmit  Action = "submit"  // draft → in review
	ActionApprove Action = "approve" // in review → approved, by someone other than the last editor
	ActionReject  Action = "reject"  // in review → draft, with a comment
	ActionRetire  Action = "retire"  // approved → retired
	ActionRestore Action = "restore" // retired → draft
)

// transitions lists, per action, the status it starts from and the status it
// leads to.
var transitions = map[Action][2]Status{
	ActionSubmit:  {StatusDraft, StatusInReview},
	ActionApprove: {StatusInReview, StatusApproved},
	ActionReject:  {StatusInReview, StatusDraft},
	ActionRetire:  {StatusApproved, StatusRetired},
	ActionRestore: {StatusRetired, StatusDraft},
}

// Transition moves a question through review: draft → in review → approved →
// retired. Only approved questions can go into exams. The approver must be a
// different person from the last editor, so every question in an exam was
// seen by two people. A rejection needs a comment saying why. Every step is
// audited.
func (s *Service) Transition(ctx context.Context, scope org.Scope, id int64, action Action, comment string) (QuestionDetail, error) {
	if err := s.TransitionMany(ctx, scope, []int64{id}, action, comment); err != nil {
		return QuestionDetail{}, err
	}
	return s.Question(ctx, scope, id)
}

// MaxBatch bounds the questions one batch review step may move.
const MaxBatch = 1000

// TransitionMany applies one review step to several questions at once (a
// reviewer approving a batch from the queue), in one transaction: all move or
// none. The rules of Transition hold for each.
func (s *Service) TransitionMany(ctx context.Context, scope org.Scope, ids []int64, action Action, comment string) error {
	tr, ok := transitions[action]
	if !ok {
		return skillarena.Invalid(map[string]string{"action": "question.action_unknown"})
	}
	if len(ids) == 0 || len(ids) > MaxBatch {
		return skillarena.Invalid(map[string]string{"ids": "question.batch_size"})
	}
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > 2000 {
		return skillarena.Invalid(map[string]string{"comment": "field.max"})
	}
	if action == ActionReject && comment == "" {
		return skillarena.Invalid(map[string]string{"comment": "question.reject_needs_comment"})
	}
	me := skillarena.ActorID(ctx)
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var qs []Question
		if err := tx.Where("id IN ?", ids).Find(&qs).Error; err != nil {
			return err
		}
		if len(qs) != len(uniqueIDs(ids)) {
			return skillarena.NotFound("question")
		}
		banks := map[int64]BankSummary{}
		events := make([]Event, 0, len(qs))
		changes := make([]org.Change, 0, len(qs))
		for _, q := range qs {
			b, ok := banks[q.BankID]
			if !ok {
				var err error
				if b, err = s.writableBank(ctx, tx, scope, q.BankID); skillarena.ErrorCode(err) == skillarena.ENOTFOUND {
					return skillarena.NotFound("question")
				} else if err != nil {
					return err
				}
				banks[q.BankID] = b
			}
			if q.Status != tr[0] {
				return skillarena.NewError(skillarena.ECONFLICT, "question.wrong_status", map[string]any{"Status": string(q.Status)})
			}
			if action == ActionApprove && q.LastEditorID == me {
				return skillarena.NewError(skillarena.EFORBIDDEN, "question.approve_own", nil)
			}
			events = append(events, Event{QuestionID: q.ID, Version: q.CurrentVersion, ActorID: me, Kind: string(action), FromStatus: tr[0], ToStatus: tr[1], Comment: comment})
			changes = append(changes, org.Change{Action: "question." + string(action), ObjectType: "question", ObjectID: strconv.FormatInt(q.ID, 10),
				OrgUnitID: &b.OrgUnitID, Before: map[string]any{"status": tr[0], "version": q.CurrentVersion},
				After: map[string]any{"status": tr[1], "version": q.CurrentVersion}, Reason: comment})
		}
		// The status must still be the one read: a concurrent step loses.
		res := tx.Model(&Question{}).Where("id IN ? AND status = ?", ids, tr[0]).Updates(map[string]any{"status": tr[1], "updated_at": s.clock.Now()})
		if res.Error != nil {
			return res.Error
		} else if res.RowsAffected != int64(len(qs)) {
			return skillarena.NewError(skillarena.ECONFLICT, "question.wrong_status", map[string]any{"Status": string(tr[0])})
		}
		if err := tx.CreateInBatches(&events, 500).Error; err != nil {
			return err
		}
		return s.audit.AppendMany(ctx, tx, changes)
	})
	return dbError(err, "review questions")
}

// Comment adds a reviewer's remark on the current version.
func (s *Service) Comment(ctx context.Context, scope org.Scope, id int64, text string) (EventRow, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return EventRow{}, skillarena.Invalid(map[string]string{"comment": "field.required"})
	} else if utf8.RuneCountInString(text) > 2000 {
		return EventRow{}, skillarena.Invalid(map[string]string{"comment": "field.max"})
	}
	var e Event
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		q, _, err := s.loadForWrite(ctx, tx, scope, id)
		if err != nil {
			return err
		}
		e = Event{QuestionID: id, Version: q.CurrentVersion, ActorID: skillarena.ActorID(ctx), Kind: "comment", Comment: text}
		return tx.Create(&e).Error
	})
	if err != nil {
		return EventRow{}, dbError(err, "comment")
	}
	row := EventRow{Event: e}
	s.db.WithContext(ctx).Raw("SELECT name FROM users WHERE id = ?", e.ActorID).Scan(&row.ActorName)
	return row, nil
}

// Events returns a question's review history, oldest first.
func (s *Service) Events(ctx context.Context, scope org.Scope, id int64) ([]EventRow, error) {
	if _, err := s.Question(ctx, scope, id); err != nil {
		return nil, err
	}
	var out []EventRow
	err := s.db.WithContext(ctx).Model(&Event{}).Joins("JOIN users ON users.id = question_events.actor_id").
		Select("question_events.*, users.name AS actor_name").Where("question_events.question_id = ?", id).
		Order("question_events.id").Find(&out).Error
	return out, err
}

func uniqueIDs(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

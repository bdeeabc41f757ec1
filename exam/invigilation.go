package exam

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// Beat is what a heartbeat answers: the server's time left and any
// invigilator messages.
type Beat struct {
	Status           AttemptStatus
	Deadline         time.Time
	RemainingSeconds int
	ServerTime       time.Time
	Messages         []Message
}

// Heartbeat records that the caller's attempt page is alive, how often it
// lost focus since the last beat, and whether it is visible. It answers the
// time left on the server's clock, so the page re-syncs its countdown.
func (s *Service) Heartbeat(ctx context.Context, userID, attemptID int64, focusLost int, visible bool) (Beat, error) {
	if focusLost < 0 || focusLost > 10000 {
		return Beat{}, skillarena.Invalid(map[string]string{"focus_lost": "exam.focus_lost_range"})
	}
	now := s.clock.Now()
	db := s.db.WithContext(ctx)
	var a Attempt
	if err := db.Where("id = ? AND user_id = ?", attemptID, userID).Take(&a).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return Beat{}, skillarena.NotFound("attempt")
	} else if err != nil {
		return Beat{}, err
	}
	if err := s.bind(ctx, &a); err != nil {
		return Beat{}, err
	}
	b := Beat{Status: a.Status, Deadline: a.Deadline, ServerTime: now}
	if a.Status == AttemptInProgress {
		b.RemainingSeconds = remaining(a.Deadline, now)
		err := db.Model(&Attempt{}).Where("id = ? AND status = ?", a.ID, AttemptInProgress).
			Updates(map[string]any{"last_seen_at": now, "page_hidden": !visible, "focus_losses": gorm.Expr("focus_losses + ?", focusLost)}).Error
		if err != nil {
			return Beat{}, err
		}
	}
	// The latest messages, oldest first.
	if err := db.Where("exam_id = ?", a.ExamID).Order("id DESC").Limit(20).Find(&b.Messages).Error; err != nil {
		return Beat{}, err
	}
	slices.Reverse(b.Messages)
	return b, nil
}

// States of a contestant in the invigilation console.
const (
	StateNotStarted = "not_started"
	StateInProgress = "in_progress"
	StateSubmitted  = "submitted"
)

// MonitorRow is one enrolled contestant as the invigilator sees them.
type MonitorRow struct {
	UserID           int64
	Username         string
	Name             string
	OrgUnitName      string
	State            string
	AttemptID        *int64
	Answered         int
	ItemCount        int
	LastSeenAt       *time.Time
	FocusLosses      int
	PageHidden       bool
	Locked           bool
	Deadline         *time.Time
	RemainingSeconds *int
	ExtraSeconds     int
	SubmittedAt      *time.Time
	SubmittedBy      string
}

// Monitor is the invigilation console's picture of an exam.
type Monitor struct {
	ServerTime time.Time
	Rows       []MonitorRow
}

// answeredSQL holds when an answer's last saved response is not empty, as
// the exam page counts it: not null, not no choice ([]), not blank text or
// blanks ("", ["", ""]), whitespace inside them ignored.
const answeredSQL = "answers.response IS NOT NULL AND " +
	"REPLACE(REPLACE(REPLACE(answers.response, ' ', ''), '\"\"', ''), ',', '') NOT IN ('null', '[]', '')"

// Monitor reads every enrolled contestant's state from the database: not
// started, in progress (answered count, last seen, focus losses, time left),
// or submitted. Reading the database (not server memory) means a console on
// any server sees events from every server.
func (s *Service) Monitor(ctx context.Context, examID int64) (Monitor, error) {
	now := s.clock.Now()
	ens, err := s.Enrolments(ctx, examID)
	if err != nil {
		return Monitor{}, err
	}
	db := s.db.WithContext(ctx)
	var attempts []Attempt
	if err := db.Where("exam_id = ?", examID).Order("number").Find(&attempts).Error; err != nil {
		return Monitor{}, err
	}
	var counts []struct {
		AttemptID int64
		Answered  int
		Items     int
	}
	err = db.Table("answers").Select("answers.attempt_id, SUM(CASE WHEN "+answeredSQL+" THEN 1 ELSE 0 END) AS answered, COUNT(*) AS items").
		Joins("JOIN attempts ON attempts.id = answers.attempt_id").Where("attempts.exam_id = ?", examID).
		Group("answers.attempt_id").Scan(&counts).Error
	if err != nil {
		return Monitor{}, err
	}
	byAttempt := map[int64][2]int{}
	for _, c := range counts {
		byAttempt[c.AttemptID] = [2]int{c.Answered, c.Items}
	}
	latest := map[int64]Attempt{}
	for _, a := range attempts {
		latest[a.UserID] = a // ordered by number: the last one wins
	}
	m := Monitor{ServerTime: now, Rows: make([]MonitorRow, len(ens))}
	for i, en := range ens {
		r := MonitorRow{UserID: en.UserID, Username: en.Username, Name: en.Name, OrgUnitName: en.OrgUnitName,
			State: StateNotStarted, ExtraSeconds: en.ExtraSeconds}
		if a, ok := latest[en.UserID]; ok {
			id := a.ID
			r.AttemptID = &id
			c := byAttempt[a.ID]
			r.Answered, r.ItemCount = c[0], c[1]
			r.LastSeenAt, r.FocusLosses, r.PageHidden = a.LastSeenAt, a.FocusLosses, a.PageHidden
			d := a.Deadline
			r.Deadline = &d
			if a.Status == AttemptInProgress {
				r.State = StateInProgress
				left := remaining(a.Deadline, now)
				r.RemainingSeconds = &left
				r.Locked = a.Device != ""
			} else {
				r.State = StateSubmitted
				r.SubmittedAt, r.SubmittedBy = a.SubmittedAt, a.SubmittedBy
			}
		}
		m.Rows[i] = r
	}
	return m, nil
}

// validReason checks the reason an invigilator gives for an action.
func validReason(reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return skillarena.Invalid(map[string]string{"reason": "exam.reason_required"})
	}
	return nil
}

// GrantExtraTime gives each listed contestant more time (see ExtraTime),
// once each however often listed, in one transaction; every grant is
// audited with the reason. Nobody gets time when one of them is not on the
// roster or a grant fails.
func (s *Service) GrantExtraTime(ctx context.Context, examID int64, userIDs []int64, extra time.Duration, reason string) error {
	if extra < time.Minute || extra > 10*time.Hour {
		return skillarena.Invalid(map[string]string{"minutes": "exam.extra_range"})
	}
	if err := validReason(reason); err != nil {
		return err
	}
	if err := s.onRoster(ctx, examID, userIDs); err != nil {
		return err
	}
	return s.grantExtra(ctx, examID, userIDs, extra, strings.TrimSpace(reason))
}

// onRoster checks that every user is enrolled on the exam.
func (s *Service) onRoster(ctx context.Context, examID int64, userIDs []int64) error {
	if len(userIDs) == 0 || len(userIDs) > 10000 {
		return skillarena.Invalid(map[string]string{"user_ids": "exam.user_ids_count"})
	}
	var n int64
	if err := s.db.WithContext(ctx).Model(&Enrolment{}).Where("exam_id = ? AND user_id IN ?", examID, userIDs).Count(&n).Error; err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, u := range userIDs {
		seen[u] = true
	}
	if int(n) != len(seen) {
		return skillarena.NotFound("enrolment")
	}
	return nil
}

// ForceSubmit submits the listed contestants' attempts in progress now, with
// their last acknowledged answers; each is audited with the reason. It
// returns how many it submitted.
func (s *Service) ForceSubmit(ctx context.Context, examID int64, userIDs []int64, reason string) (int, error) {
	if err := validReason(reason); err != nil {
		return 0, err
	}
	if err := s.onRoster(ctx, examID, userIDs); err != nil {
		return 0, err
	}
	var e Exam
	if err := s.db.WithContext(ctx).Where("id = ?", examID).Take(&e).Error; err != nil {
		return 0, dbError(err, "force submit")
	}
	var attempts []Attempt
	if err := s.db.WithContext(ctx).Where("exam_id = ? AND user_id IN ? AND status = ?", examID, userIDs, AttemptInProgress).Find(&attempts).Error; err != nil {
		return 0, err
	}
	n := 0
	for _, a := range attempts {
		at := s.clock.Now()
		if at.After(a.Deadline) {
			at = a.Deadline
		}
		done, err := s.finish(ctx, a.ID, at, "invigilator", &org.Change{Action: "exam.force_submit", ObjectType: "attempt",
			ObjectID: strconv.FormatInt(a.ID, 10), OrgUnitID: &e.OrgUnitID, Before: map[string]any{"status": a.Status, "user_id": a.UserID},
			After: map[string]any{"status": AttemptSubmitted, "submitted_at": at}, Reason: strings.TrimSpace(reason)})
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}

// Unlock frees a contestant's attempt in progress from the browser session
// that holds it, so they can continue on another device. Audited.
func (s *Service) Unlock(ctx context.Context, examID, userID int64, reason string) error {
	if err := validReason(reason); err != nil {
		return err
	}
	return dbError(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var a Attempt
		err := tx.Where("exam_id = ? AND user_id = ? AND status = ?", examID, userID, AttemptInProgress).Take(&a).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return skillarena.NotFound("attempt")
		} else if err != nil {
			return err
		}
		if err := tx.Model(&Attempt{}).Where("id = ?", a.ID).Update("device", "").Error; err != nil {
			return err
		}
		var e Exam
		if err := tx.Where("id = ?", examID).Take(&e).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "exam.unlock", ObjectType: "attempt", ObjectID: strconv.FormatInt(a.ID, 10),
			OrgUnitID: &e.OrgUnitID, Before: map[string]any{"locked": a.Device != ""}, After: map[string]any{"locked": false},
			Reason: strings.TrimSpace(reason)})
	}), "unlock attempt")
}

// SendMessage posts an invigilator's message to everyone sitting the exam;
// their pages show it at the next heartbeat. Audited.
func (s *Service) SendMessage(ctx context.Context, examID int64, text string) (Message, error) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > 500 {
		return Message{}, skillarena.Invalid(map[string]string{"text": "exam.message_length"})
	}
	m := Message{ExamID: examID, Text: text, SentBy: skillarena.ActorID(ctx), SentAt: s.clock.Now()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var e Exam
		if err := tx.Where("id = ?", examID).Take(&e).Error; err != nil {
			return err
		}
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "exam.message", ObjectType: "exam", ObjectID: strconv.FormatInt(examID, 10),
			OrgUnitID: &e.OrgUnitID, After: map[string]any{"text": text}})
	})
	return m, dbError(err, "send message")
}

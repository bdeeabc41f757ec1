package scoring

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// Appeals (issue 5, item 7): after publication a window opens in which a
// contestant may appeal their own result with a reason; an organiser
// assigns a re-mark and records the outcome; when a score changed, the
// corrected results are published as a new version.

// AppealStatus is where an appeal stands.
type AppealStatus string

// The appeal statuses.
const (
	AppealOpen     AppealStatus = "open"
	AppealAssigned AppealStatus = "assigned"
	AppealResolved AppealStatus = "resolved"
)

// AppealOutcome is how an appeal ended.
type AppealOutcome string

// The outcomes.
const (
	// AppealChanged: the re-mark changed the contestant's score; the
	// corrected results are published as a new version.
	AppealChanged AppealOutcome = "changed"
	// AppealUnchanged: the re-mark confirmed the published score.
	AppealUnchanged AppealOutcome = "unchanged"
)

// Appeal is a contestant's appeal against a published version of a stage.
type Appeal struct {
	ID      int64
	StageID int64
	UserID  int64
	// Version is the published version appealed against.
	Version     int
	Reason      string
	Status      AppealStatus
	AssigneeID  *int64
	AssignNote  string
	AssignedAt  *time.Time
	Outcome     *AppealOutcome
	OutcomeNote string
	ResolvedBy  *int64
	ResolvedAt  *time.Time
	// ResultVersion is the version that published a changed score.
	ResultVersion *int
	CreatedAt     time.Time
}

// TableName keeps GORM's table name explicit.
func (Appeal) TableName() string { return "appeals" }

// AppealDetail is an appeal with the names a page shows.
type AppealDetail struct {
	Appeal
	StageName      string
	Username       string
	Name           string
	AssigneeName   *string
	AssigneeHandle *string
}

func appealObject(id int64) string { return strconv.FormatInt(id, 10) }

// FileAppeal files the calling contestant's appeal against their result in
// the stage's latest published version, inside its appeal window. A stage
// with nothing published, or whose results do not hold the contestant, is
// not found; one open appeal per contestant and stage at a time. Audited.
func (s *Service) FileAppeal(ctx context.Context, userID, stageID int64, reason string) (Appeal, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 2000 {
		return Appeal{}, skillarena.Invalid(map[string]string{"reason": "appeal.reason_required"})
	}
	pub, r, err := s.PublicResults(ctx, stageID)
	if skillarena.ErrorCode(err) == skillarena.ENOTFOUND {
		return Appeal{}, skillarena.NotFound("stage")
	} else if err != nil {
		return Appeal{}, err
	}
	found := false
	for _, row := range r.Individuals {
		if row.Contestant.ID == userID {
			found = true
			break
		}
	}
	if !found {
		return Appeal{}, skillarena.NotFound("stage")
	}
	now := s.clock.Now()
	if pub.AppealUntil == nil || now.After(*pub.AppealUntil) {
		return Appeal{}, skillarena.NewError(skillarena.EDEADLINEPASSED, "appeal.window_closed", nil)
	}
	var st Stage
	if err := s.db.WithContext(ctx).Where("id = ?", stageID).Take(&st).Error; err != nil {
		return Appeal{}, dbError(err, "file appeal")
	}
	ap := Appeal{StageID: stageID, UserID: userID, Version: pub.Version, Reason: reason, Status: AppealOpen, CreatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Appeal{}).Where("stage_id = ? AND user_id = ? AND status <> ?", stageID, userID, AppealResolved).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "appeal.already_open", nil)
		}
		if err := tx.Create(&ap).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "appeal.file", ObjectType: "appeal", ObjectID: appealObject(ap.ID),
			OrgUnitID: &st.OrgUnitID, After: map[string]any{"stage_id": stageID, "version": pub.Version}, Reason: reason})
	})
	return ap, dbError(err, "file appeal")
}

func (s *Service) appealDetails(ctx context.Context, where string, args ...any) ([]AppealDetail, error) {
	var out []AppealDetail
	err := s.db.WithContext(ctx).Table("appeals").
		Select("appeals.*, stages.name AS stage_name, u.username, u.name, j.name AS assignee_name, j.username AS assignee_handle").
		Joins("JOIN stages ON stages.id = appeals.stage_id").
		Joins("JOIN users u ON u.id = appeals.user_id").
		Joins("LEFT JOIN users j ON j.id = appeals.assignee_id").
		Where(where, args...).Order("appeals.id DESC").Limit(1000).Scan(&out).Error
	return out, err
}

// Appeals lists a stage's appeals, newest first, for its organisers.
func (s *Service) Appeals(ctx context.Context, a StageAccess) ([]AppealDetail, error) {
	if !a.Organiser {
		return nil, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	return s.appealDetails(ctx, "appeals.stage_id = ?", a.Stage.ID)
}

// MyAppeals lists the contestant's own appeals, newest first.
func (s *Service) MyAppeals(ctx context.Context, userID int64) ([]AppealDetail, error) {
	return s.appealDetails(ctx, "appeals.user_id = ?", userID)
}

// appealFor loads an appeal for an organiser of its stage (scope is their
// organiser scope); any other caller finds nothing.
func (s *Service) appealFor(ctx context.Context, scope org.Scope, id int64) (Appeal, StageAccess, error) {
	var ap Appeal
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&ap).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return Appeal{}, StageAccess{}, skillarena.NotFound("appeal")
	} else if err != nil {
		return Appeal{}, StageAccess{}, err
	}
	a, err := s.Access(ctx, scope, ap.StageID)
	if err != nil || !a.Organiser {
		return Appeal{}, StageAccess{}, skillarena.NotFound("appeal")
	}
	return ap, a, nil
}

// AppealByID returns one appeal for an organiser of its stage.
func (s *Service) AppealByID(ctx context.Context, scope org.Scope, id int64) (AppealDetail, error) {
	if _, _, err := s.appealFor(ctx, scope, id); err != nil {
		return AppealDetail{}, err
	}
	ds, err := s.appealDetails(ctx, "appeals.id = ?", id)
	if err != nil {
		return AppealDetail{}, err
	}
	if len(ds) == 0 {
		return AppealDetail{}, skillarena.NotFound("appeal")
	}
	return ds[0], nil
}

// AssignAppeal gives an appeal to a judge for a re-mark (again, to change
// the judge). The stage's organisers only; a resolved appeal is closed; the
// appellant cannot re-mark their own appeal. Audited.
func (s *Service) AssignAppeal(ctx context.Context, scope org.Scope, id, assigneeID int64, note string) (AppealDetail, error) {
	ap, a, err := s.appealFor(ctx, scope, id)
	if err != nil {
		return AppealDetail{}, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 1000 {
		return AppealDetail{}, skillarena.Invalid(map[string]string{"note": "ranking.note_too_long"})
	}
	if ap.Status == AppealResolved {
		return AppealDetail{}, skillarena.NewError(skillarena.ECONFLICT, "appeal.resolved", nil)
	}
	if assigneeID == ap.UserID {
		return AppealDetail{}, skillarena.Invalid(map[string]string{"assignee_id": "appeal.assignee_is_appellant"})
	}
	now := s.clock.Now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Table("users").Where("id = ? AND active = ?", assigneeID, true).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return skillarena.Invalid(map[string]string{"assignee_id": "appeal.assignee_unknown"})
		}
		res := tx.Model(&Appeal{}).Where("id = ? AND status <> ?", id, AppealResolved).
			Updates(map[string]any{"status": AppealAssigned, "assignee_id": assigneeID, "assign_note": note, "assigned_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "appeal.resolved", nil)
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "appeal.assign", ObjectType: "appeal", ObjectID: appealObject(id),
			OrgUnitID: &a.Stage.OrgUnitID, Before: map[string]any{"status": ap.Status, "assignee_id": ap.AssigneeID},
			After: map[string]any{"status": AppealAssigned, "assignee_id": assigneeID}, Reason: note})
	})
	if err != nil {
		return AppealDetail{}, dbError(err, "assign appeal")
	}
	return s.AppealByID(ctx, scope, id)
}

// ResolveAppeal records an appeal's outcome with a note. "changed" needs the
// re-mark to have changed the contestant's figures in the draft against the
// latest version (correct the marks first), and publishes the draft as the
// next version with the note as its change note, keeping the appeal window
// of the version it corrects. The stage's organisers only. Audited.
func (s *Service) ResolveAppeal(ctx context.Context, scope org.Scope, id int64, outcome AppealOutcome, note string) (AppealDetail, error) {
	ap, a, err := s.appealFor(ctx, scope, id)
	if err != nil {
		return AppealDetail{}, err
	}
	note = strings.TrimSpace(note)
	f := map[string]string{}
	if outcome != AppealChanged && outcome != AppealUnchanged {
		f["outcome"] = "appeal.outcome_unknown"
	}
	if note == "" || utf8.RuneCountInString(note) > 1000 {
		f["note"] = "appeal.note_required"
	}
	if len(f) > 0 {
		return AppealDetail{}, skillarena.Invalid(f)
	}
	if ap.Status == AppealResolved {
		return AppealDetail{}, skillarena.NewError(skillarena.ECONFLICT, "appeal.resolved", nil)
	}
	var draft Ranking
	var latest Publication
	if outcome == AppealChanged {
		// Read first: the draft and the latest version, outside the transaction.
		if draft, err = s.DraftRanking(ctx, a); err != nil {
			return AppealDetail{}, err
		}
		if latest, err = s.PublishedVersion(ctx, a.Stage.ID, 0); err != nil {
			return AppealDetail{}, err
		}
		prev, err := latest.Ranking()
		if err != nil {
			return AppealDetail{}, err
		}
		if !figuresChanged(prev, draft, ap.UserID) {
			return AppealDetail{}, skillarena.NewError(skillarena.ECONFLICT, "appeal.no_change", nil)
		}
		if draft.Pending > 0 && latest.Pending == 0 {
			return AppealDetail{}, skillarena.NewError(skillarena.ECONFLICT, "ranking.pending", map[string]any{"Count": draft.Pending})
		}
	}
	now := s.clock.Now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		set := map[string]any{"status": AppealResolved, "outcome": outcome, "outcome_note": note,
			"resolved_by": skillarena.ActorID(ctx), "resolved_at": now}
		if outcome == AppealChanged {
			p, err := s.publishTx(ctx, tx, a.Stage, draft, note, latest.AppealUntil, &id)
			if err != nil {
				return err
			}
			set["result_version"] = p.Version
		}
		res := tx.Model(&Appeal{}).Where("id = ? AND status <> ?", id, AppealResolved).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "appeal.resolved", nil)
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "appeal.resolve", ObjectType: "appeal", ObjectID: appealObject(id),
			OrgUnitID: &a.Stage.OrgUnitID, Before: map[string]any{"status": ap.Status},
			After: map[string]any{"status": AppealResolved, "outcome": outcome, "result_version": set["result_version"]}, Reason: note})
	})
	if err != nil {
		return AppealDetail{}, dbError(err, "resolve appeal")
	}
	return s.AppealByID(ctx, scope, id)
}

// figuresChanged reports whether the contestant's individual figures differ
// between two rankings.
func figuresChanged(prev, next Ranking, userID int64) bool {
	find := func(r Ranking) *IndividualRanking {
		for i := range r.Individuals {
			if r.Individuals[i].Contestant.ID == userID {
				return &r.Individuals[i]
			}
		}
		return nil
	}
	a, b := find(prev), find(next)
	if a == nil || b == nil {
		return a != b
	}
	eq := func(x, y *string) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	return !eq(a.Written, b.Written) || !eq(a.Practical, b.Practical) || a.Total != b.Total
}

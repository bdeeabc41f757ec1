package scoring

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// Publication (DOMAIN.md rule 7): organisers review the draft ranking, then
// publish it. A published ranking is an immutable, numbered version: its
// rows are stored as shown, with their SHA-256, and never updated; a
// correction publishes the next number with a change note, and every
// earlier version stays readable by organisers. The public sees the latest.

// Publication is one published version of a stage's results.
type Publication struct {
	ID             int64
	StageID        int64
	Version        int
	Note           string
	SnapshotJSON   string `gorm:"column:snapshot_json"`
	SnapshotSHA256 string `gorm:"column:snapshot_sha256"`
	// Pending counts contestants whose figures were not final when published
	// (only when the organiser chose to publish anyway).
	Pending int
	// AppealUntil closes the window in which contestants may appeal this
	// version; nil: no appeals.
	AppealUntil *time.Time
	PublishedBy int64
	PublishedAt time.Time
}

// TableName keeps GORM's table name explicit.
func (Publication) TableName() string { return "ranking_publications" }

// Ranking decodes the published rows.
func (p Publication) Ranking() (Ranking, error) {
	var r Ranking
	err := json.Unmarshal([]byte(p.SnapshotJSON), &r)
	r.ComputedAt = p.PublishedAt
	return r, err
}

// PublicationSummary is a version as listed, without its rows.
type PublicationSummary struct {
	Version         int
	Note            string
	SHA256          string
	Pending         int
	AppealUntil     *time.Time
	PublishedBy     int64
	PublishedByName string
	PublishedAt     time.Time
}

// DefaultAppealHours is the appeal window a publication opens by default.
const DefaultAppealHours = 72

// MaxAppealHours bounds the appeal window (30 days).
const MaxAppealHours = 720

// PublishInput is a publication to make.
type PublishInput struct {
	// Note says what the version is; required from the second version on
	// (the change note of a correction).
	Note string
	// AppealHours is the appeal window from now (nil: DefaultAppealHours,
	// 0: no appeals).
	AppealHours *int
	// AllowPending publishes although some figures are not final yet.
	AllowPending bool
}

// Publish publishes the stage's current draft as its next version. Stage
// organisers only; refused while figures are pending unless AllowPending,
// and when nothing changed since the latest version. Audited with the
// snapshot's SHA-256.
func (s *Service) Publish(ctx context.Context, a StageAccess, in PublishInput) (Publication, error) {
	if !a.Organiser {
		return Publication{}, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	in.Note = strings.TrimSpace(in.Note)
	hours := DefaultAppealHours
	if in.AppealHours != nil {
		hours = *in.AppealHours
	}
	f := map[string]string{}
	if utf8.RuneCountInString(in.Note) > 1000 {
		f["note"] = "ranking.note_too_long"
	}
	if hours < 0 || hours > MaxAppealHours {
		f["appeal_hours"] = "ranking.appeal_hours_range"
	}
	if len(f) > 0 {
		return Publication{}, skillarena.Invalid(f)
	}
	r, err := s.DraftRanking(ctx, a)
	if err != nil {
		return Publication{}, err
	}
	if len(r.Individuals) == 0 {
		return Publication{}, skillarena.NewError(skillarena.ECONFLICT, "ranking.empty", nil)
	}
	if r.Pending > 0 && !in.AllowPending {
		return Publication{}, skillarena.NewError(skillarena.ECONFLICT, "ranking.pending", map[string]any{"Count": r.Pending})
	}
	var until *time.Time
	if hours > 0 {
		t := s.clock.Now().Add(time.Duration(hours) * time.Hour)
		until = &t
	}
	var p Publication
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		p, err = s.publishTx(ctx, tx, a.Stage, r, in.Note, until, nil)
		return err
	})
	return p, dbError(err, "publish ranking")
}

// publishTx stores r as the stage's next version inside tx and audits it.
// appealID, when set, names the appeal whose outcome it publishes.
func (s *Service) publishTx(ctx context.Context, tx *gorm.DB, st Stage, r Ranking, note string, until *time.Time, appealID *int64) (Publication, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return Publication{}, err
	}
	sum := sha256.Sum256(b)
	// The stage's settings are fixed from the first version on; until then
	// they may have changed since r was computed.
	now, err := lockStage(tx, st.ID)
	if err != nil {
		return Publication{}, err
	}
	if now.SettingsJSON != st.SettingsJSON {
		return Publication{}, skillarena.NewError(skillarena.ECONFLICT, "ranking.settings_changed", nil)
	}
	var last Publication
	err = tx.Select("version", "snapshot_sha256").Where("stage_id = ?", st.ID).Order("version DESC").Limit(1).Take(&last).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
	case err != nil:
		return Publication{}, err
	case note == "":
		return Publication{}, skillarena.Invalid(map[string]string{"note": "ranking.note_required"})
	case last.SnapshotSHA256 == hex.EncodeToString(sum[:]):
		// The same rows hash alike: nothing changed since the latest version.
		return Publication{}, skillarena.NewError(skillarena.ECONFLICT, "ranking.unchanged", map[string]any{"Version": last.Version})
	}
	p := Publication{StageID: st.ID, Version: last.Version + 1, Note: note, SnapshotJSON: string(b),
		SnapshotSHA256: hex.EncodeToString(sum[:]), Pending: r.Pending, AppealUntil: until,
		PublishedBy: skillarena.ActorID(ctx), PublishedAt: s.clock.Now()}
	if err := tx.Create(&p).Error; err != nil {
		return Publication{}, err
	}
	after := map[string]any{"version": p.Version, "sha256": p.SnapshotSHA256, "teams": len(r.Teams),
		"individuals": len(r.Individuals), "pending": r.Pending, "appeal_until": until}
	if appealID != nil {
		after["appeal_id"] = *appealID
	}
	return p, s.audit.Append(ctx, tx, org.Change{Action: "ranking.publish", ObjectType: "stage", ObjectID: strconv.FormatInt(st.ID, 10),
		OrgUnitID: &st.OrgUnitID, After: after, Reason: note})
}

// Publications lists a stage's versions, newest first, for anyone with
// access to the stage (organisers of the stage or of one of its teams).
func (s *Service) Publications(ctx context.Context, a StageAccess) ([]PublicationSummary, error) {
	var rows []struct {
		Publication
		PublishedByName string
	}
	err := s.db.WithContext(ctx).Table("ranking_publications").
		Select("ranking_publications.id, ranking_publications.stage_id, ranking_publications.version, ranking_publications.note, "+
			"ranking_publications.snapshot_sha256, ranking_publications.pending, ranking_publications.appeal_until, "+
			"ranking_publications.published_by, ranking_publications.published_at, users.name AS published_by_name").
		Joins("LEFT JOIN users ON users.id = ranking_publications.published_by").
		Where("ranking_publications.stage_id = ?", a.Stage.ID).Order("ranking_publications.version DESC").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]PublicationSummary, len(rows))
	for i, r := range rows {
		out[i] = PublicationSummary{Version: r.Version, Note: r.Note, SHA256: r.SnapshotSHA256, Pending: r.Pending,
			AppealUntil: r.AppealUntil, PublishedBy: r.PublishedBy, PublishedByName: r.PublishedByName, PublishedAt: r.PublishedAt}
	}
	return out, nil
}

// PublishedVersion returns a stage's version (0: the latest). It checks no
// access: the latest version is public; callers check access for others.
func (s *Service) PublishedVersion(ctx context.Context, stageID int64, version int) (Publication, error) {
	q := s.db.WithContext(ctx).Where("stage_id = ?", stageID)
	if version > 0 {
		q = q.Where("version = ?", version)
	}
	var p Publication
	err := q.Order("version DESC").Limit(1).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Publication{}, skillarena.NotFound("publication")
	}
	return p, err
}

// LatestVersion returns the number of a stage's latest published version,
// reading nothing else; not found when nothing is published. A published
// version never changes, so its number keys anything rendered from it.
func (s *Service) LatestVersion(ctx context.Context, stageID int64) (int, error) {
	var vs []int
	err := s.db.WithContext(ctx).Model(&Publication{}).Where("stage_id = ?", stageID).Order("version DESC").Limit(1).Pluck("version", &vs).Error
	if err != nil {
		return 0, err
	}
	if len(vs) == 0 {
		return 0, skillarena.NotFound("publication")
	}
	return vs[0], nil
}

// PublicResults returns the latest published results of a stage, for
// anyone: not found for an unknown stage or one with nothing published.
func (s *Service) PublicResults(ctx context.Context, stageID int64) (Publication, Ranking, error) {
	p, err := s.PublishedVersion(ctx, stageID, 0)
	if err != nil {
		return Publication{}, Ranking{}, err
	}
	r, err := p.Ranking()
	return p, r, err
}

// StageName returns a stage's name and its competition's, for public pages
// and documents; not found for an unknown stage.
func (s *Service) StageName(ctx context.Context, stageID int64) (stage, competition string, err error) {
	var row struct {
		Name            string
		CompetitionName string
	}
	err = s.db.WithContext(ctx).Table("stages").Select("stages.name, competitions.name AS competition_name").
		Joins("JOIN competitions ON competitions.id = stages.competition_id").Where("stages.id = ?", stageID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", "", skillarena.NotFound("stage")
	}
	return row.Name, row.CompetitionName, err
}

// MyResult is a contestant's row in the latest published results of a stage
// they were entered in.
type MyResult struct {
	StageID     int64
	StageName   string
	Competition string
	Version     int
	PublishedAt time.Time
	AppealUntil *time.Time
	Row         IndividualRanking
	Teams       int // how many teams the ranking has (0 without teams)
	Individuals int
}

// MyResults lists, newest stage first, the published results of every stage
// whose rosters held userID: the contestant's own row of the latest version.
// Stages with nothing published yet are left out.
func (s *Service) MyResults(ctx context.Context, userID int64) ([]MyResult, error) {
	var stages []int64
	if err := s.db.WithContext(ctx).Model(&RosterEntry{}).Where("user_id = ?", userID).
		Distinct().Order("stage_id DESC").Pluck("stage_id", &stages).Error; err != nil {
		return nil, err
	}
	out := []MyResult{}
	for _, id := range stages {
		p, r, err := s.PublicResults(ctx, id)
		if skillarena.ErrorCode(err) == skillarena.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		for _, row := range r.Individuals {
			if row.Contestant.ID != userID {
				continue
			}
			name, comp, err := s.StageName(ctx, id)
			if err != nil {
				return nil, err
			}
			out = append(out, MyResult{StageID: id, StageName: name, Competition: comp, Version: p.Version, PublishedAt: p.PublishedAt,
				AppealUntil: p.AppealUntil, Row: row, Teams: len(r.Teams), Individuals: len(r.Individuals)})
			break
		}
	}
	return out, nil
}

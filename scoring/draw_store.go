package scoring

import (
	"context"
	"encoding/hex"
	"encoding/json"
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

// PracticalDraw is one committed, and perhaps performed, draw of a stage.
type PracticalDraw struct {
	ID          int64
	StageID     int64
	Number      int
	SeedHex     string
	Commitment  string
	CommittedAt time.Time
	CommittedBy int64
	Entropy     *string
	DrawnAt     *time.Time
	DrawnBy     *int64
	PoolsJSON   *string `gorm:"column:pools_json"`
	ResultJSON  *string `gorm:"column:result_json"`
	Reason      string
}

// TableName keeps GORM's table name explicit.
func (PracticalDraw) TableName() string { return "practical_draws" }

// Performed reports whether the draw has been made (its seed is public).
func (d PracticalDraw) Performed() bool { return d.DrawnAt != nil }

// Pools and Result decode a performed draw.
func (d PracticalDraw) Pools() []TeamPool {
	var out []TeamPool
	if d.PoolsJSON != nil {
		json.Unmarshal([]byte(*d.PoolsJSON), &out)
	}
	return out
}

// Result decodes a performed draw's drawn contestants.
func (d PracticalDraw) Result() []Drawn {
	var out []Drawn
	if d.ResultJSON != nil {
		json.Unmarshal([]byte(*d.ResultJSON), &out)
	}
	return out
}

// Draws lists a stage's draws, oldest first.
func (s *Service) Draws(ctx context.Context, stageID int64) ([]PracticalDraw, error) {
	var out []PracticalDraw
	err := s.db.WithContext(ctx).Where("stage_id = ?", stageID).Order("number").Find(&out).Error
	return out, err
}

// CommitDraw commits the stage to a fresh secret seed and publishes its
// SHA-256, before anyone knows the entropy. Committing again while a
// commitment is open answers the open one. After a draw was made, a new
// commitment is a redraw and needs a reason. Stage organiser only; audited.
func (s *Service) CommitDraw(ctx context.Context, a StageAccess, reason string) (PracticalDraw, error) {
	if !a.Organiser {
		return PracticalDraw{}, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	if a.Stage.Kind != StageTeams {
		return PracticalDraw{}, skillarena.NewError(skillarena.ECONFLICT, "scoring.draw_needs_teams", nil)
	}
	if a.Stage.RostersLocked == nil {
		return PracticalDraw{}, skillarena.NewError(skillarena.ECONFLICT, "scoring.rosters_not_locked", nil)
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		return PracticalDraw{}, skillarena.Invalid(map[string]string{"reason": "scoring.reason_required"})
	}
	var d PracticalDraw
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := lockStage(tx, a.Stage.ID); err != nil {
			return err
		}
		var draws []PracticalDraw
		if err := tx.Where("stage_id = ?", a.Stage.ID).Order("number").Find(&draws).Error; err != nil {
			return err
		}
		if n := len(draws); n > 0 && !draws[n-1].Performed() {
			d = draws[n-1]
			return nil
		}
		if len(draws) > 0 && reason == "" {
			return skillarena.Invalid(map[string]string{"reason": "scoring.redraw_reason_required"})
		}
		seed := NewDrawSeed()
		d = PracticalDraw{StageID: a.Stage.ID, Number: len(draws) + 1, SeedHex: hex.EncodeToString(seed), Commitment: Commitment(seed),
			CommittedAt: s.clock.Now(), CommittedBy: skillarena.ActorID(ctx), Reason: reason}
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		action := "draw.commit"
		if d.Number > 1 {
			action = "draw.redraw_commit"
		}
		return s.audit.Append(ctx, tx, org.Change{Action: action, ObjectType: "stage", ObjectID: strconv.FormatInt(a.Stage.ID, 10),
			OrgUnitID: &a.Stage.OrgUnitID, After: map[string]any{"number": d.Number, "commitment": d.Commitment}, Reason: reason})
	})
	return d, dbError(err, "commit draw")
}

// drawPools builds each team's pool by the stage's rule from the rosters.
func drawPools(entries []RosterEntry, teams []int64, rule DrawPoolRule) []TeamPool {
	out := make([]TeamPool, 0, len(teams))
	for _, t := range teams {
		var nominee int64
		var written []int64
		for _, e := range entries {
			if e.TeamID != t {
				continue
			}
			switch e.Slot {
			case SlotNominee:
				nominee = e.UserID
			case SlotWritten:
				written = append(written, e.UserID)
			}
		}
		pool := []int64{}
		for _, u := range written {
			if rule == PoolWrittenExceptNominee && u == nominee {
				continue
			}
			pool = append(pool, u)
		}
		slices.Sort(pool)
		out = append(out, TeamPool{TeamID: t, Pool: pool})
	}
	return out
}

// PerformDraw makes the committed draw with the public entropy entered in the
// room: the seed is revealed, each team's drawn contestant follows from seed,
// entropy and the sorted pools, and goes on the roster. Audited.
func (s *Service) PerformDraw(ctx context.Context, a StageAccess, entropy string) (PracticalDraw, error) {
	if !a.Organiser {
		return PracticalDraw{}, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	entropy = strings.TrimSpace(entropy)
	if entropy == "" || utf8.RuneCountInString(entropy) > 200 {
		return PracticalDraw{}, skillarena.Invalid(map[string]string{"entropy": "scoring.entropy_required"})
	}
	now := s.clock.Now()
	var d PracticalDraw
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := lockStage(tx, a.Stage.ID)
		if err != nil {
			return err
		}
		err = tx.Where("stage_id = ? AND drawn_at IS NULL", a.Stage.ID).Order("number DESC").Take(&d).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return skillarena.NewError(skillarena.ECONFLICT, "scoring.draw_not_committed", nil)
		} else if err != nil {
			return err
		}
		var teams []int64
		if err := tx.Model(&Team{}).Where("stage_id = ?", a.Stage.ID).Order("org_unit_id").Pluck("org_unit_id", &teams).Error; err != nil {
			return err
		}
		var entries []RosterEntry
		if err := tx.Where("stage_id = ?", a.Stage.ID).Find(&entries).Error; err != nil {
			return err
		}
		pools := drawPools(entries, teams, st.Settings().DrawPool)
		seed, _ := hex.DecodeString(d.SeedHex)
		result, err := RunDraw(seed, entropy, pools)
		if errors.Is(err, ErrEmptyPool) {
			return skillarena.NewError(skillarena.ECONFLICT, "scoring.draw_pool_empty", nil)
		} else if err != nil {
			return err
		}
		pj, rj := mustJSON(pools), mustJSON(result)
		actor := skillarena.ActorID(ctx)
		res := tx.Model(&PracticalDraw{}).Where("id = ? AND drawn_at IS NULL", d.ID).
			Updates(map[string]any{"entropy": entropy, "drawn_at": now, "drawn_by": actor, "pools_json": pj, "result_json": rj})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "scoring.draw_not_committed", nil)
		}
		d.Entropy, d.DrawnAt, d.DrawnBy, d.PoolsJSON, d.ResultJSON = &entropy, &now, &actor, &pj, &rj
		if err := tx.Where("stage_id = ? AND slot = ?", a.Stage.ID, SlotDrawn).Delete(&RosterEntry{}).Error; err != nil {
			return err
		}
		for _, r := range result {
			if err := tx.Create(&RosterEntry{StageID: a.Stage.ID, TeamID: r.TeamID, UserID: r.ContestantID, Slot: SlotDrawn, CreatedAt: now}).Error; err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "draw.perform", ObjectType: "stage", ObjectID: strconv.FormatInt(a.Stage.ID, 10),
			OrgUnitID: &a.Stage.OrgUnitID, After: map[string]any{"number": d.Number, "entropy": entropy, "seed": d.SeedHex, "result": result}, Reason: d.Reason})
	})
	return d, dbError(err, "perform draw")
}

// DrawNames names what a published draw shows by id: the stage, its
// competition, the teams and every contestant in a pool, so the public page
// reads as names while the JSON stays re-runnable as it is.
type DrawNames struct {
	Stage       string
	Competition string
	Teams       map[int64]string
	Contestants map[int64]string
}

// NamesFor names the teams and contestants of the given draws of a stage.
func (s *Service) NamesFor(ctx context.Context, stageID int64, draws []PracticalDraw) (DrawNames, error) {
	var out DrawNames
	var err error
	if out.Stage, out.Competition, err = s.StageName(ctx, stageID); err != nil {
		return out, err
	}
	var teamIDs, people []int64
	for _, d := range draws {
		for _, p := range d.Pools() {
			teamIDs = append(teamIDs, p.TeamID)
			people = append(people, p.Pool...)
		}
	}
	us, err := units(s.db.WithContext(ctx), teamIDs)
	if err != nil {
		return out, err
	}
	out.Teams = map[int64]string{}
	for id, u := range us {
		out.Teams[id] = u.Name
	}
	var rows []struct {
		ID   int64
		Name string
	}
	out.Contestants = map[int64]string{}
	if len(people) > 0 {
		if err := s.db.WithContext(ctx).Table("users").Select("id, name").Where("id IN ?", people).Scan(&rows).Error; err != nil {
			return out, err
		}
	}
	for _, r := range rows {
		out.Contestants[r.ID] = r.Name
	}
	return out, nil
}

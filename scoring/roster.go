package scoring

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// Member is a contestant on a roster.
type Member struct {
	UserID   int64
	Username string
	Name     string
}

// Roster is one team's contestants in a stage.
type Roster struct {
	TeamID   int64
	TeamName string
	Written  []Member
	Nominee  *Member
	Drawn    *Member
}

// Rosters returns the rosters of the teams the caller may see: every team
// for the stage organiser, their own teams for a team organiser.
func (s *Service) Rosters(ctx context.Context, a StageAccess) ([]Roster, error) {
	teams, err := s.teamUnits(ctx, a.Stage.ID)
	if err != nil {
		return nil, err
	}
	var entries []struct {
		RosterEntry
		Username string
		Name     string
	}
	err = s.db.WithContext(ctx).Table("roster_entries").Select("roster_entries.*, users.username, users.name").
		Joins("JOIN users ON users.id = roster_entries.user_id").Where("roster_entries.stage_id = ?", a.Stage.ID).
		Order("roster_entries.id").Scan(&entries).Error
	if err != nil {
		return nil, err
	}
	if a.Stage.Kind == StageIndividuals {
		teams = []unitRow{{ID: 0}}
	}
	var out []Roster
	for _, t := range teams {
		if !a.CanActFor(t.ID) {
			continue
		}
		r := Roster{TeamID: t.ID, TeamName: t.Name, Written: []Member{}}
		for _, e := range entries {
			if e.TeamID != t.ID {
				continue
			}
			m := Member{UserID: e.UserID, Username: e.Username, Name: e.Name}
			switch e.Slot {
			case SlotWritten:
				r.Written = append(r.Written, m)
			case SlotNominee:
				r.Nominee = &m
			case SlotDrawn:
				r.Drawn = &m
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// RosterInput is a team's entry: its written contestants and its nominee
// for the practical round. A stage of individuals has no nominee: every
// contestant entered sits the written exam and does the practical.
type RosterInput struct {
	Written []int64
	Nominee int64
}

// SetRoster replaces a team's written contestants and nominee (none in a
// stage of individuals). A team
// organiser may do so until the roster deadline, the stage organiser until
// the rosters are locked. Every contestant must belong to the team's unit;
// fewer than the roster size is allowed (the missing count as absent).
func (s *Service) SetRoster(ctx context.Context, a StageAccess, teamID int64, in RosterInput) error {
	if !a.CanActFor(teamID) {
		return skillarena.NotFound("team")
	}
	st := a.Stage
	set := st.Settings()
	now := s.clock.Now()
	if st.RostersLocked != nil {
		return skillarena.NewError(skillarena.ECONFLICT, "scoring.rosters_locked", nil)
	}
	if !a.Organiser && st.RosterDeadline != nil && now.After(*st.RosterDeadline) {
		return skillarena.NewError(skillarena.EDEADLINEPASSED, "scoring.roster_deadline_passed", nil)
	}
	written := slices.Clone(in.Written)
	slices.Sort(written)
	f := map[string]string{}
	teams := st.Kind == StageTeams
	if teams && len(written) > set.WrittenRosterSize || len(written) > 10000 {
		f["written"] = "scoring.roster_too_long"
	}
	if len(slices.Compact(written)) != len(in.Written) {
		f["written"] = "scoring.roster_duplicate"
	}
	if teams && in.Nominee == 0 {
		f["nominee"] = "field.required"
	}
	if !teams && in.Nominee != 0 {
		f["nominee"] = "scoring.nominee_for_teams_only"
	}
	if len(f) > 0 {
		return &skillarena.Error{Code: skillarena.EINVALID, Message: "error.invalid_fields", Fields: f,
			FieldArgs: map[string]map[string]any{"written": {"Max": set.WrittenRosterSize}}}
	}
	people := slices.Clone(in.Written)
	if in.Nominee != 0 {
		people = append(people, in.Nominee)
	}
	if err := s.checkCandidates(ctx, a, people); err != nil {
		return err
	}
	return dbError(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.checkMembers(tx, st.ID, teamID, people); err != nil {
			return err
		}
		var before []RosterEntry
		if err := tx.Where("stage_id = ? AND team_id = ? AND slot IN ?", st.ID, teamID, []Slot{SlotWritten, SlotNominee}).Find(&before).Error; err != nil {
			return err
		}
		if err := tx.Where("stage_id = ? AND team_id = ? AND slot IN ?", st.ID, teamID, []Slot{SlotWritten, SlotNominee}).Delete(&RosterEntry{}).Error; err != nil {
			return err
		}
		for _, u := range in.Written {
			if err := tx.Create(&RosterEntry{StageID: st.ID, TeamID: teamID, UserID: u, Slot: SlotWritten, CreatedAt: now}).Error; err != nil {
				return err
			}
		}
		if in.Nominee != 0 {
			if err := tx.Create(&RosterEntry{StageID: st.ID, TeamID: teamID, UserID: in.Nominee, Slot: SlotNominee, CreatedAt: now}).Error; err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "roster.set", ObjectType: "stage", ObjectID: strconv.FormatInt(st.ID, 10),
			OrgUnitID: &teamID, Before: rosterOf(before), After: map[string]any{"written": in.Written, "nominee": in.Nominee}})
	}), "set roster")
}

func rosterOf(entries []RosterEntry) map[string]any {
	out := map[string]any{"written": []int64{}, "nominee": nil}
	var written []int64
	for _, e := range entries {
		switch e.Slot {
		case SlotWritten:
			written = append(written, e.UserID)
		case SlotNominee:
			out["nominee"] = e.UserID
		}
	}
	if written != nil {
		out["written"] = written
	}
	return out
}

// checkMembers refuses users who are not in the team's unit (or, for a stage
// of individuals, the stage's unit), who are staff rather than contestants,
// or who are on another team's roster.
func (s *Service) checkMembers(tx *gorm.DB, stageID, teamID int64, userIDs []int64) error {
	unitID := teamID
	if teamID == 0 {
		if err := tx.Model(&Stage{}).Where("id = ?", stageID).Pluck("org_unit_id", &unitID).Error; err != nil {
			return err
		}
	}
	us, err := units(tx, []int64{unitID})
	if err != nil {
		return err
	}
	var found []int64
	err = tx.Table("users").Select("users.id").Joins("JOIN org_units ON org_units.id = users.org_unit_id").
		Where("users.id IN ? AND org_units.path LIKE ?", userIDs, us[unitID].Path+"%").Pluck("users.id", &found).Error
	if err != nil {
		return err
	}
	for _, u := range userIDs {
		if !slices.Contains(found, u) {
			return &skillarena.Error{Code: skillarena.EINVALID, Message: "scoring.not_team_member", Args: map[string]any{"ID": u},
				Fields: map[string]string{"written": "scoring.not_team_member"}, FieldArgs: map[string]map[string]any{"written": {"ID": u}}}
		}
	}
	// Staff (someone whose grants are all organiser, author, invigilator or
	// judge) are not contestants; people without any grant may be entered.
	var grants []struct {
		UserID int64
		Role   org.Role
	}
	if err := tx.Table("grants").Select("user_id, role").Where("user_id IN ?", userIDs).Scan(&grants).Error; err != nil {
		return err
	}
	staff := map[int64]bool{}
	for _, g := range grants {
		staff[g.UserID] = true
	}
	for _, g := range grants {
		if g.Role == org.RoleContestant {
			staff[g.UserID] = false
		}
	}
	for _, u := range userIDs {
		if staff[u] {
			return &skillarena.Error{Code: skillarena.EINVALID, Message: "scoring.not_a_contestant", Args: map[string]any{"ID": u},
				Fields: map[string]string{"written": "scoring.not_a_contestant"}, FieldArgs: map[string]map[string]any{"written": {"ID": u}}}
		}
	}
	var elsewhere []int64
	if err := tx.Model(&RosterEntry{}).Where("stage_id = ? AND team_id <> ? AND user_id IN ?", stageID, teamID, userIDs).
		Pluck("user_id", &elsewhere).Error; err != nil {
		return err
	}
	if len(elsewhere) > 0 {
		u := elsewhere[0]
		return &skillarena.Error{Code: skillarena.EINVALID, Message: "scoring.on_another_team", Args: map[string]any{"ID": u},
			Fields: map[string]string{"written": "scoring.on_another_team"}, FieldArgs: map[string]map[string]any{"written": {"ID": u}}}
	}
	return nil
}

// checkCandidates refuses, in a stage that follows another, anyone outside
// the candidate pool its confirmed selection advanced.
func (s *Service) checkCandidates(ctx context.Context, a StageAccess, userIDs []int64) error {
	if a.Stage.PreviousStageID == nil {
		return nil
	}
	pool, err := s.CandidatePool(ctx, a)
	if err != nil {
		return err
	}
	if len(pool) == 0 {
		return skillarena.NewError(skillarena.ECONFLICT, "scoring.selection_not_confirmed", nil)
	}
	in := map[int64]bool{}
	for _, r := range pool {
		if r.Selected {
			in[r.Contestant.ID] = true
		}
	}
	for _, u := range userIDs {
		if !in[u] {
			return &skillarena.Error{Code: skillarena.EINVALID, Message: "scoring.not_a_candidate", Args: map[string]any{"ID": u},
				Fields: map[string]string{"written": "scoring.not_a_candidate"}, FieldArgs: map[string]map[string]any{"written": {"ID": u}}}
		}
	}
	return nil
}

// LockRosters closes the rosters: from now on a change is a substitution with
// a reason. Only the stage organiser locks. Audited.
func (s *Service) LockRosters(ctx context.Context, a StageAccess) error {
	if !a.Organiser {
		return skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	now := s.clock.Now()
	return dbError(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Stage{}).Where("id = ? AND rosters_locked_at IS NULL", a.Stage.ID).Updates(map[string]any{"rosters_locked_at": now, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "scoring.rosters_locked", nil)
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "roster.lock", ObjectType: "stage", ObjectID: strconv.FormatInt(a.Stage.ID, 10),
			OrgUnitID: &a.Stage.OrgUnitID, After: map[string]any{"locked_at": now}})
	}), "lock rosters")
}

// Substitute replaces one contestant of a locked roster with another in the
// same slot, with a reason; audited. When the written exam exists the new
// contestant is enrolled on it.
func (s *Service) Substitute(ctx context.Context, a StageAccess, teamID, out, in int64, slot Slot, reason string) error {
	if !a.CanActFor(teamID) {
		return skillarena.NotFound("team")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return skillarena.Invalid(map[string]string{"reason": "scoring.reason_required"})
	}
	if slot != SlotWritten && slot != SlotNominee {
		return skillarena.Invalid(map[string]string{"slot": "scoring.slot_unknown"})
	}
	if slot == SlotNominee && a.Stage.Kind == StageIndividuals {
		return skillarena.Invalid(map[string]string{"slot": "scoring.nominee_for_teams_only"})
	}
	if a.Stage.RostersLocked == nil {
		return skillarena.NewError(skillarena.ECONFLICT, "scoring.rosters_not_locked", nil)
	}
	if err := s.checkCandidates(ctx, a, []int64{in}); err != nil {
		return err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.checkMembers(tx, a.Stage.ID, teamID, []int64{in}); err != nil {
			return err
		}
		res := tx.Model(&RosterEntry{}).Where("stage_id = ? AND team_id = ? AND user_id = ? AND slot = ?", a.Stage.ID, teamID, out, slot).
			Update("user_id", in)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return skillarena.NotFound("roster_entry")
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "roster.substitute", ObjectType: "stage", ObjectID: strconv.FormatInt(a.Stage.ID, 10),
			OrgUnitID: &teamID, Before: map[string]any{"slot": slot, "user_id": out}, After: map[string]any{"slot": slot, "user_id": in}, Reason: reason})
	})
	if err != nil {
		return dbError(err, "substitute")
	}
	if slot == SlotWritten && a.Stage.WrittenExamID != nil {
		return s.exam.Enrol(ctx, *a.Stage.WrittenExamID, []int64{in})
	}
	return nil
}

package scoring

import (
	"cmp"
	"context"
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

// Selection (issue 5, item 8): a stage's advancement rule, applied to its
// latest published individual ranking, proposes who advances; organisers
// adjust it by hand with reasons and confirm it. The confirmed selection is
// the candidate pool of the stages whose previous stage it is.

// SelectionRuleKind names an advancement rule.
type SelectionRuleKind string

// The advancement rules.
const (
	// SelectTopPerUnit: the best K of every unit (the team in a stage with
	// teams, else the unit just below the stage's that holds the contestant).
	SelectTopPerUnit SelectionRuleKind = "top_per_unit"
	// SelectTopOverall: the best N of the stage.
	SelectTopOverall SelectionRuleKind = "top_overall"
	// SelectByHand: nobody by rule; organisers choose, each with a reason.
	SelectByHand SelectionRuleKind = "by_hand"
)

// SelectionRule is a stage's advancement rule. Places are those of the
// published individual ranking, so a tie at the cut takes everyone sharing
// the last place.
type SelectionRule struct {
	Kind SelectionRuleKind `json:"kind"`
	K    int               `json:"k,omitempty"`
	N    int               `json:"n,omitempty"`
}

// Validate checks a rule.
func (r SelectionRule) Validate() error {
	switch r.Kind {
	case SelectTopPerUnit:
		if r.K < 1 || r.K > 1000 {
			return skillarena.Invalid(map[string]string{"rule.k": "selection.k_range"})
		}
	case SelectTopOverall:
		if r.N < 1 || r.N > 100000 {
			return skillarena.Invalid(map[string]string{"rule.n": "selection.n_range"})
		}
	case SelectByHand:
	default:
		return skillarena.Invalid(map[string]string{"rule.kind": "selection.rule_unknown"})
	}
	return nil
}

// Selection is a stage's selection: its rule, the published version it was
// made from, and whether it is confirmed.
type Selection struct {
	ID          int64
	StageID     int64
	RuleJSON    string `gorm:"column:rule_json"`
	Version     int
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ConfirmedBy *int64
	ConfirmedAt *time.Time
}

// TableName keeps GORM's table name explicit.
func (Selection) TableName() string { return "stage_selections" }

// Rule decodes the selection's rule.
func (s Selection) Rule() SelectionRule {
	var r SelectionRule
	json.Unmarshal([]byte(s.RuleJSON), &r)
	return r
}

// SelectionEntry is one contestant of a selection.
type SelectionEntry struct {
	ID          int64
	SelectionID int64
	UserID      int64
	TeamID      int64
	// UnitID is the unit the contestant was ranked in for top_per_unit.
	UnitID   int64
	Place    int
	Total    skillarena.Points
	Selected bool
	// ByHand: an organiser chose (or dropped) the contestant, with Reason.
	ByHand bool
	Reason string
}

// TableName keeps GORM's table name explicit.
func (SelectionEntry) TableName() string { return "selection_entries" }

// SelectionChoice is an organiser's choice by hand.
type SelectionChoice struct {
	UserID   int64
	Selected bool
	Reason   string
}

// SelectionRow is a selection entry as shown.
type SelectionRow struct {
	Contestant RankingRef
	Team       *RankingRef
	Unit       RankingRef
	Place      int
	// PlaceInUnit is the place among the unit's contestants.
	PlaceInUnit int
	Total       string
	Selected    bool
	ByHand      bool
	Reason      string
}

// SelectionView is a stage's selection with its rows by place.
type SelectionView struct {
	Selection
	Rule SelectionRule
	Rows []SelectionRow
}

// candidate is a row of the published individual ranking with its unit of
// selection.
type candidate struct {
	row         IndividualRanking
	unit        RankingRef
	placeInUnit int
	total       skillarena.Points
}

// candidates reads the latest version's individuals with their units of
// selection and places in them.
func (s *Service) candidates(ctx context.Context, a StageAccess, r Ranking) ([]candidate, error) {
	db := s.db.WithContext(ctx)
	ids := []int64{a.Stage.OrgUnitID}
	for _, row := range r.Individuals {
		ids = append(ids, row.Unit.ID)
	}
	us, err := units(db, ids)
	if err != nil {
		return nil, err
	}
	stagePath := us[a.Stage.OrgUnitID].Path
	// The unit just below the stage's that holds each contestant.
	groupIDs := map[int64]int64{}
	var want []int64
	for _, row := range r.Individuals {
		p := strings.TrimPrefix(us[row.Unit.ID].Path, stagePath)
		first, _, _ := strings.Cut(p, "/")
		g, err := strconv.ParseInt(first, 10, 64)
		if err != nil || first == "" {
			g = a.Stage.OrgUnitID
		}
		groupIDs[row.Contestant.ID] = g
		want = append(want, g)
	}
	groups, err := units(db, want)
	if err != nil {
		return nil, err
	}
	out := make([]candidate, len(r.Individuals))
	for i, row := range r.Individuals {
		c := candidate{row: row}
		if row.Team != nil {
			c.unit = *row.Team
		} else {
			g := groupIDs[row.Contestant.ID]
			c.unit = RankingRef{ID: g, Name: groups[g].Name}
		}
		total, err := skillarena.ParsePoints(row.Total)
		if err != nil {
			return nil, err
		}
		c.total = total
		out[i] = c
	}
	// Places within the unit: 1 + how many of the unit rank strictly above.
	byUnit := map[int64][]int{}
	for i, c := range out {
		byUnit[c.unit.ID] = append(byUnit[c.unit.ID], i)
	}
	for _, idx := range byUnit {
		slices.SortFunc(idx, func(x, y int) int { return cmp.Compare(out[x].row.Rank, out[y].row.Rank) })
		for pos, i := range idx {
			if pos > 0 && out[idx[pos-1]].row.Rank == out[i].row.Rank {
				out[i].placeInUnit = out[idx[pos-1]].placeInUnit
			} else {
				out[i].placeInUnit = pos + 1
			}
		}
	}
	return out, nil
}

// ProposeSelection applies rule to the stage's latest published individual
// ranking, then the choices by hand (each needs a reason), and stores the
// result as the stage's unconfirmed selection, replacing an earlier one.
// The stage's organisers only; a confirmed selection is final. Audited.
func (s *Service) ProposeSelection(ctx context.Context, a StageAccess, rule SelectionRule, choices []SelectionChoice) (SelectionView, error) {
	if !a.Organiser {
		return SelectionView{}, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	if err := rule.Validate(); err != nil {
		return SelectionView{}, err
	}
	for i := range choices {
		choices[i].Reason = strings.TrimSpace(choices[i].Reason)
		if choices[i].Reason == "" || utf8.RuneCountInString(choices[i].Reason) > 500 {
			return SelectionView{}, skillarena.Invalid(map[string]string{"choices." + strconv.Itoa(i) + ".reason": "selection.reason_required"})
		}
	}
	pub, err := s.PublishedVersion(ctx, a.Stage.ID, 0)
	if skillarena.ErrorCode(err) == skillarena.ENOTFOUND {
		return SelectionView{}, skillarena.NewError(skillarena.ECONFLICT, "selection.not_published", nil)
	} else if err != nil {
		return SelectionView{}, err
	}
	r, err := pub.Ranking()
	if err != nil {
		return SelectionView{}, err
	}
	cs, err := s.candidates(ctx, a, r)
	if err != nil {
		return SelectionView{}, err
	}
	pos := make(map[int64]int, len(cs))
	for i, c := range cs {
		pos[c.row.Contestant.ID] = i
	}
	entries := make([]SelectionEntry, len(cs))
	for i, c := range cs {
		e := SelectionEntry{UserID: c.row.Contestant.ID, UnitID: c.unit.ID, Place: c.row.Rank, Total: c.total}
		if c.row.Team != nil {
			e.TeamID = c.row.Team.ID
		}
		switch rule.Kind {
		case SelectTopPerUnit:
			e.Selected = c.placeInUnit <= rule.K
		case SelectTopOverall:
			e.Selected = c.row.Rank <= rule.N
		}
		entries[i] = e
	}
	for i, ch := range choices {
		j, ok := pos[ch.UserID]
		if !ok {
			return SelectionView{}, skillarena.Invalid(map[string]string{"choices." + strconv.Itoa(i) + ".user_id": "selection.not_in_results"})
		}
		entries[j].Selected, entries[j].ByHand, entries[j].Reason = ch.Selected, true, ch.Reason
	}
	now := s.clock.Now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sel Selection
		err := tx.Where("stage_id = ?", a.Stage.ID).Take(&sel).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			sel = Selection{StageID: a.Stage.ID, CreatedAt: now}
		case err != nil:
			return err
		case sel.ConfirmedAt != nil:
			return skillarena.NewError(skillarena.ECONFLICT, "selection.confirmed", nil)
		}
		sel.RuleJSON, sel.Version, sel.CreatedBy, sel.UpdatedAt = mustJSON(rule), pub.Version, skillarena.ActorID(ctx), now
		if err := tx.Save(&sel).Error; err != nil {
			return err
		}
		if err := tx.Where("selection_id = ?", sel.ID).Delete(&SelectionEntry{}).Error; err != nil {
			return err
		}
		for i := range entries {
			entries[i].SelectionID = sel.ID
		}
		if len(entries) > 0 {
			if err := tx.CreateInBatches(entries, 500).Error; err != nil {
				return err
			}
		}
		selected := 0
		for _, e := range entries {
			if e.Selected {
				selected++
			}
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "selection.propose", ObjectType: "stage", ObjectID: strconv.FormatInt(a.Stage.ID, 10),
			OrgUnitID: &a.Stage.OrgUnitID, After: map[string]any{"rule": rule, "version": pub.Version, "selected": selected, "by_hand": choices}})
	})
	if err != nil {
		return SelectionView{}, dbError(err, "propose selection")
	}
	return s.SelectionOf(ctx, a)
}

// SelectionOf returns the stage's selection (not found when none was
// proposed), for anyone with access to the stage.
func (s *Service) SelectionOf(ctx context.Context, a StageAccess) (SelectionView, error) {
	db := s.db.WithContext(ctx)
	var sel Selection
	if err := db.Where("stage_id = ?", a.Stage.ID).Take(&sel).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return SelectionView{}, skillarena.NotFound("selection")
	} else if err != nil {
		return SelectionView{}, err
	}
	return s.selectionView(ctx, sel, false)
}

func (s *Service) selectionView(ctx context.Context, sel Selection, selectedOnly bool) (SelectionView, error) {
	db := s.db.WithContext(ctx)
	var rows []struct {
		SelectionEntry
		Name     string
		TeamName *string
		UnitName string
	}
	q := db.Table("selection_entries").
		Select("selection_entries.*, users.name, teams.name AS team_name, units.name AS unit_name").
		Joins("JOIN users ON users.id = selection_entries.user_id").
		Joins("LEFT JOIN org_units teams ON teams.id = selection_entries.team_id").
		Joins("LEFT JOIN org_units units ON units.id = selection_entries.unit_id").
		Where("selection_entries.selection_id = ?", sel.ID)
	if selectedOnly {
		q = q.Where("selection_entries.selected = ?", true)
	}
	if err := q.Order("selection_entries.place, selection_entries.id").Scan(&rows).Error; err != nil {
		return SelectionView{}, err
	}
	v := SelectionView{Selection: sel, Rule: sel.Rule(), Rows: make([]SelectionRow, len(rows))}
	// Places within the unit, from the stored places.
	seen := map[int64][]int{}
	for i, r := range rows {
		row := SelectionRow{Contestant: RankingRef{ID: r.UserID, Name: r.Name}, Unit: RankingRef{ID: r.UnitID, Name: r.UnitName},
			Place: r.Place, Total: r.Total.String(), Selected: r.Selected, ByHand: r.ByHand, Reason: r.Reason}
		if r.TeamID != 0 && r.TeamName != nil {
			row.Team = &RankingRef{ID: r.TeamID, Name: *r.TeamName}
		}
		prev := seen[r.UnitID]
		row.PlaceInUnit = len(prev) + 1
		if n := len(prev); n > 0 && rows[prev[n-1]].Place == r.Place {
			row.PlaceInUnit = v.Rows[prev[n-1]].PlaceInUnit
		}
		seen[r.UnitID] = append(prev, i)
		v.Rows[i] = row
	}
	return v, nil
}

// ConfirmSelection confirms the stage's selection: from now on it is the
// candidate pool of the next stage and cannot change. Refused when a newer
// version was published since it was proposed (propose it again). The
// stage's organisers only. Audited.
func (s *Service) ConfirmSelection(ctx context.Context, a StageAccess) (SelectionView, error) {
	if !a.Organiser {
		return SelectionView{}, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	latest, err := s.PublishedVersion(ctx, a.Stage.ID, 0)
	if err != nil {
		return SelectionView{}, skillarena.NotFound("selection")
	}
	now := s.clock.Now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sel Selection
		if err := tx.Where("stage_id = ?", a.Stage.ID).Take(&sel).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return skillarena.NotFound("selection")
		} else if err != nil {
			return err
		}
		if sel.ConfirmedAt != nil {
			return skillarena.NewError(skillarena.ECONFLICT, "selection.confirmed", nil)
		}
		if sel.Version != latest.Version {
			return skillarena.NewError(skillarena.ECONFLICT, "selection.stale", map[string]any{"Version": latest.Version})
		}
		actor := skillarena.ActorID(ctx)
		res := tx.Model(&Selection{}).Where("id = ? AND confirmed_at IS NULL", sel.ID).
			Updates(map[string]any{"confirmed_by": actor, "confirmed_at": now, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return skillarena.NewError(skillarena.ECONFLICT, "selection.confirmed", nil)
		}
		var selected []int64
		if err := tx.Model(&SelectionEntry{}).Where("selection_id = ? AND selected = ?", sel.ID, true).Order("place, user_id").
			Pluck("user_id", &selected).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "selection.confirm", ObjectType: "stage", ObjectID: strconv.FormatInt(a.Stage.ID, 10),
			OrgUnitID: &a.Stage.OrgUnitID, After: map[string]any{"version": sel.Version, "rule": sel.Rule(), "selected": selected}})
	})
	if err != nil {
		return SelectionView{}, dbError(err, "confirm selection")
	}
	return s.SelectionOf(ctx, a)
}

// CandidatePool returns the candidate pool of a stage: the contestants the
// confirmed selection of its previous stage advanced. A stage without a
// previous stage, or whose previous stage's selection is not confirmed yet,
// has an empty pool.
func (s *Service) CandidatePool(ctx context.Context, a StageAccess) ([]SelectionRow, error) {
	if a.Stage.PreviousStageID == nil {
		return []SelectionRow{}, nil
	}
	var sel Selection
	err := s.db.WithContext(ctx).Where("stage_id = ? AND confirmed_at IS NOT NULL", *a.Stage.PreviousStageID).Take(&sel).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return []SelectionRow{}, nil
	} else if err != nil {
		return nil, err
	}
	v, err := s.selectionView(ctx, sel, true)
	return v.Rows, err
}

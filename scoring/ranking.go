package scoring

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/exam"
)

// Rankings (DOMAIN.md rules 4 to 6, API.md "Rankings"): a stage's team and
// individual rankings, computed from the published individual scores with
// the exact arithmetic of arith.go. Every row carries the figures it is
// computed from, so anyone can recompute it from what it shows.

// RankingKind says which ranking of a stage is meant.
type RankingKind string

// The ranking kinds.
const (
	RankingTeam       RankingKind = "team"
	RankingIndividual RankingKind = "individual"
)

// RankingRef names a team, a unit or a contestant in a ranking.
type RankingRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// RankingWeights are the stage's weights as decimal strings ("0.40").
type RankingWeights struct {
	Written   string `json:"written"`
	Practical string `json:"practical"`
}

// RankingStage is the part of a stage's settings a ranking is computed with.
type RankingStage struct {
	ID                 int64          `json:"id"`
	Name               string         `json:"name"`
	Kind               StageKind      `json:"kind"`
	Precision          int            `json:"precision"`
	Weights            RankingWeights `json:"weights"`
	WrittenRosterSize  int            `json:"written_roster_size"`
	PracticalSize      int            `json:"practical_size"`
	AbsentCountsAsZero bool           `json:"absent_counts_as_zero"`
	Aggregation        Aggregation    `json:"aggregation"`
	TieBreak           []Figure       `json:"tie_break"`
}

// RankingMember is a team member's published individual figures.
type RankingMember struct {
	Contestant RankingRef `json:"contestant"`
	// Written is null when the member is not on the written roster or was
	// absent; Practical when they did not do the practical or have no
	// signed-off mark.
	Written   *string `json:"written"`
	Practical *string `json:"practical"`
	// Absent: on the written roster without a submitted attempt.
	Absent bool `json:"absent"`
	// InWritten: on the written roster, so counted in the written average.
	InWritten bool `json:"in_written"`
	// PracticalRole is "nominee" or "drawn" for the practical contestants.
	PracticalRole *Slot `json:"practical_role"`
	// Pending: a figure is not final yet (marking open).
	Pending bool `json:"pending"`
}

// TeamRanking is one row of the team ranking.
type TeamRanking struct {
	Rank      int             `json:"rank"`
	Team      RankingRef      `json:"team"`
	Written   string          `json:"written"`
	Practical string          `json:"practical"`
	Total     string          `json:"total"`
	Members   []RankingMember `json:"members"`
	Pending   bool            `json:"pending"`
}

// IndividualRanking is one row of the individual ranking. Total is
// written × its weight + practical × its weight from the published figures
// (a missing figure counts as 0), rounded once.
type IndividualRanking struct {
	Rank       int         `json:"rank"`
	Contestant RankingRef  `json:"contestant"`
	Team       *RankingRef `json:"team"`
	// Unit is the contestant's own org unit.
	Unit      RankingRef `json:"unit"`
	Written   *string    `json:"written"`
	Practical *string    `json:"practical"`
	Total     string     `json:"total"`
	Absent    bool       `json:"absent"`
	// PracticalJudges are the signed-off judges' totals behind Practical:
	// the stage's aggregation of them, rounded once, gives Practical.
	PracticalJudges []string `json:"practical_judges"`
	Pending         bool     `json:"pending"`
}

// Ranking is a stage's results: both rankings, as published or as the
// current draft.
type Ranking struct {
	Stage       RankingStage        `json:"stage"`
	Teams       []TeamRanking       `json:"teams"`
	Individuals []IndividualRanking `json:"individuals"`
	// Pending counts contestants with a figure that is not final yet.
	Pending int `json:"pending"`
	// ComputedAt is when the draft was computed (a published version's
	// publication time); not part of the stored rows, so that the same
	// figures always hash alike.
	ComputedAt time.Time `json:"-"`
}

// FormatAt writes p, already rounded at precision, with that many decimal
// places: "87.25", "87.3", "87".
func FormatAt(p skillarena.Points, precision int) string {
	v := int64(p)
	var b [24]byte
	out := b[:0]
	if v < 0 {
		out, v = append(out, '-'), -v
	}
	out = strconv.AppendInt(out, v/100, 10)
	if precision > 0 {
		frac := v % 100
		out = append(out, '.', byte('0'+frac/10))
		if precision > 1 {
			out = append(out, byte('0'+frac%10))
		}
	}
	return string(out)
}

// weightString writes a weight in hundredths as a fraction of one: 40 → "0.40".
func weightString(w skillarena.Points) string {
	return fmt.Sprintf("%d.%02d", int64(w)/100, int64(w)%100)
}

func stageOf(st Stage, set Settings) RankingStage {
	tb := slices.Clone(set.TieBreak)
	if tb == nil {
		tb = []Figure{}
	}
	return RankingStage{ID: st.ID, Name: st.Name, Kind: st.Kind, Precision: set.Precision,
		Weights:           RankingWeights{Written: weightString(set.Weights.Written), Practical: weightString(set.Weights.Practical)},
		WrittenRosterSize: set.WrittenRosterSize, PracticalSize: set.PracticalSize, AbsentCountsAsZero: set.AbsentCountsAsZero,
		Aggregation: set.Aggregation, TieBreak: tb}
}

// RankingEntrant is one contestant of a stage as the ranking needs them.
type RankingEntrant struct {
	UserID   int64
	Username string
	Name     string
	UnitID   int64
	UnitName string
	// TeamID is the team's org unit, 0 in a stage of individuals.
	TeamID int64
	// InWritten: on the written roster. Role: the practical slot (nominee or
	// drawn), "" when not a practical contestant.
	InWritten bool
	Role      Slot
}

// RankingWritten is a contestant's written-round score: present when they
// submitted; Graded false while judges still mark it.
type RankingWritten struct {
	Score  skillarena.Points
	Graded bool
}

// RankingPractical is a contestant's practical score: Has when at least one
// judge has signed off; Judges are the signed-off judges' totals.
type RankingPractical struct {
	Has      bool
	Points   skillarena.Points
	Judges   []skillarena.Points
	Complete bool
}

// RankingInput is everything a ranking is computed from.
type RankingInput struct {
	Stage     Stage
	Settings  Settings
	Teams     []RankingRef
	Entrants  []RankingEntrant
	Written   map[int64]RankingWritten
	Practical map[int64]RankingPractical
	Now       time.Time
}

// ComputeRanking computes both rankings of a stage. Individual figures are
// the published ones (at the stage's precision); a team's figures stay
// exact from them to the one rounding of each (CombineTeam); ties are broken
// by the stage's tie-break figures, then shared (Rank).
func ComputeRanking(in RankingInput) Ranking {
	set := in.Settings
	rules := set.Rules()
	prec := set.Precision
	out := Ranking{Stage: stageOf(in.Stage, set), Teams: []TeamRanking{}, Individuals: []IndividualRanking{}, ComputedAt: in.Now}

	// Individuals, once each (a written contestant may also be a practical one).
	type person struct {
		e                  RankingEntrant
		written, practical *skillarena.Points
		absent, pending    bool
		judges             []string
		inWritten          bool
		role               Slot
	}
	byUser := make(map[int64]*person, len(in.Entrants))
	var people []*person
	for _, e := range in.Entrants {
		p := byUser[e.UserID]
		if p == nil {
			p = &person{e: e}
			byUser[e.UserID] = p
			people = append(people, p)
		}
		if e.InWritten {
			p.inWritten = true
		}
		if e.Role != "" {
			p.role = e.Role
		}
		if e.TeamID != 0 {
			p.e.TeamID = e.TeamID
		}
	}
	// Many contestants share a score: each distinct figure is rounded, and
	// each distinct pair combined, once.
	published := map[skillarena.Points]skillarena.Points{}
	publish := func(x skillarena.Points) skillarena.Points {
		if prec == MaxPrecision {
			return x // hundredths are at the finest precision already
		}
		v, ok := published[x]
		if !ok {
			v = RoundHalfUp(exactOf(x), prec)
			published[x] = v
		}
		return v
	}
	totals := map[[2]skillarena.Points]skillarena.Points{}
	individualTotal := func(w, p skillarena.Points) skillarena.Points {
		v, ok := totals[[2]skillarena.Points{w, p}]
		if !ok {
			v = RoundHalfUp(TeamTotal(exactOf(w), exactOf(p), rules.Weights), prec)
			totals[[2]skillarena.Points{w, p}] = v
		}
		return v
	}
	for _, p := range people {
		if w, ok := in.Written[p.e.UserID]; ok {
			v := publish(w.Score)
			p.written = &v
			if !w.Graded {
				p.pending = true
			}
		} else if p.inWritten {
			p.absent = true
		}
		if pr, ok := in.Practical[p.e.UserID]; ok {
			if pr.Has {
				v := pr.Points
				p.practical = &v
			}
			p.judges = make([]string, len(pr.Judges))
			for i, j := range pr.Judges {
				p.judges[i] = j.String()
			}
			if p.role != "" || in.Stage.Kind == StageIndividuals {
				if !pr.Complete {
					p.pending = true
				}
			}
		} else if p.role != "" {
			// A practical contestant without a score sheet yet.
			p.pending = true
		}
		if p.pending {
			out.Pending++
		}
	}

	str := func(v *skillarena.Points) *string {
		if v == nil {
			return nil
		}
		s := FormatAt(*v, prec)
		return &s
	}
	orZero := func(v *skillarena.Points) skillarena.Points {
		if v == nil {
			return 0
		}
		return *v
	}

	// The individual ranking.
	teamNames := make(map[int64]string, len(in.Teams))
	for _, t := range in.Teams {
		teamNames[t.ID] = t.Name
	}
	rows := make([]Ranked, len(people))
	for i, p := range people {
		total := individualTotal(orZero(p.written), orZero(p.practical))
		rows[i] = Ranked{Key: p.e.Username, Figures: map[Figure]skillarena.Points{
			FigureTotal: total, FigureWritten: orZero(p.written), FigurePractical: orZero(p.practical)}}
	}
	places, order := Rank(rows, rules.TieBreak)
	for _, i := range order {
		p := people[i]
		r := IndividualRanking{Rank: places[i], Contestant: RankingRef{ID: p.e.UserID, Name: p.e.Name},
			Unit: RankingRef{ID: p.e.UnitID, Name: p.e.UnitName}, Written: str(p.written), Practical: str(p.practical),
			Total: FormatAt(rows[i].Figures[FigureTotal], prec), Absent: p.absent, PracticalJudges: p.judges, Pending: p.pending}
		if r.PracticalJudges == nil {
			r.PracticalJudges = []string{}
		}
		if p.e.TeamID != 0 {
			r.Team = &RankingRef{ID: p.e.TeamID, Name: teamNames[p.e.TeamID]}
		}
		out.Individuals = append(out.Individuals, r)
	}

	// The team ranking.
	if in.Stage.Kind != StageTeams {
		return out
	}
	members := map[int64][]*person{}
	for _, p := range people {
		members[p.e.TeamID] = append(members[p.e.TeamID], p)
	}
	teams := make([]TeamRanking, len(in.Teams))
	trows := make([]Ranked, len(in.Teams))
	for ti, t := range in.Teams {
		ms := members[t.ID]
		slices.SortStableFunc(ms, func(a, b *person) int {
			// Written roster first, then the practical contestants; by username.
			if a.inWritten != b.inWritten {
				if a.inWritten {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.e.Username, b.e.Username)
		})
		var written, practical []skillarena.Points
		row := TeamRanking{Team: t, Members: make([]RankingMember, 0, len(ms))}
		for _, p := range ms {
			m := RankingMember{Contestant: RankingRef{ID: p.e.UserID, Name: p.e.Name}, InWritten: p.inWritten,
				Absent: p.absent, Pending: p.pending}
			if p.inWritten {
				m.Written = str(p.written)
				if p.written != nil {
					written = append(written, *p.written)
				}
			}
			if p.role != "" {
				role := p.role
				m.PracticalRole = &role
				m.Practical = str(p.practical)
				if p.practical != nil {
					practical = append(practical, *p.practical)
				}
			}
			if p.pending {
				row.Pending = true
			}
			row.Members = append(row.Members, m)
		}
		sc := CombineTeam(written, practical, rules)
		row.Written, row.Practical, row.Total = FormatAt(sc.PublishedWritten, prec), FormatAt(sc.PublishedPractical, prec), FormatAt(sc.PublishedTotal, prec)
		teams[ti] = row
		trows[ti] = Ranked{Key: fmt.Sprintf("%s\x00%020d", t.Name, t.ID), Figures: map[Figure]skillarena.Points{
			FigureTotal: sc.PublishedTotal, FigureWritten: sc.PublishedWritten, FigurePractical: sc.PublishedPractical}}
	}
	tplaces, torder := Rank(trows, rules.TieBreak)
	for _, i := range torder {
		teams[i].Rank = tplaces[i]
		out.Teams = append(out.Teams, teams[i])
	}
	return out
}

// Filter keeps the rows of teams and contestants whose unit is in units (a
// region's or county's subtree); ranks stay those of the whole ranking.
func (r Ranking) Filter(units map[int64]bool) Ranking {
	out := r
	out.Teams = []TeamRanking{}
	for _, t := range r.Teams {
		if units[t.Team.ID] {
			out.Teams = append(out.Teams, t)
		}
	}
	out.Individuals = []IndividualRanking{}
	for _, p := range r.Individuals {
		if units[p.Unit.ID] || (p.Team != nil && units[p.Team.ID]) {
			out.Individuals = append(out.Individuals, p)
		}
	}
	return out
}

// UnitSubtree returns the ids of a unit and every unit below it; an unknown
// unit answers not found.
func (s *Service) UnitSubtree(ctx context.Context, unitID int64) (map[int64]bool, error) {
	db := s.db.WithContext(ctx)
	us, err := units(db, []int64{unitID})
	if err != nil {
		return nil, err
	}
	u, ok := us[unitID]
	if !ok {
		return nil, skillarena.NotFound("unit")
	}
	var ids []int64
	if err := db.Table("org_units").Where("path LIKE ?", u.Path+"%").Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// rankingInput reads everything a stage's ranking is computed from: the
// rosters, the written exam's scores and the practical scores.
func (s *Service) rankingInput(ctx context.Context, st Stage) (RankingInput, error) {
	db := s.db.WithContext(ctx)
	in := RankingInput{Stage: st, Settings: st.Settings(), Now: s.clock.Now()}
	teams, err := s.teamUnits(ctx, st.ID)
	if err != nil {
		return in, err
	}
	for _, t := range teams {
		in.Teams = append(in.Teams, RankingRef{ID: t.ID, Name: t.Name})
	}
	// The rosters, the written scores and the practical marks are read at
	// once, each on its own connection (on MySQL the reads overlap).
	var scores map[int64]exam.ContestantScore
	var ps map[int64]PracticalScore
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		in.Entrants, err = rosterEntrants(db.WithContext(gctx), st.ID)
		return err
	})
	if st.WrittenExamID != nil {
		g.Go(func() (err error) {
			scores, err = s.exam.ContestantScores(gctx, *st.WrittenExamID)
			return err
		})
	}
	g.Go(func() (err error) {
		ps, err = s.PracticalScores(gctx, st.ID)
		return err
	})
	if err := g.Wait(); err != nil {
		return in, err
	}
	known := make(map[int64]bool, len(in.Entrants))
	for _, en := range in.Entrants {
		known[en.UserID] = true
	}
	in.Written = map[int64]RankingWritten{}
	for id, sc := range scores {
		if known[id] {
			in.Written[id] = RankingWritten{Score: sc.Score, Graded: sc.Graded}
		}
	}
	in.Practical = make(map[int64]RankingPractical, len(ps))
	var extra []int64
	for id, p := range ps {
		rp := RankingPractical{Has: p.Exact != nil, Points: p.Points, Complete: p.Complete}
		for _, j := range p.Judges {
			if j.SignedOff {
				rp.Judges = append(rp.Judges, j.Total)
			}
		}
		slices.Sort(rp.Judges)
		in.Practical[id] = rp
		if !known[id] {
			extra = append(extra, id)
		}
	}
	if len(extra) > 0 {
		// Practical contestants of a stage of individuals who are on no roster.
		var us []struct {
			ID       int64
			Username string
			Name     string
			UnitID   int64
			UnitName string
		}
		err := db.Table("users").Select("users.id, users.username, users.name, users.org_unit_id AS unit_id, org_units.name AS unit_name").
			Joins("JOIN org_units ON org_units.id = users.org_unit_id").Where("users.id IN ?", extra).Scan(&us).Error
		if err != nil {
			return in, err
		}
		for _, u := range us {
			in.Entrants = append(in.Entrants, RankingEntrant{UserID: u.ID, Username: u.Username, Name: u.Name, UnitID: u.UnitID,
				UnitName: u.UnitName, TeamID: ps[u.ID].TeamID})
		}
	}
	return in, nil
}

// rosterEntrants reads a stage's roster entries with their people and
// units, in entry order. Scanned by hand: 10,000 rows through reflection
// cost more than the ranking itself.
func rosterEntrants(db *gorm.DB, stageID int64) ([]RankingEntrant, error) {
	rows, err := db.Table("roster_entries").
		Select("roster_entries.user_id, roster_entries.team_id, roster_entries.slot, users.username, users.name, users.org_unit_id, org_units.name").
		Joins("JOIN users ON users.id = roster_entries.user_id").
		Joins("JOIN org_units ON org_units.id = users.org_unit_id").
		Where("roster_entries.stage_id = ?", stageID).Order("roster_entries.id").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RankingEntrant
	for rows.Next() {
		var en RankingEntrant
		var slot Slot
		if err := rows.Scan(&en.UserID, &en.TeamID, &slot, &en.Username, &en.Name, &en.UnitID, &en.UnitName); err != nil {
			return nil, err
		}
		switch slot {
		case SlotWritten:
			en.InWritten = true
		case SlotNominee, SlotDrawn:
			en.Role = slot
		}
		out = append(out, en)
	}
	return out, rows.Err()
}

// DraftRanking computes the stage's current results from the marks as they
// stand: what would be published now. Stage organisers only.
func (s *Service) DraftRanking(ctx context.Context, a StageAccess) (Ranking, error) {
	if !a.Organiser {
		return Ranking{}, skillarena.NewError(skillarena.EFORBIDDEN, "scoring.stage_organiser_only", nil)
	}
	in, err := s.rankingInput(ctx, a.Stage)
	if err != nil {
		return Ranking{}, err
	}
	return ComputeRanking(in), nil
}

// ParseRankingKind reads a kind parameter ("" is team for a stage with
// teams, individual otherwise).
func ParseRankingKind(s string, st Stage) (RankingKind, error) {
	switch strings.TrimSpace(s) {
	case "":
		if st.Kind == StageTeams {
			return RankingTeam, nil
		}
		return RankingIndividual, nil
	case string(RankingTeam):
		return RankingTeam, nil
	case string(RankingIndividual):
		return RankingIndividual, nil
	}
	return "", skillarena.Invalid(map[string]string{"kind": "ranking.kind_unknown"})
}

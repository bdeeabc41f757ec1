package scoring

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"skillarena"
)

// The live board (issue 5, item 6): during the practical round the public
// follows the practical scores as judges sign off. It shows signed-off
// marks only: a contestant's score from the judges who have signed off, and
// their totals; never a mark before its judge's sign-off.

// LiveContestant is one practical contestant on the live board.
type LiveContestant struct {
	Contestant RankingRef  `json:"contestant"`
	Team       *RankingRef `json:"team"`
	// Practical is the score from the signed-off judges, at the stage's
	// precision; null until one has signed off.
	Practical *string `json:"practical"`
	// Judges are the signed-off judges' totals, lowest first.
	Judges []string `json:"judges"`
	// Complete: every judge of the contestant's panel has signed off and no
	// discrepancy is open.
	Complete bool `json:"complete"`
}

// LiveBoard is the public live board of a stage's practical round.
type LiveBoard struct {
	Stage       RankingRef       `json:"stage"`
	Precision   int              `json:"precision"`
	Aggregation Aggregation      `json:"aggregation"`
	Scored      int              `json:"scored"`
	Complete    int              `json:"complete"`
	Contestants []LiveContestant `json:"contestants"`
	ServerTime  time.Time        `json:"server_time"`
}

// LiveBoardOf reads a stage's live board, for anyone: the practical
// contestants, best score first (those without one last, by name). Not
// found for an unknown stage.
func (s *Service) LiveBoardOf(ctx context.Context, stageID int64) (LiveBoard, error) {
	db := s.db.WithContext(ctx)
	var st Stage
	if err := db.Where("id = ?", stageID).Take(&st).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return LiveBoard{}, skillarena.NotFound("stage")
	} else if err != nil {
		return LiveBoard{}, err
	}
	set := st.Settings()
	ps, err := s.PracticalScores(ctx, stageID)
	if err != nil {
		return LiveBoard{}, err
	}
	ids := make([]int64, 0, len(ps))
	for id := range ps {
		ids = append(ids, id)
	}
	names := map[int64]string{}
	if len(ids) > 0 {
		var us []struct {
			ID   int64
			Name string
		}
		if err := db.Table("users").Select("id, name").Where("id IN ?", ids).Scan(&us).Error; err != nil {
			return LiveBoard{}, err
		}
		for _, u := range us {
			names[u.ID] = u.Name
		}
	}
	teams, err := s.teamUnits(ctx, stageID)
	if err != nil {
		return LiveBoard{}, err
	}
	teamNames := map[int64]string{}
	for _, t := range teams {
		teamNames[t.ID] = t.Name
	}
	b := LiveBoard{Stage: RankingRef{ID: st.ID, Name: st.Name}, Precision: set.Precision, Aggregation: set.Aggregation,
		Contestants: make([]LiveContestant, 0, len(ps)), ServerTime: s.clock.Now()}
	sortKey := map[int64]skillarena.Points{}
	for id, p := range ps {
		c := LiveContestant{Contestant: RankingRef{ID: id, Name: names[id]}, Judges: []string{}, Complete: p.Complete}
		if p.TeamID != 0 {
			c.Team = &RankingRef{ID: p.TeamID, Name: teamNames[p.TeamID]}
		}
		var totals []skillarena.Points
		for _, j := range p.Judges {
			if j.SignedOff {
				totals = append(totals, j.Total)
			}
		}
		slices.Sort(totals)
		for _, t := range totals {
			c.Judges = append(c.Judges, t.String())
		}
		sortKey[id] = -1
		if p.Exact != nil {
			v := FormatAt(p.Points, set.Precision)
			c.Practical = &v
			sortKey[id] = p.Points
			b.Scored++
		}
		if p.Complete {
			b.Complete++
		}
		b.Contestants = append(b.Contestants, c)
	}
	slices.SortFunc(b.Contestants, func(x, y LiveContestant) int {
		if c := cmp.Compare(sortKey[y.Contestant.ID], sortKey[x.Contestant.ID]); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Contestant.Name, y.Contestant.Name); c != 0 {
			return c
		}
		return cmp.Compare(x.Contestant.ID, y.Contestant.ID)
	})
	return b, nil
}

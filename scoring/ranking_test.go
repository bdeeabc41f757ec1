package scoring_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/exam"
	"skillarena/scoring"
)

// setWritten gives the stage a written exam in which each listed contestant
// submitted an attempt with that score (graded unless listed in ungraded).
func setWritten(t testing.TB, db *gorm.DB, clock *skillarena.FixedClock, st scoring.Stage, admin int64, scores map[int64]skillarena.Points, ungraded ...int64) int64 {
	t.Helper()
	now := clock.Now()
	bp := exam.Blueprint{OrgUnitID: st.OrgUnitID, Name: "笔试卷", SectionsJSON: "[]", CreatedBy: admin, CreatedAt: now, UpdatedAt: now}
	require.NoError(t, db.Create(&bp).Error)
	e := exam.Exam{OrgUnitID: st.OrgUnitID, Title: "笔试", Kind: exam.KindCompetition, OpensAt: now.Add(-3 * time.Hour), ClosesAt: now.Add(-time.Hour),
		DurationSeconds: 3600, BlueprintID: bp.ID, PaperMode: exam.PaperFixed, MaxAttempts: 1, ResultsVisibility: exam.ResultsManual,
		CreatedBy: admin, CreatedAt: now, UpdatedAt: now}
	require.NoError(t, db.Create(&e).Error)
	paper := exam.Paper{ExamID: e.ID, Seed: "00", ItemsJSON: "[]", CreatedAt: now}
	require.NoError(t, db.Create(&paper).Error)
	var attempts []exam.Attempt
	for u, sc := range scores {
		sc := sc
		graded := true
		for _, x := range ungraded {
			graded = graded && x != u
		}
		sub := now.Add(-2 * time.Hour)
		attempts = append(attempts, exam.Attempt{ExamID: e.ID, UserID: u, Number: 1, PaperID: paper.ID, Status: exam.AttemptSubmitted,
			StartedAt: now.Add(-3 * time.Hour), Deadline: now.Add(-2 * time.Hour), AcceptUntil: now.Add(-2 * time.Hour), SubmittedAt: &sub,
			SubmittedBy: "contestant", Score: &sc, Graded: graded, CreatedAt: now, UpdatedAt: now})
	}
	if len(attempts) > 0 {
		require.NoError(t, db.CreateInBatches(&attempts, 500).Error)
	}
	require.NoError(t, db.Model(&scoring.Stage{}).Where("id = ?", st.ID).Update("written_exam_id", e.ID).Error)
	return e.ID
}

// remark changes a contestant's written score, as a re-mark would.
func remark(t *testing.T, db *gorm.DB, examID, userID int64, score skillarena.Points) {
	t.Helper()
	require.NoError(t, db.Model(&exam.Attempt{}).Where("exam_id = ? AND user_id = ?", examID, userID).Update("score", score).Error)
}

func p(s string) skillarena.Points {
	v, err := skillarena.ParsePoints(s)
	if err != nil {
		panic(err)
	}
	return v
}

// markTotal has a judge give a contestant a total (criterion 2, on its scale,
// 30 or 40, criterion 1 the rest) and sign off.
func (pr *practical) markTotal(t *testing.T, judge, contestant int64, total skillarena.Points) {
	t.Helper()
	j := skillarena.Points(3000)
	if total-j > 6000 {
		j = 4000
	}
	_, err := pr.svc.SaveMarks(as(judge), judge, pr.stage.ID, contestant,
		[]scoring.MarkInput{{CriterionID: 1, Points: total - j}, {CriterionID: 2, Points: j}})
	require.NoError(t, err)
	_, err = pr.svc.SignOff(as(judge), judge, pr.stage.ID, contestant)
	require.NoError(t, err)
}

// workedExample puts DOMAIN.md's worked example into the database: county 1
// is team A (seven written scores and an absentee; the nominee's five judges
// 88, 92, 85, 90, 79 and the drawn contestant's 91, 93, 90, 89, 95), county 2
// is team B (written 74.35, practical 89.20). It returns the written exam.
func workedExample(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) (*practical, int64) {
	pr := newPractical(t, db, clock)
	a, b := pr.members[pr.c1.ID], pr.members[pr.c2.ID]
	scores := map[int64]skillarena.Points{}
	for i, s := range []string{"86.50", "91.00", "78.25", "88.75", "69.50", "95.00", "82.10"} {
		scores[a[i]] = p(s) // a[7] is absent
	}
	for _, u := range b[:8] {
		scores[u] = p("74.35")
	}
	examID := setWritten(t, db, clock, pr.stage, pr.admin, scores)
	for i, j := range pr.judges {
		pr.markTotal(t, j, pr.nominee[pr.c1.ID], p([]string{"88", "92", "85", "90", "79"}[i]))
		pr.markTotal(t, j, pr.drawn[pr.c1.ID], p([]string{"91", "93", "90", "89", "95"}[i]))
	}
	// Team B's six judges (the county 1 judge too) all give 89.20.
	for _, j := range append(pr.judges, pr.county) {
		pr.markTotal(t, j, pr.nominee[pr.c2.ID], p("89.20"))
		pr.markTotal(t, j, pr.drawn[pr.c2.ID], p("89.20"))
	}
	return pr, examID
}

// DOMAIN.md's worked example through the database: team A's total 83.255
// is published 83.26, team B's too, and A ranks above B on the practical
// score.
func TestRanking_WorkedExampleFromTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		pr, _ := workedExample(t, db, clock)
		r, err := pr.svc.DraftRanking(context.Background(), pr.access(t, pr.stage, pr.prov))
		require.NoError(t, err)
		require.Len(t, r.Teams, 2)
		a, b := r.Teams[0], r.Teams[1]
		assert.Equal(t, pr.c1.ID, a.Team.ID, "A above B")
		assert.Equal(t, []string{"73.89", "89.50", "83.26"}, []string{a.Written, a.Practical, a.Total})
		assert.Equal(t, []string{"74.35", "89.20", "83.26"}, []string{b.Written, b.Practical, b.Total})
		assert.Equal(t, []int{1, 2}, []int{a.Rank, b.Rank})
		assert.Equal(t, "0.40", r.Stage.Weights.Written)

		byID := map[int64]scoring.RankingMember{}
		for _, m := range a.Members {
			byID[m.Contestant.ID] = m
		}
		nominee := byID[pr.nominee[pr.c1.ID]]
		require.NotNil(t, nominee.Practical)
		assert.Equal(t, "87.67", *nominee.Practical)
		assert.Equal(t, "91.33", *byID[pr.drawn[pr.c1.ID]].Practical)
		absent := byID[pr.members[pr.c1.ID][7]]
		assert.True(t, absent.Absent)
		assert.Nil(t, absent.Written)

		for _, row := range r.Individuals {
			if row.Contestant.ID == pr.nominee[pr.c1.ID] {
				assert.Equal(t, []string{"79.00", "85.00", "88.00", "90.00", "92.00"}, row.PracticalJudges, "the marks behind the score")
				assert.Equal(t, "86.50", *row.Written)
				// 0.40 × 86.50 + 0.60 × 87.67 = 34.60 + 52.602 = 87.202
				assert.Equal(t, "87.20", row.Total)
			}
		}
		recomputeAll(t, r)

		// Filtered by county 2, only team B and its contestants remain, with
		// their places in the whole ranking.
		units, err := pr.svc.UnitSubtree(context.Background(), pr.c2.ID)
		require.NoError(t, err)
		f := r.Filter(units)
		require.Len(t, f.Teams, 1)
		assert.Equal(t, 2, f.Teams[0].Rank)
		for _, row := range f.Individuals {
			assert.Equal(t, pr.c2.ID, row.Team.ID)
		}
		assert.Len(t, f.Individuals, 8, "the eight written contestants, the nominee and the drawn one among them")
	})
}

// halfUp rounds x half up at precision, written out here independently of
// arith.go.
func halfUp(x *big.Rat, precision int) string {
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(precision)), nil))
	v := new(big.Rat).Mul(x, scale)
	v.Add(v, big.NewRat(1, 2))
	q := new(big.Int).Quo(v.Num(), v.Denom())
	return new(big.Rat).SetFrac(q, scale.Num()).FloatString(precision)
}

func dec(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	require.True(t, ok, "%q is a decimal", s)
	return r
}

// recomputeAll recomputes every row of a ranking, as API.md tells a reader,
// from its JSON alone: each team's total from its members and the stage
// block, each contestant's total from their figures, each practical score
// from the judges' totals, and the order of the rows.
func recomputeAll(t *testing.T, r scoring.Ranking) {
	t.Helper()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var doc struct {
		Stage struct {
			Precision          int               `json:"precision"`
			Weights            map[string]string `json:"weights"`
			WrittenRosterSize  int               `json:"written_roster_size"`
			PracticalSize      int               `json:"practical_size"`
			AbsentCountsAsZero bool              `json:"absent_counts_as_zero"`
			Aggregation        string            `json:"aggregation"`
		} `json:"stage"`
		Teams []struct {
			Rank                      int
			Written, Practical, Total string
			Members                   []struct {
				Written, Practical *string
				InWritten          bool    `json:"in_written"`
				PracticalRole      *string `json:"practical_role"`
			}
		} `json:"teams"`
		Individuals []struct {
			Rank               int
			Written, Practical *string
			Total              string
			PracticalJudges    []string `json:"practical_judges"`
		} `json:"individuals"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	st := doc.Stage
	ww, wp := dec(t, st.Weights["written"]), dec(t, st.Weights["practical"])
	mean := func(vals []string) *big.Rat {
		sum := new(big.Rat)
		for _, v := range vals {
			sum.Add(sum, dec(t, v))
		}
		return sum.Quo(sum, big.NewRat(int64(len(vals)), 1))
	}
	avg := func(vals []string, size int) *big.Rat {
		sum := new(big.Rat)
		for _, v := range vals {
			sum.Add(sum, dec(t, v))
		}
		if !st.AbsentCountsAsZero {
			size = len(vals)
		}
		if size == 0 {
			return sum
		}
		return sum.Quo(sum, big.NewRat(int64(size), 1))
	}
	for _, row := range doc.Teams {
		var written, practical []string
		for _, m := range row.Members {
			if m.InWritten && m.Written != nil {
				written = append(written, *m.Written)
			}
			if m.PracticalRole != nil && m.Practical != nil {
				practical = append(practical, *m.Practical)
			}
		}
		w, pr := avg(written, st.WrittenRosterSize), avg(practical, st.PracticalSize)
		total := new(big.Rat).Add(new(big.Rat).Mul(w, ww), new(big.Rat).Mul(pr, wp))
		assert.Equal(t, halfUp(w, st.Precision), row.Written)
		assert.Equal(t, halfUp(pr, st.Precision), row.Practical)
		assert.Equal(t, halfUp(total, st.Precision), row.Total, "team total recomputed from its members")
	}
	for _, row := range doc.Individuals {
		w, pr := new(big.Rat), new(big.Rat)
		if row.Written != nil {
			w = dec(t, *row.Written)
		}
		if row.Practical != nil {
			pr = dec(t, *row.Practical)
			judges := row.PracticalJudges
			if st.Aggregation == "trimmed_mean" && len(judges) >= 5 {
				judges = judges[1 : len(judges)-1] // lowest first
			}
			assert.Equal(t, *row.Practical, halfUp(mean(judges), st.Precision), "practical score from the judges' totals")
		}
		total := new(big.Rat).Add(new(big.Rat).Mul(w, ww), new(big.Rat).Mul(pr, wp))
		assert.Equal(t, halfUp(total, st.Precision), row.Total, "individual total recomputed from its figures")
	}
	for i := 1; i < len(doc.Teams); i++ {
		prev, cur := dec(t, doc.Teams[i-1].Total), dec(t, doc.Teams[i].Total)
		assert.True(t, prev.Cmp(cur) >= 0, "teams by total")
		assert.True(t, doc.Teams[i-1].Rank <= doc.Teams[i].Rank)
		if prev.Cmp(cur) > 0 {
			assert.Equal(t, i+1, doc.Teams[i].Rank, "a lower total takes the place of its position")
		}
	}
	for i := 1; i < len(doc.Individuals); i++ {
		prev, cur := dec(t, doc.Individuals[i-1].Total), dec(t, doc.Individuals[i].Total)
		assert.True(t, prev.Cmp(cur) >= 0, "contestants by total")
		if prev.Cmp(cur) > 0 {
			assert.Equal(t, i+1, doc.Individuals[i].Rank)
		}
	}
}

// randomInput is a stage of teams with random scores, absentees, practical
// contestants without a score, and the given rules.
func randomInput(rng *rand.Rand, teams, perTeam int, set scoring.Settings) scoring.RankingInput {
	in := scoring.RankingInput{Stage: scoring.Stage{ID: 1, Name: "省决赛", Kind: scoring.StageTeams}, Settings: set,
		Written: map[int64]scoring.RankingWritten{}, Practical: map[int64]scoring.RankingPractical{}, Now: time.Unix(0, 0).UTC()}
	id := int64(1000)
	for ti := range teams {
		team := int64(10 + ti)
		in.Teams = append(in.Teams, scoring.RankingRef{ID: team, Name: fmt.Sprintf("队%03d", ti)})
		for k := range perTeam {
			id++
			e := scoring.RankingEntrant{UserID: id, Username: fmt.Sprintf("u%06d", id), Name: fmt.Sprintf("选手%d", id), UnitID: team,
				UnitName: "县", TeamID: team, InWritten: true}
			in.Entrants = append(in.Entrants, e)
			if rng.IntN(12) > 0 {
				// Scores in hundredths; coarse ones make ties likely.
				sc := skillarena.Points(5000 + rng.IntN(50)*100)
				if rng.IntN(2) == 0 {
					sc = skillarena.Points(5000 + rng.IntN(5000))
				}
				in.Written[id] = scoring.RankingWritten{Score: sc, Graded: true}
			}
			if k < set.PracticalSize {
				role := scoring.SlotNominee
				if k > 0 {
					role = scoring.SlotDrawn
				}
				in.Entrants = append(in.Entrants, scoring.RankingEntrant{UserID: id, Username: e.Username, Name: e.Name, UnitID: team,
					UnitName: "县", TeamID: team, Role: role})
				if rng.IntN(10) > 0 {
					var judges []skillarena.Points
					for range 3 + rng.IntN(4) {
						judges = append(judges, skillarena.Points(6000+rng.IntN(4000)))
					}
					exact := scoring.JudgesScore(judges, set.Aggregation)
					sortPoints(judges)
					in.Practical[id] = scoring.RankingPractical{Has: true, Points: scoring.RoundHalfUp(exact, set.Precision), Judges: judges, Complete: true}
				}
			}
		}
	}
	return in
}

func sortPoints(ps []skillarena.Points) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j] < ps[j-1]; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// Anyone can recompute every row from what it shows: each team's total
// from its members and the stage block, each contestant's total from their
// figures, each practical score from the judges' totals, at every precision
// and under both absentee rules.
func TestRanking_EveryRowRecomputesExactlyFromTheJSONShown(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 7))
	for _, precision := range []int{0, 1, 2} {
		for _, zero := range []bool{true, false} {
			for _, agg := range []scoring.Aggregation{scoring.AggregateTrimmedMean, scoring.AggregateMean} {
				t.Run(fmt.Sprintf("precision %d, absent as zero %v, %s", precision, zero, agg), func(t *testing.T) {
					set := scoring.DefaultSettings()
					set.Precision, set.AbsentCountsAsZero, set.Aggregation = precision, zero, agg
					set.Weights = scoring.Weights{Written: 35, Practical: 65}
					r := scoring.ComputeRanking(randomInput(rng, 40, 8, set))
					require.Len(t, r.Teams, 40)
					require.Len(t, r.Individuals, 320)
					recomputeAll(t, r)
					for _, row := range r.Teams {
						_, frac, _ := strings.Cut(row.Total, ".")
						assert.Len(t, frac, precision, "figures at the stage's precision: %s", row.Total)
					}
				})
			}
		}
	}
}

// An individual's figures are published at the stage's precision; the
// team's stay exact from them until the one rounding of each figure.
func TestRanking_TeamFiguresStayExactUntilTheOneRounding(t *testing.T) {
	set := scoring.DefaultSettings()
	team := []scoring.RankingRef{{ID: 9, Name: "甲"}}
	entrants := func(n int, practical ...int64) []scoring.RankingEntrant {
		var out []scoring.RankingEntrant
		for i := range n {
			out = append(out, scoring.RankingEntrant{UserID: int64(i + 1), Username: fmt.Sprint(i + 1), TeamID: 9, InWritten: true})
		}
		for i, u := range practical {
			role := scoring.SlotNominee
			if i > 0 {
				role = scoring.SlotDrawn
			}
			out = append(out, scoring.RankingEntrant{UserID: u, Username: fmt.Sprint(u), TeamID: 9, Role: role})
		}
		return out
	}

	// Written 560.04 / 8 = 70.005 (shown 70.01), practical 80.02: the total
	// is 28.002 + 48.012 = 76.014 → 76.01. Rounding the written score first
	// would give 28.004 + 48.012 = 76.016 → 76.02.
	in := scoring.RankingInput{Stage: scoring.Stage{ID: 1, Kind: scoring.StageTeams}, Settings: set, Teams: team,
		Entrants: entrants(8, 1, 2), Written: map[int64]scoring.RankingWritten{}, Practical: map[int64]scoring.RankingPractical{}}
	for u := int64(1); u <= 8; u++ {
		in.Written[u] = scoring.RankingWritten{Score: p("70.00"), Graded: true}
	}
	in.Written[8] = scoring.RankingWritten{Score: p("70.04"), Graded: true}
	for _, u := range []int64{1, 2} {
		in.Practical[u] = scoring.RankingPractical{Has: true, Points: p("80.02"), Judges: []skillarena.Points{p("80.02")}, Complete: true}
	}
	r := scoring.ComputeRanking(in)
	assert.Equal(t, []string{"70.01", "80.02", "76.01"}, []string{r.Teams[0].Written, r.Teams[0].Practical, r.Teams[0].Total})
	assert.Zero(t, r.Pending)

	// At precision 1 each individual's 80.04 is published as 80.0 and the
	// team computes from the published figures: (80.0 + 80.0) / 8 = 20.0.
	set.Precision = 1
	in = scoring.RankingInput{Stage: scoring.Stage{ID: 1, Kind: scoring.StageTeams}, Settings: set, Teams: team, Entrants: entrants(2),
		Written: map[int64]scoring.RankingWritten{1: {Score: p("80.04"), Graded: true}, 2: {Score: p("80.04"), Graded: true}}}
	r = scoring.ComputeRanking(in)
	assert.Equal(t, "80.0", *r.Individuals[0].Written)
	assert.Equal(t, "20.0", r.Teams[0].Written)
	assert.Equal(t, "8.0", r.Teams[0].Total)
}

// A written attempt still being marked and a practical contestant without
// signed-off marks leave the ranking pending.
func TestRanking_PendingWhileMarkingIsOpen(t *testing.T) {
	set := scoring.DefaultSettings()
	in := scoring.RankingInput{Stage: scoring.Stage{ID: 1, Kind: scoring.StageTeams}, Settings: set,
		Teams:     []scoring.RankingRef{{ID: 9, Name: "甲"}},
		Written:   map[int64]scoring.RankingWritten{1: {Score: p("80"), Graded: false}, 2: {Score: p("70"), Graded: true}},
		Practical: map[int64]scoring.RankingPractical{2: {Has: true, Points: p("60"), Judges: []skillarena.Points{p("60")}, Complete: false}}}
	in.Entrants = []scoring.RankingEntrant{{UserID: 1, Username: "a", TeamID: 9, InWritten: true}, {UserID: 2, Username: "b", TeamID: 9, InWritten: true},
		{UserID: 2, Username: "b", TeamID: 9, Role: scoring.SlotNominee}, {UserID: 3, Username: "c", TeamID: 9, Role: scoring.SlotDrawn}}
	r := scoring.ComputeRanking(in)
	assert.Equal(t, 3, r.Pending)
	assert.True(t, r.Teams[0].Pending)
	recomputeAll(t, r)
}

// Figures are written with the stage's precision.
func TestFormatAt_ThePrecisionsDecimalPlaces(t *testing.T) {
	for _, c := range []struct {
		p    skillarena.Points
		prec int
		want string
	}{{8725, 2, "87.25"}, {8730, 1, "87.3"}, {8700, 0, "87"}, {5, 2, "0.05"}, {0, 2, "0.00"}, {-1, 2, "-0.01"}, {100_000_000, 1, "1000000.0"}} {
		assert.Equal(t, c.want, scoring.FormatAt(c.p, c.prec))
		if c.prec == 2 {
			assert.Equal(t, c.p.String(), scoring.FormatAt(c.p, c.prec))
		}
	}
}

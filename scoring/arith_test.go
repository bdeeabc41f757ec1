package scoring_test

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena"
	"skillarena/scoring"
)

func pts(t *testing.T, ss ...string) []skillarena.Points {
	t.Helper()
	out := make([]skillarena.Points, len(ss))
	for i, s := range ss {
		p, err := skillarena.ParsePoints(s)
		require.NoError(t, err)
		out[i] = p
	}
	return out
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

// DOMAIN.md's worked example, figure by figure.
func TestWorkedExample_TeamAAndB(t *testing.T) {
	r := scoring.DefaultRules()
	// Team A: seven written scores and one absentee.
	written := pts(t, "86.50", "91.00", "78.25", "88.75", "69.50", "95.00", "82.10")
	w := scoring.TeamWrittenScore(written, r)
	assert.Equal(t, rat("73.8875").String(), w.String(), "591.10 / 8 exactly")
	assert.Equal(t, "73.89", scoring.RoundHalfUp(w, 2).String())

	nominee := scoring.JudgesScore(pts(t, "88", "92", "85", "90", "79"), scoring.AggregateTrimmedMean)
	assert.Equal(t, big.NewRat(263, 3).String(), nominee.String(), "(88 + 85 + 90) / 3")
	drawn := scoring.JudgesScore(pts(t, "91", "93", "90", "89", "95"), scoring.AggregateTrimmedMean)
	assert.Equal(t, big.NewRat(274, 3).String(), drawn.String())
	practical := []skillarena.Points{scoring.RoundHalfUp(nominee, 2), scoring.RoundHalfUp(drawn, 2)}
	assert.Equal(t, "87.67", practical[0].String())
	assert.Equal(t, "91.33", practical[1].String())

	a := scoring.CombineTeam(written, practical, r)
	assert.Equal(t, "89.50", a.PublishedPractical.String())
	assert.Equal(t, rat("83.255").String(), a.Total.String(), "29.555 + 53.700 exactly")
	assert.Equal(t, "83.26", a.PublishedTotal.String(), "rounded once, half up")

	// Team B: written 74.35, practical 89.20 → 83.26 too.
	b := scoring.TeamTotal(rat("74.35"), rat("89.20"), r.Weights)
	assert.Equal(t, "83.26", scoring.RoundHalfUp(b, 2).String())
}

// An absent contestant counts as 0 over the full roster by default; with the
// rule switched, the average is over those present.
func TestAbsentee_CountsAsZeroByDefault_OrIsLeftOutWhenTheRuleSaysSo(t *testing.T) {
	r := scoring.DefaultRules()
	scores := pts(t, "80", "80", "80", "80", "80", "80", "80") // one absent
	assert.Equal(t, "70.00", scoring.RoundHalfUp(scoring.TeamWrittenScore(scores, r), 2).String())
	r.AbsentCountsAsZero = false
	assert.Equal(t, "80.00", scoring.RoundHalfUp(scoring.TeamWrittenScore(scores, r), 2).String())
	assert.Equal(t, "0.00", scoring.RoundHalfUp(scoring.TeamWrittenScore(nil, r), 2).String(), "nobody present")
}

// With 5 or more judges the highest and lowest marks are dropped; with 4 or
// fewer the plain mean counts; the plain-mean rule never trims.
func TestJudgesScore_TrimmedMeanFromFiveJudges(t *testing.T) {
	four := pts(t, "60", "90", "91", "99")
	assert.Equal(t, rat("85").String(), scoring.JudgesScore(four, scoring.AggregateTrimmedMean).String())
	five := pts(t, "60", "90", "91", "92", "99")
	assert.Equal(t, rat("91").String(), scoring.JudgesScore(five, scoring.AggregateTrimmedMean).String())
	assert.Equal(t, rat("86.4").String(), scoring.JudgesScore(five, scoring.AggregateMean).String())
	assert.Nil(t, scoring.JudgesScore(nil, scoring.AggregateMean))
}

// Rounding is half up (away from zero), exact, at the stage's precision.
func TestRoundHalfUp_AtTheStagePrecision(t *testing.T) {
	for _, c := range []struct {
		in        string
		precision int
		want      string
	}{
		{"83.255", 2, "83.26"},
		{"83.2549999", 2, "83.25"},
		{"0.005", 2, "0.01"},
		{"2.345", 2, "2.35"}, // 2.345 has no exact binary fraction and would round down
		{"1.005", 2, "1.01"},
		{"87.65", 1, "87.70"},
		{"87.64", 1, "87.60"},
		{"89.5", 0, "90.00"},
		{"-0.005", 2, "-0.01"},
		{"263/3", 2, "87.67"},
	} {
		assert.Equal(t, c.want, scoring.RoundHalfUp(rat(c.in), c.precision).String(), "%s at %d", c.in, c.precision)
	}
}

func ranked(key string, total, practical, written string) scoring.Ranked {
	p := func(s string) skillarena.Points { v, _ := skillarena.ParsePoints(s); return v }
	return scoring.Ranked{Key: key, Figures: map[scoring.Figure]skillarena.Points{
		scoring.FigureTotal: p(total), scoring.FigurePractical: p(practical), scoring.FigureWritten: p(written)}}
}

// Equal totals are ordered by the practical score (DOMAIN.md: A above B).
func TestRank_TieBrokenByThePracticalScore(t *testing.T) {
	rows := []scoring.Ranked{ranked("B", "83.26", "89.20", "74.35"), ranked("A", "83.26", "89.50", "73.89")}
	places, order := scoring.Rank(rows, scoring.DefaultRules().TieBreak)
	assert.Equal(t, []int{1, 0}, order, "A first")
	assert.Equal(t, []int{2, 1}, places)
}

// Rows equal on the total and every tie-break figure share a place, and the
// next place skips.
func TestRank_TieThatStaysSharedSkipsTheNextPlace(t *testing.T) {
	rows := []scoring.Ranked{
		ranked("C", "80.00", "85.00", "72.50"),
		ranked("A", "90.00", "90.00", "90.00"),
		ranked("B", "80.00", "85.00", "72.50"),
		ranked("D", "79.99", "99.00", "55.00"),
	}
	places, order := scoring.Rank(rows, scoring.DefaultRules().TieBreak)
	assert.Equal(t, []int{1, 2, 0, 3}, order, "A, then B and C by key, then D")
	assert.Equal(t, []int{2, 1, 2, 4}, places)
}

// Totals that differ by 0.01 rank apart, whatever the tie-break figures say.
func TestRank_TotalsThatDifferByOneHundredthRankApart(t *testing.T) {
	rows := []scoring.Ranked{ranked("X", "83.25", "99.00", "99.00"), ranked("Y", "83.26", "10.00", "10.00")}
	places, _ := scoring.Rank(rows, scoring.DefaultRules().TieBreak)
	assert.Equal(t, []int{2, 1}, places)
}

package exam_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena/exam"
)

// Every expected figure below was worked out by hand (the working is in the
// comments), not by running the code.

func TestDescribe_MeanMedianSampleSDMinMax(t *testing.T) {
	// 1 2 3 4 10: mean 20/5 = 4; median 3; deviations −3 −2 −1 0 6,
	// squares 9 4 1 0 36 = 50, /(5−1) = 12.5, √12.5 = 3.5355.
	s := exam.Describe([]float64{10, 3, 1, 4, 2})
	assert.Equal(t, 5, s.N)
	assert.InDelta(t, 4, s.Mean, 1e-12)
	assert.InDelta(t, 3, s.Median, 1e-12)
	assert.InDelta(t, 3.5355, s.SD, 1e-4)
	assert.Equal(t, 1.0, s.Min)
	assert.Equal(t, 10.0, s.Max)
}

func TestDescribe_MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo(t *testing.T) {
	assert.InDelta(t, 2.5, exam.Describe([]float64{4, 1, 3, 2}).Median, 1e-12)
	assert.Equal(t, exam.Summary{}, exam.Describe(nil))
	one := exam.Describe([]float64{7})
	assert.Equal(t, exam.Summary{N: 1, Mean: 7, Median: 7, Min: 7, Max: 7}, one, "one value has no spread")
}

func TestHistogram_TenEqualBarsAndAFullMarkCountsInTheLast(t *testing.T) {
	bins := exam.Histogram([]float64{0, 5, 10, 95, 100, 49.99}, 0, 100, 10)
	require.Len(t, bins, 10)
	assert.Equal(t, exam.Bin{From: 0, To: 10, Count: 2}, bins[0], "0 and 5")
	assert.Equal(t, exam.Bin{From: 10, To: 20, Count: 1}, bins[1], "10 starts the second bar")
	assert.Equal(t, 1, bins[4].Count, "49.99")
	assert.Equal(t, exam.Bin{From: 90, To: 100, Count: 2}, bins[9], "95 and the full mark 100")
	total := 0
	for _, b := range bins {
		total += b.Count
	}
	assert.Equal(t, 6, total, "no value is lost")
}

func TestHistogram_DegenerateRangeIsOneBar(t *testing.T) {
	assert.Equal(t, []exam.Bin{{From: 0, To: 0, Count: 3}}, exam.Histogram([]float64{0, 0, 0}, 0, 0, 10))
}

func TestFacility_IsScoreOverPointsOffered(t *testing.T) {
	// Four contestants on a 2-point item scoring 2, 2, 0, 1: 5 / 8.
	f, ok := exam.Facility([]float64{2, 2, 0, 1}, []float64{2, 2, 2, 2})
	require.True(t, ok)
	assert.InDelta(t, 0.625, f, 1e-12)
	// The same question worth 1 point on one paper and 2 on another:
	// (1 + 1) / (1 + 2).
	f, _ = exam.Facility([]float64{1, 1}, []float64{1, 2})
	assert.InDelta(t, 2.0/3, f, 1e-12)
	_, ok = exam.Facility(nil, nil)
	assert.False(t, ok, "no observation, no facility")
}

func TestPointBiserial_MatchesTheTextbookFormula(t *testing.T) {
	// Item right for the two best of four, rest scores 4 3 2 1:
	// M₁ = 3.5, M₀ = 1.5, sₙ = √1.25 (population), p = q = ½:
	// (3.5 − 1.5) / √1.25 · ½ = 2/√5 = 0.894427.
	r, ok := exam.PointBiserial([]float64{1, 1, 0, 0}, []float64{4, 3, 2, 1})
	require.True(t, ok)
	assert.InDelta(t, 0.894427, r, 1e-6)
	// Reversed: the weak got it right.
	r, _ = exam.PointBiserial([]float64{0, 0, 1, 1}, []float64{4, 3, 2, 1})
	assert.InDelta(t, -0.894427, r, 1e-6)
}

func TestPointBiserial_UndefinedWhenEveryoneGotTheItemRight(t *testing.T) {
	_, ok := exam.PointBiserial([]float64{1, 1, 1}, []float64{3, 2, 1})
	assert.False(t, ok)
	_, ok = exam.PointBiserial([]float64{1}, []float64{3})
	assert.False(t, ok, "one contestant")
}

func TestDiscrimination_CorrelatesWithTheTotalMinusTheItem(t *testing.T) {
	// Totals 5 4 2 1 include the item (1 1 0 0); the rest is 4 3 2 1, so
	// the corrected coefficient is the 2/√5 above, not the uncorrected
	// correlation with 5 4 2 1 (which is higher: 0.9487).
	r, ok := exam.Discrimination([]float64{1, 1, 0, 0}, []float64{5, 4, 2, 1})
	require.True(t, ok)
	assert.InDelta(t, 0.894427, r, 1e-6)
	uncorrected, _ := exam.PointBiserial([]float64{1, 1, 0, 0}, []float64{5, 4, 2, 1})
	assert.InDelta(t, 0.948683, uncorrected, 1e-6)
}

func TestCronbachAlpha_MatchesWorkedExample(t *testing.T) {
	// Four contestants, three right/wrong items (columns):
	//   P1 1 1 1 | 3    item variances (n−1): 0.25, 1/3, 0.25 → Σ 0.8333
	//   P2 1 1 0 | 2    totals 3 2 1 0: variance 5/3
	//   P3 1 0 0 | 1    α = 3/2 · (1 − 0.8333 / 1.6667) = 3/2 · ½ = 0.75
	//   P4 0 0 0 | 0
	a, ok := exam.CronbachAlpha([][]float64{{1, 1, 1, 0}, {1, 1, 0, 0}, {1, 0, 0, 0}})
	require.True(t, ok)
	assert.InDelta(t, 0.75, a, 1e-12)
}

func TestCronbachAlpha_PartialMarksWorkedExample(t *testing.T) {
	// The paper of the statistics store test: three 2-point single choice
	// and two 1-point true/false items, four contestants.
	//   SC1 2 2 2 0  var 1       TF1 1 1 0 1  var 0.25
	//   SC2 2 2 0 0  var 4/3     TF2 1 0 0 0  var 0.25
	//   SC3 2 0 0 0  var 1       totals 8 5 2 1: var 30/3 = 10
	// α = 5/4 · (1 − 3.8333/10) = 0.770833.
	a, ok := exam.CronbachAlpha([][]float64{{2, 2, 2, 0}, {2, 2, 0, 0}, {2, 0, 0, 0}, {1, 1, 0, 1}, {1, 0, 0, 0}})
	require.True(t, ok)
	assert.InDelta(t, 0.770833, a, 1e-6)
}

func TestCronbachAlpha_UndefinedForOneItemOneContestantOrNoSpread(t *testing.T) {
	for name, items := range map[string][][]float64{
		"one item":       {{1, 0, 1}},
		"one contestant": {{1}, {0}},
		"ragged":         {{1, 0}, {1}},
		"no spread":      {{1, 1}, {1, 1}},
	} {
		a, ok := exam.CronbachAlpha(items)
		assert.False(t, ok, name)
		assert.False(t, math.IsNaN(a), name)
	}
}

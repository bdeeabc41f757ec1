package exam

import (
	"math"
	"slices"
)

// The item-analysis statistics of an exam, as pure functions over float64
// (statistics are not scores: they never feed a published figure). Every
// variance is the sample variance (divisor n − 1); correlations and
// Cronbach's alpha do not depend on that choice as long as it is the same
// throughout.

// Summary describes a set of numbers: how many, their mean, median, sample
// standard deviation, least and greatest.
type Summary struct {
	N      int
	Mean   float64
	Median float64
	SD     float64 // sample standard deviation; 0 when N < 2
	Min    float64
	Max    float64
}

// Describe summarises xs (the order of xs does not matter and xs is not
// changed). The median of an even count is the mean of the middle two. An
// empty xs gives the zero Summary.
func Describe(xs []float64) Summary {
	n := len(xs)
	if n == 0 {
		return Summary{}
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	s := Summary{N: n, Mean: mean(xs), Min: sorted[0], Max: sorted[n-1]}
	if n%2 == 1 {
		s.Median = sorted[n/2]
	} else {
		s.Median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	if n > 1 {
		s.SD = math.Sqrt(variance(xs))
	}
	return s
}

// Bin is one bar of a histogram: how many values lie in [From, To), or in
// [From, To] for the last bar.
type Bin struct {
	From  float64
	To    float64
	Count int
}

// Histogram counts xs in bins equal bars spanning [lo, hi], for a chart of
// the score distribution. The last bar includes hi (a full mark is counted,
// not dropped); values below lo count in the first bar and above hi in the
// last. bins < 1 is taken as 1, and hi ≤ lo gives one bar [lo, lo].
func Histogram(xs []float64, lo, hi float64, bins int) []Bin {
	if bins < 1 || hi <= lo {
		bins = 1
	}
	if hi < lo {
		hi = lo
	}
	width := (hi - lo) / float64(bins)
	out := make([]Bin, bins)
	for i := range out {
		out[i] = Bin{From: lo + float64(i)*width, To: lo + float64(i+1)*width}
	}
	out[bins-1].To = hi
	for _, x := range xs {
		i := 0
		if width > 0 {
			i = int(math.Floor((x - lo) / width))
		}
		out[min(max(i, 0), bins-1)].Count++
	}
	return out
}

// Facility is how easy an item was: the score contestants got on it as a
// fraction of the points it offered, Σ scores / Σ points (the mean score over
// the maximum when every observation offered the same points). 1 means
// everyone got full marks, 0 that nobody scored. It is undefined (false) when
// nothing was offered.
func Facility(scores, points []float64) (float64, bool) {
	var got, offered float64
	for i := range scores {
		got += scores[i]
		offered += points[i]
	}
	if offered <= 0 {
		return 0, false
	}
	return got / offered, true
}

// PointBiserial is Pearson's correlation between an item's scores and
// another score of the same contestants. For an item marked right or wrong
// it is the point-biserial coefficient, (M₁ − M₀) / sₙ · √(p·q); for an item
// with partial marks, the item–score correlation. It is undefined (false)
// with fewer than two contestants or when either side does not vary (for
// example an item everyone got right).
func PointBiserial(item, other []float64) (float64, bool) {
	n := len(item)
	if n < 2 || len(other) != n {
		return 0, false
	}
	mx, my := mean(item), mean(other)
	var sxy, sxx, syy float64
	for i := range item {
		dx, dy := item[i]-mx, other[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx <= 0 || syy <= 0 {
		return 0, false
	}
	r := sxy / math.Sqrt(sxx*syy)
	return max(-1, min(1, r)), true
}

// Discrimination is how well an item tells strong contestants from weak
// ones: the corrected item–total correlation, PointBiserial of the item's
// scores against each contestant's total minus that item, so that the item
// does not correlate with itself. Positive: those who did well overall did
// well on the item; near zero or negative: the item should be reviewed.
func Discrimination(item, total []float64) (float64, bool) {
	if len(item) != len(total) {
		return 0, false
	}
	rest := make([]float64, len(item))
	for i := range item {
		rest[i] = total[i] - item[i]
	}
	return PointBiserial(item, rest)
}

// CronbachAlpha is the internal consistency of a paper:
// α = k/(k−1) · (1 − Σ var(itemⱼ) / var(total)), where items[j][i] is
// contestant i's score on item j, every item scored for the same
// contestants, and total is each contestant's sum over the k items. It is
// undefined (false) with fewer than two items or two contestants, ragged
// input, or totals that do not vary.
func CronbachAlpha(items [][]float64) (float64, bool) {
	k := len(items)
	if k < 2 {
		return 0, false
	}
	n := len(items[0])
	if n < 2 {
		return 0, false
	}
	total := make([]float64, n)
	var sumVar float64
	for _, col := range items {
		if len(col) != n {
			return 0, false
		}
		for i, x := range col {
			total[i] += x
		}
		sumVar += variance(col)
	}
	vt := variance(total)
	if vt <= 0 {
		return 0, false
	}
	return float64(k) / float64(k-1) * (1 - sumVar/vt), true
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// variance is the sample variance (divisor n − 1), by two passes for
// accuracy; 0 when len(xs) < 2.
func variance(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	m := mean(xs)
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s / float64(len(xs)-1)
}

package scoring

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"

	"skillarena"
)

// The arithmetic of DOMAIN.md's rules 3 to 6. Every figure stays an exact
// rational (math/big.Rat) from the published individual scores to a team's
// total, which is rounded once, half up, at the stage's precision. Published
// figures are skillarena.Points (hundredths), so a precision is 0, 1 or 2
// decimal places.

// MaxPrecision is the finest precision a stage may publish at.
const MaxPrecision = 2

// exactOf is p as an exact rational.
func exactOf(p skillarena.Points) *big.Rat { return big.NewRat(int64(p), 100) }

// RoundHalfUp rounds x to precision decimal places, halves away from zero
// (so 83.255 gives 83.26 and 0.005 gives 0.01), as Points.
func RoundHalfUp(x *big.Rat, precision int) skillarena.Points {
	if precision < 0 || precision > MaxPrecision {
		panic(fmt.Sprintf("scoring: precision %d, want 0..%d", precision, MaxPrecision))
	}
	scale := int64(1)
	for range precision {
		scale *= 10
	}
	// n/d scaled, plus a half, floored; on the absolute value.
	v := new(big.Rat).Mul(x, new(big.Rat).SetInt64(scale))
	neg := v.Sign() < 0
	v.Abs(v)
	v.Add(v, big.NewRat(1, 2))
	q := new(big.Int).Quo(v.Num(), v.Denom())
	if neg {
		q.Neg(q)
	}
	return skillarena.Points(q.Int64() * (100 / scale))
}

// Aggregation says how judges' marks of one contestant combine.
type Aggregation string

// The aggregation rules.
const (
	// AggregateMean is the plain mean of every judge's mark.
	AggregateMean Aggregation = "mean"
	// AggregateTrimmedMean drops the single highest and lowest mark when
	// there are 5 or more judges, and is the plain mean below that.
	AggregateTrimmedMean Aggregation = "trimmed_mean"
)

// TrimFrom is the number of judges from which a trimmed mean drops the
// highest and lowest marks.
const TrimFrom = 5

// JudgesScore combines one contestant's marks (one total per judge) by the
// stage's rule, exactly. No marks gives nil.
func JudgesScore(marks []skillarena.Points, rule Aggregation) *big.Rat {
	if len(marks) == 0 {
		return nil
	}
	m := slices.Clone(marks)
	if rule == AggregateTrimmedMean && len(m) >= TrimFrom {
		slices.Sort(m)
		m = m[1 : len(m)-1]
	}
	return mean(m)
}

// mean is the exact mean of ps (nil for none).
func mean(ps []skillarena.Points) *big.Rat {
	if len(ps) == 0 {
		return nil
	}
	var sum int64
	for _, p := range ps {
		sum += int64(p)
	}
	return big.NewRat(sum, int64(len(ps))*100)
}

// Weights are the shares of the written and practical rounds in a team's
// total, in hundredths: 40 and 60 are 0.40 and 0.60.
type Weights struct {
	Written   skillarena.Points `json:"written"`
	Practical skillarena.Points `json:"practical"`
}

// Rules are the stage settings the combination needs.
type Rules struct {
	// WrittenRosterSize is how many contestants a team enters in the written
	// round (8); PracticalSize how many do the practical (2).
	WrittenRosterSize int
	PracticalSize     int
	// AbsentCountsAsZero: a missing or absent contestant counts as 0 over the
	// full roster size (the default); otherwise the average is over those
	// present.
	AbsentCountsAsZero bool
	Weights            Weights
	Precision          int
	// TieBreak orders the figures that break a tie of totals, by default
	// practical then written; still equal means a shared place.
	TieBreak []Figure
}

// DefaultRules are DOMAIN.md's defaults.
func DefaultRules() Rules {
	return Rules{WrittenRosterSize: 8, PracticalSize: 2, AbsentCountsAsZero: true,
		Weights: Weights{Written: 40, Practical: 60}, Precision: 2, TieBreak: []Figure{FigurePractical, FigureWritten}}
}

// TeamScores are a team's figures: exact, and as published.
type TeamScores struct {
	Written, Practical, Total                            *big.Rat
	PublishedWritten, PublishedPractical, PublishedTotal skillarena.Points
}

// TeamWrittenScore is the team's written score from its members' published
// written scores (absent members are missing from the list): the sum over the
// roster size when absentees count as zero, else the mean of those present.
func TeamWrittenScore(scores []skillarena.Points, r Rules) *big.Rat {
	return roundAverage(scores, r.WrittenRosterSize, r.AbsentCountsAsZero)
}

// TeamPracticalScore is the mean of the team's practical contestants'
// published practical scores, with the same absentee rule over the practical
// size.
func TeamPracticalScore(scores []skillarena.Points, r Rules) *big.Rat {
	return roundAverage(scores, r.PracticalSize, r.AbsentCountsAsZero)
}

func roundAverage(scores []skillarena.Points, size int, absentAsZero bool) *big.Rat {
	if !absentAsZero || size <= 0 {
		if m := mean(scores); m != nil {
			return m
		}
		return new(big.Rat)
	}
	var sum int64
	for _, p := range scores {
		sum += int64(p)
	}
	return big.NewRat(sum, int64(size)*100)
}

// TeamTotal is written × its weight + practical × its weight, exactly.
func TeamTotal(written, practical *big.Rat, w Weights) *big.Rat {
	t := new(big.Rat).Mul(written, exactOf(w.Written))
	return t.Add(t, new(big.Rat).Mul(practical, exactOf(w.Practical)))
}

// CombineTeam combines a team's published individual scores into its figures:
// exact throughout, each published figure rounded once.
func CombineTeam(written, practical []skillarena.Points, r Rules) TeamScores {
	w := TeamWrittenScore(written, r)
	p := TeamPracticalScore(practical, r)
	t := TeamTotal(w, p, r.Weights)
	return TeamScores{Written: w, Practical: p, Total: t,
		PublishedWritten: RoundHalfUp(w, r.Precision), PublishedPractical: RoundHalfUp(p, r.Precision),
		PublishedTotal: RoundHalfUp(t, r.Precision)}
}

// Figure names a published figure a ranking compares.
type Figure string

// The figures.
const (
	FigureTotal     Figure = "total"
	FigurePractical Figure = "practical"
	FigureWritten   Figure = "written"
)

// Ranked is a row to rank: its published figures and a stable key that
// orders rows sharing a place (for example a name or id).
type Ranked struct {
	Figures map[Figure]skillarena.Points
	Key     string
}

// Rank orders rows by published total, highest first, then by each tie-break
// figure in turn; rows equal on all of them share a place, and the next place
// skips (1, 2, 2, 4). It returns, for each row in the given order, its place,
// and the rows' indices in ranking order. Ranks compare published figures,
// so anyone can check a ranking from what it shows.
func Rank(rows []Ranked, tieBreak []Figure) (places []int, order []int) {
	order = make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	figures := append([]Figure{FigureTotal}, tieBreak...)
	compare := func(a, b Ranked) int {
		for _, f := range figures {
			if c := cmp.Compare(b.Figures[f], a.Figures[f]); c != 0 {
				return c
			}
		}
		return 0
	}
	slices.SortStableFunc(order, func(i, j int) int {
		if c := compare(rows[i], rows[j]); c != 0 {
			return c
		}
		return cmp.Compare(rows[i].Key, rows[j].Key)
	})
	places = make([]int, len(rows))
	for pos, i := range order {
		if pos > 0 && compare(rows[order[pos-1]], rows[i]) == 0 {
			places[i] = places[order[pos-1]]
		} else {
			places[i] = pos + 1
		}
	}
	return places, order
}

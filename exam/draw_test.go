package exam

import (
	"crypto/sha256"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena/content"
)

// goldenSeed is bytes 0…31.
func goldenSeed() []byte {
	s := make([]byte, 32)
	for i := range s {
		s[i] = byte(i)
	}
	return s
}

// testSeed is a fixed, distinct seed per i, so statistical tests are
// deterministic.
func testSeed(i int) []byte {
	h := sha256.Sum256(fmt.Appendf(nil, "test seed %d", i))
	return h[:]
}

func pool(from, to int64, keys string) []Candidate {
	var p []Candidate
	for q := from; q <= to; q++ {
		c := Candidate{QuestionID: q, VersionID: q * 10}
		for _, k := range keys {
			c.OptionKeys = append(c.OptionKeys, string(k))
		}
		p = append(p, c)
	}
	return p
}

// goldenFixture is the blueprint the golden test pins (mirrored by an
// independent re-implementation of the doc comment, which produced the
// expected values).
func goldenFixture() ([]Section, [][]Candidate) {
	sections := []Section{
		{Title: "单选", Type: content.SingleChoice, Count: 3, PointsEach: 100},
		{Title: "多选", Type: content.MultipleChoice, Count: 2, PointsEach: 200},
		{Title: "判断", Type: content.TrueFalse, Count: 2, PointsEach: 50},
		{Title: "填空", Type: content.FillBlank, Count: 1, PointsEach: 300},
	}
	pools := [][]Candidate{pool(101, 110, "ABCD"), pool(201, 206, "ABCDE"), pool(301, 304, ""), pool(401, 402, "")}
	return sections, pools
}

func TestDrawStream_PinnedWords(t *testing.T) {
	s := newDrawStream(goldenSeed(), "section", 0)
	want := []uint64{0x2b79dcd3ff590400, 0x1eb1d65c3fc41d84, 0xf3a6bfb095193577, 0xa837e248ce022e77, 0x3948b2a82313065d}
	for i, w := range want {
		assert.Equal(t, w, s.word(), "word %d", i)
	}
}

func TestDrawStream_UniformSkipsBiasedWords(t *testing.T) {
	// n = 2^62+1: 2^64 mod n = 2^62−3, so words ≥ 2^64−(2^62−3) (about a
	// quarter) must be skipped.
	n := 1<<62 + 1
	rem := uint64(1<<62 - 3)
	for i := range 50 {
		words := newDrawStream(testSeed(i), "x", 0)
		s := newDrawStream(testSeed(i), "x", 0)
		var want int
		for {
			u := words.word()
			if u < -rem {
				want = int(u % uint64(n))
				break
			}
		}
		assert.Equal(t, want, s.uniform(n))
	}
	s := newDrawStream(testSeed(0), "x", 0)
	for range 100 {
		assert.Equal(t, 0, s.uniform(1))
		assert.Less(t, s.uniform(math.MaxInt), math.MaxInt)
	}
}

func TestDraw_Golden(t *testing.T) {
	sections, pools := goldenFixture()
	type row struct {
		pos, section int
		q, v         int64
		typ          content.QuestionType
		order        []string
	}
	rows := func(items []Item) []row {
		var rs []row
		for _, it := range items {
			rs = append(rs, row{it.Position, it.Section, it.QuestionID, it.VersionID, it.Type, it.OptionOrder})
		}
		return rs
	}
	s, m, tf, fb := content.SingleChoice, content.MultipleChoice, content.TrueFalse, content.FillBlank
	split := func(s string) []string { return strings.Split(s, "") }

	items, err := Draw(goldenSeed(), sections, pools, Shuffle{})
	require.NoError(t, err)
	assert.Equal(t, []row{
		{1, 0, 105, 1050, s, nil}, {2, 0, 109, 1090, s, nil}, {3, 0, 110, 1100, s, nil},
		{4, 1, 204, 2040, m, nil}, {5, 1, 206, 2060, m, nil},
		{6, 2, 301, 3010, tf, nil}, {7, 2, 302, 3020, tf, nil},
		{8, 3, 401, 4010, fb, nil},
	}, rows(items))

	items, err = Draw(goldenSeed(), sections, pools, Shuffle{Questions: true, Options: true})
	require.NoError(t, err)
	assert.Equal(t, []row{
		{1, 0, 109, 1090, s, split("ACDB")},
		{2, 3, 401, 4010, fb, nil},
		{3, 2, 302, 3020, tf, nil},
		{4, 2, 301, 3010, tf, nil},
		{5, 0, 105, 1050, s, split("BCAD")},
		{6, 1, 206, 2060, m, split("AEBCD")},
		{7, 1, 204, 2040, m, split("BCAED")},
		{8, 0, 110, 1100, s, split("ABDC")},
	}, rows(items))
	for _, it := range items {
		assert.Equal(t, sections[it.Section].PointsEach, it.Points)
	}
}

func TestDraw_Deterministic(t *testing.T) {
	sections, pools := goldenFixture()
	for _, sh := range []Shuffle{{}, {Questions: true}, {Options: true}, {Questions: true, Options: true}} {
		a, err := Draw(goldenSeed(), sections, pools, sh)
		require.NoError(t, err)
		b, err := Draw(goldenSeed(), sections, pools, sh)
		require.NoError(t, err)
		assert.Equal(t, a, b)

		// Pool order does not matter, and the caller's pools are not touched.
		reversed := make([][]Candidate, len(pools))
		for i, p := range pools {
			reversed[i] = slices.Clone(p)
			slices.Reverse(reversed[i])
		}
		before := slices.Clone(reversed[0])
		c, err := Draw(goldenSeed(), sections, reversed, sh)
		require.NoError(t, err)
		assert.Equal(t, a, c)
		assert.Equal(t, before, reversed[0])
	}
}

func TestDraw_OptionOrderDependsOnQuestionNotSection(t *testing.T) {
	sections := []Section{
		{Title: "a", Type: content.SingleChoice, Count: 4, PointsEach: 100},
		{Title: "b", Type: content.MultipleChoice, Count: 4, PointsEach: 100},
	}
	pools := [][]Candidate{pool(1, 4, "ABCDEFGH"), pool(11, 14, "ABCDEFGH")}
	sh := Shuffle{Questions: true, Options: true}
	a, err := Draw(goldenSeed(), sections, pools, sh)
	require.NoError(t, err)
	swapped := []Section{sections[1], sections[0]}
	swapped[0].Type, swapped[1].Type = content.SingleChoice, content.MultipleChoice
	b, err := Draw(goldenSeed(), swapped, [][]Candidate{pools[1], pools[0]}, sh)
	require.NoError(t, err)
	orders := func(items []Item) map[int64][]string {
		m := map[int64][]string{}
		for _, it := range items {
			m[it.QuestionID] = it.OptionOrder
		}
		return m
	}
	assert.Equal(t, orders(a), orders(b))
}

func TestDraw_DifferentSeedsGiveDifferentPapers(t *testing.T) {
	sections := []Section{{Title: "s", Type: content.SingleChoice, Count: 5, PointsEach: 100}}
	pools := [][]Candidate{pool(1, 50, "ABCD")}
	for _, sh := range []Shuffle{{}, {Questions: true, Options: true}} {
		papers := map[string]bool{}
		for i := range 20 {
			items, err := Draw(testSeed(i), sections, pools, sh)
			require.NoError(t, err)
			papers[fmt.Sprint(items)] = true
		}
		// C(50,5) ≈ 2.1 million papers: a repeat among 20 has odds ≈ 1e-4.
		assert.GreaterOrEqual(t, len(papers), 19, "%+v", sh)
	}
	// Option orders alone also vary with the seed.
	orders := map[string]bool{}
	for i := range 20 {
		items, err := Draw(testSeed(i), sections, [][]Candidate{pool(1, 5, "ABCDEF")}, Shuffle{Options: true})
		require.NoError(t, err)
		orders[fmt.Sprint(items[0].OptionOrder)] = true
	}
	assert.Greater(t, len(orders), 15)
}

func TestDraw_SectionsGetCountDistinctQuestionsAndNoneTwice(t *testing.T) {
	// Overlapping pools: sections 1 and 2 draw from the same 12 questions,
	// section 3 from a pool that includes some of them.
	sections := []Section{
		{Title: "a", Type: content.SingleChoice, Count: 5, PointsEach: 100},
		{Title: "b", Type: content.SingleChoice, Count: 7, PointsEach: 150},
		{Title: "c", Type: content.SingleChoice, Count: 4, PointsEach: 200},
	}
	pools := [][]Candidate{pool(1, 12, "ABCD"), pool(1, 12, "ABCD"), pool(9, 16, "ABCD")}
	for i := range 200 {
		for _, sh := range []Shuffle{{}, {Questions: true, Options: true}} {
			items, err := Draw(testSeed(i), sections, pools, sh)
			require.NoError(t, err)
			require.Len(t, items, 16)
			per := map[int]int{}
			seen := map[int64]bool{}
			for k, it := range items {
				assert.Equal(t, k+1, it.Position)
				assert.False(t, seen[it.QuestionID], "question %d drawn twice", it.QuestionID)
				seen[it.QuestionID] = true
				assert.True(t, slices.ContainsFunc(pools[it.Section], func(c Candidate) bool {
					return c.QuestionID == it.QuestionID && c.VersionID == it.VersionID
				}), "question %d is not in the pool of section %d", it.QuestionID, it.Section)
				per[it.Section]++
				assert.Equal(t, sections[it.Section].PointsEach, it.Points)
				assert.Equal(t, sections[it.Section].Type, it.Type)
				if sh.Options {
					got := slices.Clone(it.OptionOrder)
					slices.Sort(got)
					assert.Equal(t, []string{"A", "B", "C", "D"}, got, "option order is a permutation")
				} else {
					assert.Nil(t, it.OptionOrder)
				}
			}
			assert.Equal(t, map[int]int{0: 5, 1: 7, 2: 4}, per)
			if !sh.Questions {
				assert.True(t, slices.IsSortedFunc(items, func(a, b Item) int {
					if a.Section != b.Section {
						return a.Section - b.Section
					}
					return cmpInt64(a.QuestionID, b.QuestionID)
				}), "without shuffling, items keep section order")
			}
		}
	}
}

func TestDraw_OptionOrdersArePermutations(t *testing.T) {
	sections := []Section{
		{Title: "s", Type: content.SingleChoice, Count: 10, PointsEach: 100},
		{Title: "m", Type: content.MultipleChoice, Count: 10, PointsEach: 100},
		{Title: "t", Type: content.TrueFalse, Count: 3, PointsEach: 100},
	}
	pools := [][]Candidate{pool(1, 10, "AB"), pool(11, 20, "ABCDEFGH"), pool(21, 23, "")}
	firsts := map[string]int{}
	for i := range 100 {
		items, err := Draw(testSeed(i), sections, pools, Shuffle{Options: true})
		require.NoError(t, err)
		for _, it := range items {
			if it.Type == content.TrueFalse {
				assert.Nil(t, it.OptionOrder)
				continue
			}
			want := []string{"A", "B"}
			if it.Type == content.MultipleChoice {
				want = strings.Split("ABCDEFGH", "")
				firsts[it.OptionOrder[0]]++
			}
			got := slices.Clone(it.OptionOrder)
			slices.Sort(got)
			assert.Equal(t, want, got)
		}
	}
	assert.Len(t, firsts, 8, "every option comes first sometimes")
}

func TestDraw_UniformOneOfFour(t *testing.T) {
	sections := []Section{{Title: "s", Type: content.TrueFalse, Count: 1, PointsEach: 100}}
	pools := [][]Candidate{pool(1, 4, "")}
	counts := map[int64]int{}
	for i := range 4000 {
		items, err := Draw(testSeed(i), sections, pools, Shuffle{})
		require.NoError(t, err)
		counts[items[0].QuestionID]++
	}
	require.Len(t, counts, 4)
	for q, n := range counts {
		assert.InDelta(t, 1000, n, 150, "question %d drawn %d times of 4000", q, n)
	}
}

func TestDraw_ShortageNamesEveryShortSection(t *testing.T) {
	sections := []Section{
		{Title: "单选题", Type: content.SingleChoice, Count: 5, PointsEach: 100},
		{Title: "多选题", Type: content.MultipleChoice, Count: 2, PointsEach: 200},
		{Title: "判断题", Type: content.TrueFalse, Count: 4, PointsEach: 100},
		{Title: "填空题", Type: content.FillBlank, Count: 3, PointsEach: 100},
	}
	// Sections 3 and 4 share a pool of 5: section 3 takes 4, leaving 1 for 4.
	pools := [][]Candidate{pool(1, 3, "ABCD"), pool(11, 15, "ABCD"), pool(21, 25, ""), pool(21, 25, "")}
	items, err := Draw(goldenSeed(), sections, pools, Shuffle{})
	assert.Nil(t, items)
	var se *ShortageError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, []SectionShortage{
		{Section: 0, Title: "单选题", Want: 5, Have: 3},
		{Section: 3, Title: "填空题", Want: 3, Have: 1},
	}, se.Missing)
	assert.Contains(t, err.Error(), `section 1 "单选题" wants 5, has 3`)
	assert.Contains(t, err.Error(), `section 4 "填空题" wants 3, has 1`)

	// A short section takes what it has, so a later section sharing its
	// pool is reported too.
	sections = []Section{
		{Title: "a", Type: content.SingleChoice, Count: 5, PointsEach: 100},
		{Title: "b", Type: content.SingleChoice, Count: 2, PointsEach: 100},
	}
	_, err = Draw(goldenSeed(), sections, [][]Candidate{pool(1, 3, "AB"), pool(1, 3, "AB")}, Shuffle{})
	require.ErrorAs(t, err, &se)
	assert.Equal(t, []SectionShortage{{0, "a", 5, 3}, {1, "b", 2, 0}}, se.Missing)

	// An empty pool.
	_, err = Draw(goldenSeed(), sections[:1], [][]Candidate{nil}, Shuffle{})
	require.ErrorAs(t, err, &se)
	assert.Equal(t, []SectionShortage{{0, "a", 5, 0}}, se.Missing)
}

func TestDraw_ValidatesInputs(t *testing.T) {
	ok := Section{Title: "ok", Type: content.SingleChoice, Count: 1, PointsEach: 100}
	p := [][]Candidate{pool(1, 600, "AB")}
	for name, tc := range map[string]struct {
		sec      Section
		contains string
	}{
		"count zero":        {Section{Title: "x", Type: content.SingleChoice, Count: 0, PointsEach: 100}, `section 1 "x": count 0, want at least 1`},
		"count negative":    {Section{Title: "x", Type: content.SingleChoice, Count: -3, PointsEach: 100}, "count -3"},
		"points zero":       {Section{Title: "x", Type: content.SingleChoice, Count: 1}, "points each 0.00, want more than 0"},
		"points negative":   {Section{Title: "x", Type: content.SingleChoice, Count: 1, PointsEach: -5}, "want more than 0"},
		"points too many":   {Section{Title: "x", Type: content.SingleChoice, Count: 1, PointsEach: 100_000_001}, "want at most"},
		"unknown type":      {Section{Title: "x", Type: "matching", Count: 1, PointsEach: 100}, `unknown question type "matching"`},
		"empty type":        {Section{Title: "x", Count: 1, PointsEach: 100}, "unknown question type"},
		"section too large": {Section{Title: "x", Type: content.SingleChoice, Count: 501, PointsEach: 100}, "count 501, want at most 500"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Draw(goldenSeed(), []Section{tc.sec}, p, Shuffle{})
			require.ErrorIs(t, err, ErrInvalidBlueprint)
			assert.Contains(t, err.Error(), tc.contains)
		})
	}

	// 500 items in all is the limit.
	big := Section{Title: "big", Type: content.SingleChoice, Count: 250, PointsEach: 100}
	items, err := Draw(goldenSeed(), []Section{big, big}, [][]Candidate{p[0], p[0]}, Shuffle{Questions: true, Options: true})
	require.NoError(t, err)
	assert.Len(t, items, 500)
	_, err = Draw(goldenSeed(), []Section{big, big, ok}, [][]Candidate{p[0], p[0], p[0]}, Shuffle{})
	require.ErrorIs(t, err, ErrInvalidBlueprint)
	assert.Contains(t, err.Error(), "501 questions in all, want at most 500")

	// The caller's mistakes.
	_, err = Draw(goldenSeed()[:15], []Section{ok}, p, Shuffle{})
	assert.ErrorContains(t, err, "at least 16")
	_, err = Draw(goldenSeed(), []Section{ok, ok}, p, Shuffle{})
	assert.ErrorContains(t, err, "2 sections")
	dup := append(pool(1, 3, "AB"), Candidate{QuestionID: 2, VersionID: 99, OptionKeys: []string{"A", "B"}})
	_, err = Draw(goldenSeed(), []Section{ok}, [][]Candidate{dup}, Shuffle{})
	assert.ErrorContains(t, err, "lists question 2 twice")
	_, err = Draw(goldenSeed(), []Section{ok}, [][]Candidate{pool(1, 3, "")}, Shuffle{Options: true})
	assert.ErrorContains(t, err, "no option keys")
	assert.NotErrorIs(t, err, ErrInvalidBlueprint)

	// No sections is an empty paper, not an error.
	items, err = Draw(goldenSeed(), nil, nil, Shuffle{Questions: true})
	require.NoError(t, err)
	assert.Empty(t, items)
}

func TestNewSeed(t *testing.T) {
	a, b := NewSeed(), NewSeed()
	assert.Len(t, a, 32)
	assert.NotEqual(t, a, b)
}

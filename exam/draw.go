package exam

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"skillarena"
	"skillarena/content"
)

// MaxPaperItems bounds the questions of one paper (all sections together).
const MaxPaperItems = 500

// MinSeedBytes is the shortest seed Draw accepts; NewSeed makes 32 bytes.
const MinSeedBytes = 16

// ErrInvalidBlueprint marks a Draw error caused by the sections themselves
// (a count below one, points not above zero, an unknown type, too many
// items): the organiser must change the blueprint. errors.Is finds it.
var ErrInvalidBlueprint = errors.New("exam: invalid blueprint")

// SectionShortage is one section the pool cannot fill: Section is its index
// in the blueprint (0-based, as Item.Section), Want its Count, Have the
// questions that were left for it.
type SectionShortage struct {
	Section int    `json:"section"`
	Title   string `json:"title"`
	Want    int    `json:"want"`
	Have    int    `json:"have"`
}

// ShortageError says that some sections cannot be filled. It lists every
// short section, in blueprint order, not only the first.
type ShortageError struct {
	Missing []SectionShortage
}

// Error names every short section, counting sections from 1 as people do.
func (e *ShortageError) Error() string {
	var b strings.Builder
	b.WriteString("exam: not enough approved questions: ")
	for i, m := range e.Missing {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "section %d %q wants %d, has %d", m.Section+1, m.Title, m.Want, m.Have)
	}
	return b.String()
}

// NewSeed returns 32 random bytes from crypto/rand, to be stored with the
// paper so that Draw can reproduce it.
func NewSeed() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (Go 1.24+: it crashes the program instead)
	return b
}

// Draw assembles a paper: pools[i] holds the candidates of sections[i]
// (approved versions already filtered by topic subtree, type and
// difficulty). The result depends only on seed, sections, the set of
// candidates in each pool (not their order) and shuffle; it is the same on
// every machine and Go version, because every step below is specified here
// and uses only SHA-256 and integer arithmetic.
//
// Inputs. seed has at least MinSeedBytes bytes. len(pools) ==
// len(sections); a pool lists a QuestionID at most once. Every section has
// a known Type, Count ≥ 1 and 0 < PointsEach ≤ skillarena.MaxPoints, and the
// counts add up to at most MaxPaperItems. Otherwise Draw returns an error
// (wrapping ErrInvalidBlueprint when the sections are at fault).
//
// Random streams. For a purpose P (an ASCII word) and a parameter p (an
// unsigned 64-bit integer) the key is
//
//	K = SHA-256("skillarena.draw.v1" ‖ uint32be(len(seed)) ‖ seed ‖ P ‖ uint64be(p))
//
// and the stream is the 32-byte blocks SHA-256(K ‖ uint64be(i)) for
// i = 0, 1, 2, …, each read as four big-endian uint64 words, block 0 first.
// (‖ is concatenation; be is big-endian.) uniform(n), for n ≥ 1, takes the
// next word u, skipping words while u ≥ 2^64 − (2^64 mod n), and returns
// u mod n. shuffle(a, k) is a partial Fisher–Yates pass: for j = 0 … k−1,
// swap a[j] with a[j + uniform(len(a) − j)] (a word is drawn even when only
// one choice is left); a[0:k] is then the pick.
//
//  1. Sections, in blueprint order s = 0, 1, …: the available candidates are
//     pools[s] sorted by QuestionID ascending, less every QuestionID an
//     earlier section took. With fewer than Count available, the section
//     is short: it takes all of them (so later sections see them as taken)
//     and, once every section has been tried, Draw returns a
//     *ShortageError listing each short section with Want = Count and
//     Have = the number available. Otherwise, with the stream
//     ("section", s), shuffle(available, Count) picks Count questions;
//     they are sorted by QuestionID ascending and appended as items with
//     Section = s, Type = the section's type, Points = PointsEach.
//  2. If shuffle.Questions, the whole list of items (all sections) is
//     shuffled with shuffle(items, len(items)) on the stream ("questions", 0).
//     Otherwise items stay in section order, by QuestionID within a section.
//  3. Position = index in the list + 1.
//  4. If shuffle.Options, every single- or multiple-choice item gets
//     OptionOrder = a copy of its candidate's OptionKeys (in stored order)
//     shuffled with shuffle(keys, len(keys)) on the stream
//     ("options", uint64(QuestionID)): it depends on the question and the
//     seed only, not on sections or positions. Other items, and every item
//     when !shuffle.Options, have no OptionOrder. A choice candidate with no
//     OptionKeys is an error when options are shuffled.
func Draw(seed []byte, sections []Section, pools [][]Candidate, shuffle Shuffle) ([]Item, error) {
	if len(seed) < MinSeedBytes {
		return nil, fmt.Errorf("exam: draw seed has %d bytes, want at least %d", len(seed), MinSeedBytes)
	}
	if len(pools) != len(sections) {
		return nil, fmt.Errorf("exam: draw got %d pools for %d sections", len(pools), len(sections))
	}
	if err := checkSections(sections); err != nil {
		return nil, err
	}
	sorted := make([][]Candidate, len(pools))
	for s, pool := range pools {
		p := slices.Clone(pool)
		slices.SortFunc(p, func(a, b Candidate) int { return cmpInt64(a.QuestionID, b.QuestionID) })
		for i := 1; i < len(p); i++ {
			if p[i].QuestionID == p[i-1].QuestionID {
				return nil, fmt.Errorf("exam: pool of section %d lists question %d twice", s+1, p[i].QuestionID)
			}
		}
		sorted[s] = p
	}

	// 1. Sections.
	taken := map[int64]bool{}
	var items []Item
	var keys [][]string // OptionKeys of items[i], for step 4
	var short []SectionShortage
	for s, sec := range sections {
		var avail []Candidate
		for _, c := range sorted[s] {
			if !taken[c.QuestionID] {
				avail = append(avail, c)
			}
		}
		if len(avail) < sec.Count {
			short = append(short, SectionShortage{Section: s, Title: sec.Title, Want: sec.Count, Have: len(avail)})
			for _, c := range avail {
				taken[c.QuestionID] = true
			}
			continue
		}
		drawShuffle(newDrawStream(seed, "section", uint64(s)), avail, sec.Count)
		pick := avail[:sec.Count]
		slices.SortFunc(pick, func(a, b Candidate) int { return cmpInt64(a.QuestionID, b.QuestionID) })
		for _, c := range pick {
			taken[c.QuestionID] = true
			items = append(items, Item{Section: s, QuestionID: c.QuestionID, VersionID: c.VersionID, Type: sec.Type, Points: sec.PointsEach})
			keys = append(keys, c.OptionKeys)
		}
	}
	if len(short) > 0 {
		return nil, &ShortageError{Missing: short}
	}

	// 2. Question order. Items and their option keys move together.
	if shuffle.Questions {
		idx := make([]int, len(items))
		for i := range idx {
			idx[i] = i
		}
		drawShuffle(newDrawStream(seed, "questions", 0), idx, len(idx))
		its, ks := make([]Item, len(items)), make([][]string, len(items))
		for i, j := range idx {
			its[i], ks[i] = items[j], keys[j]
		}
		items, keys = its, ks
	}

	// 3 and 4. Positions and option orders.
	for i := range items {
		items[i].Position = i + 1
		t := items[i].Type
		if !shuffle.Options || (t != content.SingleChoice && t != content.MultipleChoice) {
			continue
		}
		if len(keys[i]) == 0 {
			return nil, fmt.Errorf("exam: choice question %d has no option keys to shuffle", items[i].QuestionID)
		}
		order := slices.Clone(keys[i])
		drawShuffle(newDrawStream(seed, "options", uint64(items[i].QuestionID)), order, len(order))
		items[i].OptionOrder = order
	}
	return items, nil
}

// checkSections states what a blueprint's sections must satisfy before a
// draw; the error names the section (from 1) and wraps ErrInvalidBlueprint.
func checkSections(sections []Section) error {
	total := 0
	for s, sec := range sections {
		name := fmt.Sprintf("section %d %q", s+1, sec.Title)
		switch {
		case !sec.Type.Valid():
			return fmt.Errorf("%w: %s: unknown question type %q", ErrInvalidBlueprint, name, sec.Type)
		case sec.Count < 1:
			return fmt.Errorf("%w: %s: count %d, want at least 1", ErrInvalidBlueprint, name, sec.Count)
		case sec.Count > MaxPaperItems:
			return fmt.Errorf("%w: %s: count %d, want at most %d", ErrInvalidBlueprint, name, sec.Count, MaxPaperItems)
		case sec.PointsEach <= 0:
			return fmt.Errorf("%w: %s: points each %s, want more than 0", ErrInvalidBlueprint, name, sec.PointsEach)
		case sec.PointsEach > skillarena.MaxPoints:
			return fmt.Errorf("%w: %s: points each %s, want at most %s", ErrInvalidBlueprint, name, sec.PointsEach, skillarena.MaxPoints)
		}
		total += sec.Count
	}
	if total > MaxPaperItems {
		return fmt.Errorf("%w: %d questions in all, want at most %d", ErrInvalidBlueprint, total, MaxPaperItems)
	}
	return nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// drawStream is the SHA-256 counter stream Draw's doc comment specifies.
type drawStream struct {
	key   [sha256.Size]byte
	block [sha256.Size]byte
	next  uint64 // counter of the next block to hash
	used  int    // words of block already read (4: none left)
}

// newDrawStream keys the stream for purpose and parameter p from seed.
func newDrawStream(seed []byte, purpose string, p uint64) *drawStream {
	h := sha256.New()
	h.Write([]byte("skillarena.draw.v1"))
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(seed))))
	h.Write(seed)
	h.Write([]byte(purpose))
	h.Write(binary.BigEndian.AppendUint64(nil, p))
	s := &drawStream{used: 4}
	h.Sum(s.key[:0])
	return s
}

// word returns the stream's next 64-bit word.
func (s *drawStream) word() uint64 {
	if s.used == 4 {
		var in [sha256.Size + 8]byte
		copy(in[:], s.key[:])
		binary.BigEndian.PutUint64(in[sha256.Size:], s.next)
		s.block = sha256.Sum256(in[:])
		s.next++
		s.used = 0
	}
	w := binary.BigEndian.Uint64(s.block[8*s.used:])
	s.used++
	return w
}

// uniform returns an integer in [0, n), n ≥ 1, without bias: words at or
// above the largest multiple of n below 2^64 are skipped.
func (s *drawStream) uniform(n int) int {
	m := uint64(n)
	rem := (math.MaxUint64%m + 1) % m // 2^64 mod m
	for {
		u := s.word()
		if rem == 0 || u < -rem { // -rem is 2^64 − rem in uint64
			return int(u % m)
		}
	}
}

// drawShuffle is the partial Fisher–Yates pass: afterwards a[:k] is a
// uniformly random choice of k elements in random order.
func drawShuffle[T any](s *drawStream, a []T, k int) {
	for j := 0; j < k; j++ {
		r := j + s.uniform(len(a)-j)
		a[j], a[r] = a[r], a[j]
	}
}

package scoring

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// The practical draw (DOMAIN.md rule 2) is commit–reveal, so nobody (not even
// the organiser or the server) can steer it, and anyone can re-run it:
//
//  1. Before the draw the server picks a secret seed of 32 random bytes and
//     publishes its commitment: the lower-case hex SHA-256 of the seed bytes.
//  2. At the draw the organiser enters public entropy (for example numbers
//     called out in the room), any UTF-8 text.
//  3. The seed is revealed (as 64 lower-case hex characters). Anyone checks
//     SHA-256(seed) = commitment.
//  4. key = SHA-256(seed bytes ‖ 0x00 ‖ UTF-8 entropy).
//  5. Teams are taken in ascending team id. A team's pool is its eligible
//     contestants' user ids in ascending order, n of them. For counter
//     c = 0, 1, 2, …: h = SHA-256(key ‖ ASCII "team:<team id>:<c>") (ids and
//     counters in decimal); v = the first 8 bytes of h as a big-endian
//     unsigned integer; if v < 2^64 − (2^64 mod n), the drawn contestant is
//     pool[v mod n]; otherwise try the next counter (rejection keeps every
//     contestant equally likely).
//
// docs/DRAW.md holds a standalone Python script that does exactly this; a
// test runs it against this code.

// DrawVersion names the algorithm above in published draws.
const DrawVersion = "skillarena-draw-v1"

// NewDrawSeed returns a fresh secret seed.
func NewDrawSeed() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

// Commitment is the published SHA-256 of a seed, in lower-case hex.
func Commitment(seed []byte) string {
	h := sha256.Sum256(seed)
	return hex.EncodeToString(h[:])
}

// TeamPool is one team's eligible contestants for the draw.
type TeamPool struct {
	TeamID int64   `json:"team_id"`
	Pool   []int64 `json:"pool"`
}

// Drawn is one team's drawn contestant.
type Drawn struct {
	TeamID       int64 `json:"team_id"`
	ContestantID int64 `json:"contestant_id"`
}

// ErrEmptyPool says a team has nobody to draw from.
var ErrEmptyPool = errors.New("scoring: a team's draw pool is empty")

// RunDraw draws one contestant per team from seed and entropy by the
// algorithm above. The result does not depend on the order of teams or
// pools given.
func RunDraw(seed []byte, entropy string, teams []TeamPool) ([]Drawn, error) {
	key := sha256.New()
	key.Write(seed)
	key.Write([]byte{0})
	key.Write([]byte(entropy))
	k := key.Sum(nil)
	sorted := slices.Clone(teams)
	slices.SortFunc(sorted, func(a, b TeamPool) int { return cmpInt64(a.TeamID, b.TeamID) })
	out := make([]Drawn, 0, len(sorted))
	for _, t := range sorted {
		pool := slices.Clone(t.Pool)
		slices.Sort(pool)
		pool = slices.Compact(pool)
		if len(pool) == 0 {
			return nil, fmt.Errorf("%w: team %d", ErrEmptyPool, t.TeamID)
		}
		out = append(out, Drawn{TeamID: t.TeamID, ContestantID: pool[pick(k, t.TeamID, uint64(len(pool)))]})
	}
	return out, nil
}

// pick returns an index below n, uniformly, from the key's stream for team.
func pick(key []byte, team int64, n uint64) uint64 {
	// limit = 2^64 - (2^64 mod n), computed without overflow.
	rem := (^uint64(0)%n + 1) % n
	for c := 0; ; c++ {
		h := sha256.New()
		h.Write(key)
		h.Write([]byte("team:" + strconv.FormatInt(team, 10) + ":" + strconv.Itoa(c)))
		v := binary.BigEndian.Uint64(h.Sum(nil)[:8])
		if rem == 0 || v < -rem { // -rem is 2^64 - rem
			return v % n
		}
	}
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

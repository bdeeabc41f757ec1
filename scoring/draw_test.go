package scoring_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena/scoring"
)

func demoPools() []scoring.TeamPool {
	return []scoring.TeamPool{
		{TeamID: 14, Pool: []int64{301, 305, 302, 307, 303, 306, 304}},
		{TeamID: 12, Pool: []int64{211, 212, 213, 214, 215, 216, 217}},
		{TeamID: 13, Pool: []int64{999}},
	}
}

// The draw is a pure function of seed, entropy and the pools: reproducible,
// independent of the order given, and pinned by a golden result so the
// algorithm can never change silently.
func TestDraw_ReproducibleFromPublishedInputs(t *testing.T) {
	seed, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	a, err := scoring.RunDraw(seed, "现场报数 4 8 15 16 23 42", demoPools())
	require.NoError(t, err)
	reversed := demoPools()
	reversed[0], reversed[2] = reversed[2], reversed[0]
	b, err := scoring.RunDraw(seed, "现场报数 4 8 15 16 23 42", reversed)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	assert.Equal(t, []scoring.Drawn{{TeamID: 12, ContestantID: 216}, {TeamID: 13, ContestantID: 999}, {TeamID: 14, ContestantID: 307}}, a, "golden result (also what docs/draw.py gives)")
	c, err := scoring.RunDraw(seed, "现场报数 4 8 15 16 23 43", demoPools())
	require.NoError(t, err)
	assert.NotEqual(t, a, c, "the entropy changes the draw")
	_, err = scoring.RunDraw(seed, "x", []scoring.TeamPool{{TeamID: 1}})
	assert.ErrorIs(t, err, scoring.ErrEmptyPool)
}

// Every contestant of a pool is drawn about equally often.
func TestDraw_EveryContestantEquallyLikely(t *testing.T) {
	counts := map[int64]int{}
	pool := []scoring.TeamPool{{TeamID: 1, Pool: []int64{1, 2, 3, 4, 5, 6, 7}}}
	const runs = 7000
	for i := range runs {
		d, err := scoring.RunDraw([]byte{byte(i), byte(i >> 8)}, "e", pool)
		require.NoError(t, err)
		counts[d[0].ContestantID]++
	}
	for id, n := range counts {
		assert.InDelta(t, runs/7, n, 120, "contestant %d", id) // about 4 sd
	}
	assert.Len(t, counts, 7)
}

// The standalone script in docs/ recomputes the same draw from the
// published inputs and checks the commitment.
func TestDraw_StandaloneScriptRecomputesTheSameResult(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is required under CI to check docs/draw.py")
		}
		t.Skip("python3 not installed")
	}
	seed := scoring.NewDrawSeed()
	result, err := scoring.RunDraw(seed, "42 17 8", demoPools())
	require.NoError(t, err)
	published, _ := json.Marshal(map[string]any{"version": scoring.DrawVersion, "commitment": scoring.Commitment(seed),
		"seed": hex.EncodeToString(seed), "entropy": "42 17 8", "teams": demoPools(), "result": result})
	cmd := exec.Command(py, "../docs/draw.py")
	cmd.Stdin = bytes.NewReader(published)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	require.NoError(t, cmd.Run(), "stderr: %s", errOut.String())
	var theirs []scoring.Drawn
	require.NoError(t, json.Unmarshal(out.Bytes(), &theirs))
	assert.Equal(t, result, theirs)

	// A seed that does not match its commitment is caught.
	var tampered map[string]any
	json.Unmarshal(published, &tampered)
	tampered["commitment"] = scoring.Commitment([]byte("another seed"))
	b, _ := json.Marshal(tampered)
	cmd = exec.Command(py, "../docs/draw.py")
	cmd.Stdin = bytes.NewReader(b)
	assert.Error(t, cmd.Run())
}

package skillarena

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCopies are copies of rows in a map, on a clock the test moves.
type testCopies struct {
	*Copies[int, string]
	t     time.Time
	rows  map[int]string
	reads [][]int
	// during, if set, runs inside each bulk read, after the rows are read.
	during func()
}

func newTestCopies() *testCopies {
	tc := &testCopies{Copies: &Copies[int, string]{MaxAge: 30 * time.Second}, t: time.Unix(1_800_000_000, 0), rows: map[int]string{}}
	tc.now = func() time.Time { return tc.t }
	return tc
}

func (tc *testCopies) advance(d time.Duration) { tc.t = tc.t.Add(d) }

// read reads a row as a request would: the copy, or the row kept.
func (tc *testCopies) read(k int) (string, bool) {
	if v, ok := tc.Get(k); ok {
		return v, true
	}
	s := tc.Stamp()
	v, ok := tc.rows[k]
	if ok {
		tc.Keep(k, v, s)
	}
	return v, false
}

func (tc *testCopies) refresh() error {
	return tc.Refresh(context.Background(), func(_ context.Context, keys []int) (map[int]string, error) {
		tc.reads = append(tc.reads, append([]int(nil), keys...))
		out := map[int]string{}
		for _, k := range keys {
			if v, ok := tc.rows[k]; ok {
				out[k] = v
			}
		}
		if tc.during != nil {
			tc.during()
		}
		return out, nil
	})
}

func TestCopies_ACopyIsServedOnlyWhileYoungerThanMaxAge(t *testing.T) {
	tc := newTestCopies()
	tc.rows[1] = "a"
	_, cached := tc.read(1)
	require.False(t, cached, "the first read reads the row")
	tc.rows[1] = "b" // changed on another server
	tc.advance(29 * time.Second)
	v, cached := tc.read(1)
	assert.True(t, cached)
	assert.Equal(t, "a", v, "a copy younger than MaxAge is served")
	tc.advance(time.Second)
	v, cached = tc.read(1)
	assert.False(t, cached, "a copy MaxAge old is not served, however often it was used")
	assert.Equal(t, "b", v)
}

func TestCopies_RefreshKeepsCopiesInUseYoungAndDropsRowsThatAreGone(t *testing.T) {
	tc := newTestCopies()
	tc.rows[1], tc.rows[2] = "a", "x"
	tc.read(1)
	tc.read(2)
	for i := 0; i < 10; i++ { // five minutes of use, refreshed every 10 s
		tc.advance(10 * time.Second)
		_, cached1 := tc.read(1)
		_, cached2 := tc.read(2)
		require.True(t, cached1 && cached2, "copies in use never age out while refreshed, at %d", i)
		require.NoError(t, tc.refresh())
	}
	tc.rows[1] = "b"
	delete(tc.rows, 2) // signed out on another server
	require.NoError(t, tc.refresh())
	v, cached := tc.read(1)
	assert.True(t, cached)
	assert.Equal(t, "b", v, "a change is seen at the next refresh")
	_, cached = tc.read(2)
	assert.False(t, cached, "a row gone is dropped at the next refresh")
	assert.Equal(t, 1, tc.Len())
}

func TestCopies_RefreshDropsCopiesUnusedForMaxAge(t *testing.T) {
	tc := newTestCopies()
	tc.rows[1], tc.rows[2] = "a", "x"
	tc.read(1)
	tc.read(2)
	tc.advance(20 * time.Second)
	tc.read(1)
	tc.advance(10 * time.Second)
	tc.reads = nil
	require.NoError(t, tc.refresh())
	assert.Equal(t, [][]int{{1}}, tc.reads, "only the copy used in the last MaxAge is read again")
	assert.Equal(t, 1, tc.Len(), "the unused copy is dropped")
}

func TestCopies_RefreshReadsAtMost500KeysAtOnce(t *testing.T) {
	tc := newTestCopies()
	for k := 0; k < 1201; k++ {
		tc.rows[k] = "v"
		tc.read(k)
	}
	require.NoError(t, tc.refresh())
	var sizes []int
	for _, r := range tc.reads {
		sizes = append(sizes, len(r))
	}
	assert.Equal(t, []int{500, 500, 201}, sizes)
	assert.Equal(t, 1201, tc.Len())
}

func TestCopies_AReadThatBeganBeforeAForgetIsNotKept(t *testing.T) {
	tc := newTestCopies()
	tc.rows[1] = "old"
	s := tc.Stamp() // a request starts reading the row …
	tc.rows[1] = "new"
	tc.Forget(1) // … this server changes it …
	tc.Keep(1, "old", s)
	_, ok := tc.Get(1)
	assert.False(t, ok, "… and the row it read, maybe older than the change, is not kept")

	s = tc.Stamp()
	tc.Keep(1, "new", s)
	v, ok := tc.Get(1)
	assert.True(t, ok, "a read that began after the change is kept")
	assert.Equal(t, "new", v)
}

func TestCopies_AnOlderReadDoesNotReplaceAYoungerCopy(t *testing.T) {
	tc := newTestCopies()
	tc.rows[1] = "a"
	tc.read(1)
	s := tc.Stamp()
	tc.advance(5 * time.Second)
	tc.rows[1] = "b"
	require.NoError(t, tc.refresh())
	tc.Keep(1, "a", s)
	v, _ := tc.Get(1)
	assert.Equal(t, "b", v)
}

func TestCopies_RefreshNeverOverwritesACopyChangedWhileItRead(t *testing.T) {
	tc := newTestCopies()
	tc.rows[1], tc.rows[2] = "a", "x"
	tc.read(1)
	tc.read(2)
	tc.during = func() {
		// While the refresh reads, this server writes 1 and signs 2 out.
		tc.rows[1] = "written"
		tc.Forget(1)
		tc.Put(1, "written")
		delete(tc.rows, 2)
		tc.Forget(2)
	}
	require.NoError(t, tc.refresh())
	v, ok := tc.Get(1)
	assert.True(t, ok)
	assert.Equal(t, "written", v, "the value written, not the row read before it")
	_, ok = tc.Get(2)
	assert.False(t, ok, "a copy forgotten while the refresh read is not brought back")
}

func TestCopies_AFailedRefreshLeavesCopiesToAgeOut(t *testing.T) {
	tc := newTestCopies()
	tc.rows[1] = "a"
	tc.read(1)
	tc.advance(20 * time.Second)
	down := errors.New("database down")
	err := tc.Refresh(context.Background(), func(context.Context, []int) (map[int]string, error) { return nil, down })
	require.ErrorIs(t, err, down)
	_, ok := tc.Get(1)
	assert.True(t, ok, "kept while younger than MaxAge")
	tc.advance(10 * time.Second)
	_, ok = tc.Get(1)
	assert.False(t, ok, "then read again by each request")
}

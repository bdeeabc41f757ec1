package server

import (
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSessionCodec_RoundTripsAndReadsGobSessionsWrittenBefore(t *testing.T) {
	deadline := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	codec := &sessionCodec{}
	values := map[string]any{sessUserID: int64(42), sessLoginAt: int64(1_790_000_000), sessEpoch: int64(3)}

	b, err := codec.Encode(deadline, values)
	require.NoError(t, err)
	d, got, err := codec.Decode(b)
	require.NoError(t, err)
	assert.True(t, deadline.Equal(d))
	assert.Equal(t, values, got)
	got[sessLastSeen] = int64(7) // scs changes the map; the next read is unchanged
	_, again, err := codec.Decode(b)
	require.NoError(t, err)
	assert.Equal(t, values, again)

	old, err := scs.GobCodec{}.Encode(deadline, values)
	require.NoError(t, err)
	d, got, err = codec.Decode(old)
	require.NoError(t, err)
	assert.True(t, deadline.Equal(d))
	assert.Equal(t, values, got)

	_, err = codec.Encode(deadline, map[string]any{"lang": "zh-CN"})
	assert.ErrorContains(t, err, `"lang" is string`)
}

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
	values := map[string]any{sessUserID: int64(42), sessLoginAt: int64(1_790_000_000), sessEpoch: int64(3)}

	b, err := sessionCodec{}.Encode(deadline, values)
	require.NoError(t, err)
	d, got, err := sessionCodec{}.Decode(b)
	require.NoError(t, err)
	assert.True(t, deadline.Equal(d))
	assert.Equal(t, values, got)

	old, err := scs.GobCodec{}.Encode(deadline, values)
	require.NoError(t, err)
	d, got, err = sessionCodec{}.Decode(old)
	require.NoError(t, err)
	assert.True(t, deadline.Equal(d))
	assert.Equal(t, values, got)

	_, err = sessionCodec{}.Encode(deadline, map[string]any{"lang": "zh-CN"})
	assert.ErrorContains(t, err, `"lang" is string`)
}

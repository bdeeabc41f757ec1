package skillarena_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena"
)

func TestPoints_ParseAndFormatExactly(t *testing.T) {
	for in, want := range map[string]string{"2": "2.00", "2.5": "2.50", "87.25": "87.25", "0.01": "0.01", " 10 ": "10.00"} {
		p, err := skillarena.ParsePoints(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, p.String())
	}
	for _, bad := range []string{"", "-1", "1.234", "1e3", "abc", ".5", "5.", "99999999"} {
		_, err := skillarena.ParsePoints(bad)
		assert.Error(t, err, bad)
	}
}

func TestPoints_JSONIsADecimalString(t *testing.T) {
	b, err := json.Marshal(struct{ P skillarena.Points }{8725})
	require.NoError(t, err)
	assert.JSONEq(t, `{"P":"87.25"}`, string(b))
	var v struct{ P skillarena.Points }
	require.NoError(t, json.Unmarshal([]byte(`{"P":"3.5"}`), &v))
	assert.Equal(t, skillarena.Points(350), v.P)
}

package server

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A field's message keeps its details: "answer E is not among the options",
// not a template with a hole in it.
func TestErrors_FieldMessagesKeepTheirArguments(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.login("author1")
		banks := c.get("/api/v1/banks").json(t)["items"].([]any)
		require.NotEmpty(t, banks)
		bankID := banks[0].(map[string]any)["id"]
		r := c.post("/api/v1/questions", map[string]any{"bank_id": bankID, "topic_id": 2, "type": "single_choice", "stem": "题干",
			"options": []map[string]string{{"key": "A", "text": "甲"}, {"key": "B", "text": "乙"}}, "key": map[string]any{"choices": []string{"E"}},
			"difficulty": 2, "points": "1.00"})
		require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
		fields := r.json(t)["error"].(map[string]any)["fields"].(map[string]any)
		assert.Equal(t, "答案 E 不在选项中。", fields["key"])
	})
}

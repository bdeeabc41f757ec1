package server

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillarena"
	"skillarena/content"
	"skillarena/exam"
)

// attemptSample is an attempt with the given strings in every string field.
func attemptSample(text string, raw json.RawMessage) attemptJSON {
	return attemptAt(text, raw, time.Date(2026, 11, 25, 9, 0, 0, 123456000, time.FixedZone("CST", 8*3600)))
}

func attemptAt(text string, raw json.RawMessage, at time.Time) attemptJSON {
	score := skillarena.Points(8725)
	return attemptJSON{ID: 42, ExamID: 7, ExamTitle: text, Number: 2, Status: exam.AttemptStatus(text), StartedAt: at,
		Deadline: at.Add(90 * time.Minute), RemainingSeconds: 5399, ServerTime: at.Add(time.Second).UTC(), GraceSeconds: 30,
		SubmittedAt: &at, SubmittedBy: text, Score: &score, Graded: true,
		Items: []itemJSON{
			{ID: 1, Type: content.QuestionType(text), Stem: text, Options: []optionJSON{{Key: "A", Text: text}, {Key: text, Text: ""}}, Blanks: 0, Points: 250},
			{ID: 2, Type: content.FillBlank, Stem: "", Options: []optionJSON{}, Blanks: 3, Points: 0},
			{ID: 3, Type: content.Essay, Options: nil},
		},
		Answers: []answerJSON{{ItemID: 1, Response: raw, Seq: 9, SavedAt: &at}, {ItemID: 2, Response: nil}, {ItemID: 3, Response: json.RawMessage(`null`)}},
	}
}

// The attempt written by hand is what json.Marshal writes, to the byte.
func TestAttemptJSON_WritesWhatEncodingJSONWrites(t *testing.T) {
	for _, text := range []string{
		"", "接入网割接 <b>&</b> \"引号\" \\ 反斜杠", "\b\f\n\r\t\x00\x1f\x7f", "\u2028\u2029", "bad \xff utf-8 \xe2\x80", "💡 emoji",
	} {
		for _, raw := range []json.RawMessage{
			json.RawMessage(`{"choices": ["A", "C"]}`), json.RawMessage(`"<script>&"`), json.RawMessage(` [ "\u2028" , 1.5e3 ] `),
		} {
			a := attemptSample(text, raw)
			want, err := json.Marshal(a)
			require.NoError(t, err)
			got, err := appendAttemptJSON(nil, a)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got), "%q %s", text, raw)
		}
	}
	empty := attemptJSON{}
	want, err := json.Marshal(empty)
	require.NoError(t, err)
	got, err := appendAttemptJSON(nil, empty)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "nil items and answers are null")
	_, err = appendAttemptJSON(nil, attemptSample("x", json.RawMessage(`{"broken"`)))
	assert.Error(t, err, "a stored response that is not JSON fails as json.Marshal fails")
}

// A save's acknowledgement written by hand is what json.Marshal writes.
func TestSavedJSON_WritesWhatEncodingJSONWrites(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 25, 9, 0, 0, 120000, time.FixedZone("CST", 8*3600)), {},
	} {
		s := savedJSON{Seq: 1 << 40, SavedAt: at}
		want, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendSavedJSON(nil, s)))
	}
}

func FuzzAttemptJSON(f *testing.F) {
	f.Add("接入网 <b>&</b>", []byte(`{"choices":["A"]}`), int64(1795590000123456789))
	f.Add("\x00\u2028\xff", []byte(` "a\u2029<" `), int64(0))
	f.Add("", []byte(`null`), int64(-1))
	f.Fuzz(func(t *testing.T, text string, raw []byte, nanos int64) {
		a := attemptAt(text, raw, time.Unix(0, nanos).In(time.FixedZone("", int(nanos%50000))))
		want, werr := json.Marshal(a)
		got, gerr := appendAttemptJSON(nil, a)
		if werr != nil || gerr != nil {
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("json.Marshal: %v, by hand: %v, for %q %q", werr, gerr, text, raw)
			}
			return
		}
		if string(want) != string(got) {
			t.Fatalf("for %q %q\njson.Marshal: %s\nby hand:      %s", text, raw, want, got)
		}
	})
}

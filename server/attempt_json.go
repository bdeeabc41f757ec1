package server

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// The attempt resource and a save's acknowledgement are written by hand: a
// start sends each contestant their whole paper, everyone at once, and
// encoding/json's reflection over it was a tenth of a start's CPU; saves are
// the most frequent answer of all. The output is byte for byte what
// json.Marshal writes for attemptJSON and savedJSON; tests and a fuzz target
// compare them, so the structs stay the definition.

// appendAttemptJSON appends a's JSON to b.
func appendAttemptJSON(b []byte, a attemptJSON) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, a.ID, 10)
	b = append(b, `,"exam_id":`...)
	b = strconv.AppendInt(b, a.ExamID, 10)
	b = append(b, `,"exam_title":`...)
	b = appendJSONString(b, a.ExamTitle)
	b = append(b, `,"number":`...)
	b = strconv.AppendInt(b, int64(a.Number), 10)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, string(a.Status))
	b = append(b, `,"started_at":`...)
	b = appendJSONTime(b, a.StartedAt)
	b = append(b, `,"deadline":`...)
	b = appendJSONTime(b, a.Deadline)
	b = append(b, `,"remaining_seconds":`...)
	b = strconv.AppendInt(b, int64(a.RemainingSeconds), 10)
	b = append(b, `,"server_time":`...)
	b = appendJSONTime(b, a.ServerTime)
	b = append(b, `,"grace_seconds":`...)
	b = strconv.AppendInt(b, int64(a.GraceSeconds), 10)
	b = append(b, `,"submitted_at":`...)
	b = appendJSONTimeOrNull(b, a.SubmittedAt)
	b = append(b, `,"submitted_by":`...)
	b = appendJSONString(b, a.SubmittedBy)
	b = append(b, `,"score":`...)
	if a.Score == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, a.Score.String())
	}
	b = append(b, `,"graded":`...)
	b = strconv.AppendBool(b, a.Graded)
	b = append(b, `,"items":`...)
	b = appendItemsJSON(b, a.Items)
	b = append(b, `,"answers":`...)
	if a.Answers == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, an := range a.Answers {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"item_id":`...)
			b = strconv.AppendInt(b, int64(an.ItemID), 10)
			b = append(b, `,"response":`...)
			var err error
			if b, err = appendRawJSON(b, an.Response); err != nil {
				return nil, err
			}
			b = append(b, `,"seq":`...)
			b = strconv.AppendInt(b, an.Seq, 10)
			b = append(b, `,"saved_at":`...)
			b = appendJSONTimeOrNull(b, an.SavedAt)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendSavedJSON appends a save's acknowledgement.
func appendSavedJSON(b []byte, s savedJSON) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, s.Seq, 10)
	b = append(b, `,"saved_at":`...)
	b = appendJSONTime(b, s.SavedAt)
	return append(b, '}')
}

// appendItemsJSON appends items as json.Marshal writes []itemJSON.
func appendItemsJSON(b []byte, items []itemJSON) []byte {
	if items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, int64(it.ID), 10)
		b = append(b, `,"type":`...)
		b = appendJSONString(b, string(it.Type))
		b = append(b, `,"stem":`...)
		b = appendJSONString(b, it.Stem)
		b = append(b, `,"options":`...)
		if it.Options == nil {
			b = append(b, "null"...)
		} else {
			b = append(b, '[')
			for j, o := range it.Options {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"key":`...)
				b = appendJSONString(b, o.Key)
				b = append(b, `,"text":`...)
				b = appendJSONString(b, o.Text)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, `,"blanks":`...)
		b = strconv.AppendInt(b, int64(it.Blanks), 10)
		b = append(b, `,"points":`...)
		b = appendJSONString(b, it.Points.String())
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendJSONTime appends t as time.Time's MarshalJSON does.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

func appendJSONTimeOrNull(b []byte, t *time.Time) []byte {
	if t == nil {
		return append(b, "null"...)
	}
	return appendJSONTime(b, *t)
}

// appendRawJSON appends raw as json.Marshal writes a json.RawMessage:
// compacted, with <, > and & escaped; nil is null.
func appendRawJSON(b []byte, raw json.RawMessage) ([]byte, error) {
	if raw == nil {
		return append(b, "null"...), nil
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, err
	}
	var escaped bytes.Buffer
	json.HTMLEscape(&escaped, compact.Bytes())
	return append(b, escaped.Bytes()...), nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json quotes a string with
// HTML escaping (its default): ", \ and control characters escaped, <, >
// and & as \u003c and so on, invalid UTF-8 as \ufffd, and U+2028 and
// U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

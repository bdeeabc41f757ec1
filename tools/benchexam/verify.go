package main

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"gorm.io/gorm"
)

// Verification is what the database holds against what the server
// acknowledged.
type Verification struct {
	Attempts int `json:"attempts"`
	// Acknowledged counts the saves answered 200; Items the (attempt, item)
	// pairs that had at least one.
	Acknowledged int64 `json:"acknowledged_saves"`
	Items        int   `json:"items_checked"`
	// Lost: the stored seq is older than an acknowledged one, or the last
	// save sent was acknowledged and is not what is stored.
	Lost int `json:"lost"`
	// OutOfOrder: the stored response is not the one sent with the stored
	// seq (an older answer under a newer seq), or the stored seq was never
	// sent.
	OutOfOrder int      `json:"out_of_order"`
	Examples   []string `json:"examples,omitempty"`
}

type storedAnswer struct {
	AttemptID int64
	Position  int
	Seq       int64
	Response  *string
}

// verify reads every answer of the fleet's attempts from the database and
// checks it against what each contestant sent and had acknowledged.
func (f *fleet) verify(ctx context.Context, db *gorm.DB) (Verification, error) {
	var v Verification
	cs := f.started()
	ids := make([]int64, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.attemptID)
	}
	stored := map[int64]map[int]storedAnswer{}
	for from := 0; from < len(ids); from += 500 {
		var rows []storedAnswer
		err := db.WithContext(ctx).Raw("SELECT attempt_id, position, seq, response FROM answers WHERE attempt_id IN ?", ids[from:min(from+500, len(ids))]).
			Scan(&rows).Error
		if err != nil {
			return v, fmt.Errorf("read answers: %w", err)
		}
		for _, r := range rows {
			if stored[r.AttemptID] == nil {
				stored[r.AttemptID] = map[int]storedAnswer{}
			}
			stored[r.AttemptID][r.Position] = r
		}
	}
	return f.check(stored), nil
}

// check compares what the database holds (attempt → position → answer)
// with what each contestant sent and had acknowledged.
func (f *fleet) check(stored map[int64]map[int]storedAnswer) Verification {
	var v Verification
	cs := f.started()
	v.Attempts = len(cs)
	for _, c := range cs {
		for i, it := range c.items {
			if c.sent[i] == 0 {
				continue
			}
			s := stored[c.attemptID][it.ID]
			if c.acked[i] > 0 {
				v.Items++
			}
			switch {
			case s.Seq < c.acked[i]:
				v.Lost++
				v.example(fmt.Sprintf("attempt %d item %d: seq %d acknowledged, %d stored", c.attemptID, it.ID, c.acked[i], s.Seq))
			case c.lastAck[i] && s.Seq != c.sent[i]:
				v.Lost++
				v.example(fmt.Sprintf("attempt %d item %d: last save (seq %d) acknowledged, seq %d stored", c.attemptID, it.ID, c.sent[i], s.Seq))
			case s.Seq > c.sent[i]:
				v.OutOfOrder++
				v.example(fmt.Sprintf("attempt %d item %d: seq %d stored, only %d sent", c.attemptID, it.ID, s.Seq, c.sent[i]))
			case s.Seq > 0 && !sameJSON(s.Response, responseFor(c.idx, it, s.Seq)):
				v.OutOfOrder++
				got := "null"
				if s.Response != nil {
					got = *s.Response
				}
				v.example(fmt.Sprintf("attempt %d item %d: seq %d stored with response %.80s", c.attemptID, it.ID, s.Seq, got))
			}
		}
	}
	for _, s := range f.rec.summaries() {
		if isSave(s.Endpoint) {
			v.Acknowledged += int64(s.Statuses[200])
		}
	}
	return v
}

func isSave(endpoint string) bool { return len(endpoint) >= 4 && endpoint[:4] == "save" }

func (v *Verification) example(s string) {
	if len(v.Examples) < 5 {
		v.Examples = append(v.Examples, s)
	}
}

// sameJSON compares a stored response with the value sent, as JSON values
// (the server may store the bytes as sent or re-encoded).
func sameJSON(stored *string, sent any) bool {
	if stored == nil {
		return false
	}
	var a, b any
	if err := json.Unmarshal([]byte(*stored), &a); err != nil {
		return false
	}
	raw, _ := json.Marshal(sent)
	json.Unmarshal(raw, &b)
	return reflect.DeepEqual(a, b)
}

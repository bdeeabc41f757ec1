package server

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"skillarena"
	"skillarena/database/dbtest"
)

// BenchmarkSaveAnswer measures one autosave through the whole server (session,
// authorisation, JSON, the conditional UPDATE) on SQLite, for profiling:
// go test ./server -run XXX -bench SaveAnswer -cpuprofile /tmp/save.prof
func BenchmarkSaveAnswer(b *testing.B) {
	t := &testing.T{}
	db := dbtest.SQLite(t, nil)
	clock := skillarena.NewFixedClock(time.Now())
	e := newEnv(t, db, clock)
	e.t = t
	eng := e.login("eng001")
	a := start(t, eng, mockExam(t, eng))
	path := fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.ID, a.Items[0].ID)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := eng.send(http.MethodPut, path, map[string]any{"response": nil, "seq": i + 1})
		if r.status != http.StatusOK {
			b.Fatalf("save: %d %s", r.status, r.body)
		}
	}
}

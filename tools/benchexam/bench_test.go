package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeServer speaks the exam contract (exam-api.md) from memory, with
// switches that make it misbehave the ways the generator must notice.
type fakeServer struct {
	mu       sync.Mutex
	attempts map[string]int64 // username → attempt id
	store    map[int64]map[int]storedAnswer
	saves    int
	// loseEvery acknowledges every n-th save without storing it.
	loseEvery int
	// failFirst answers 503 to the first try of every save.
	failFirst bool
	tried     map[string]bool
	// swap stores the previous response under each new seq.
	swap bool
}

var fakeItems = []item{
	{ID: 1, Type: "single_choice", Options: []struct {
		Key string `json:"key"`
	}{{"A"}, {"B"}, {"C"}, {"D"}}},
	{ID: 2, Type: "multiple_choice", Options: []struct {
		Key string `json:"key"`
	}{{"A"}, {"B"}, {"C"}}},
	{ID: 3, Type: "true_false"},
	{ID: 4, Type: "fill_blank", Blanks: 2},
	{ID: 5, Type: "short_answer"},
}

func newFakeServer() (*fakeServer, *httptest.Server) {
	f := &fakeServer{attempts: map[string]int64{}, store: map[int64]map[int]storedAnswer{}, tried: map[string]bool{}}
	return f, httptest.NewServer(f)
}

// snapshot copies what the fake stored, under its lock.
func (f *fakeServer) snapshot() map[int64]map[int]storedAnswer {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64]map[int]storedAnswer{}
	for id, m := range f.store {
		out[id] = map[int]storedAnswer{}
		for pos, a := range m {
			out[id][pos] = a
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	user := ""
	if c, err := r.Cookie("s"); err == nil {
		user = c.Value
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v1/"), "/")
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/api/v1/auth/login":
		var in struct{ Username, Password string }
		json.NewDecoder(r.Body).Decode(&in)
		if in.Password != benchPassword || r.Header.Get("X-Forwarded-For") == "" {
			writeJSON(w, 401, map[string]any{"error": map[string]string{"code": "unauthorized"}})
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "s", Value: in.Username, Path: "/"})
		writeJSON(w, 200, map[string]any{"user": map[string]any{"username": in.Username}})
	case user == "":
		writeJSON(w, 401, map[string]any{"error": map[string]string{"code": "unauthorized"}})
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "exams" && parts[2] == "attempts":
		status := 200
		id, ok := f.attempts[user]
		if !ok {
			id = int64(len(f.attempts) + 1)
			f.attempts[user], status = id, 201
			f.store[id] = map[int]storedAnswer{}
		}
		writeJSON(w, status, map[string]any{"id": id, "exam_id": 7, "status": "in_progress", "deadline": time.Now().Add(time.Hour),
			"remaining_seconds": 3600, "items": fakeItems, "answers": []any{}})
	case r.Method == http.MethodPut && len(parts) == 4 && parts[2] == "answers":
		id, _ := strconv.ParseInt(parts[1], 10, 64)
		pos, _ := strconv.Atoi(parts[3])
		if f.attempts[user] != id {
			writeJSON(w, 404, map[string]any{"error": map[string]string{"code": "not_found"}})
			return
		}
		var in struct {
			Response json.RawMessage `json:"response"`
			Seq      int64           `json:"seq"`
		}
		json.NewDecoder(r.Body).Decode(&in)
		key := fmt.Sprintf("%d/%d/%d", id, pos, in.Seq)
		if f.failFirst && !f.tried[key] {
			f.tried[key] = true
			writeJSON(w, 503, map[string]any{"error": map[string]string{"code": "unavailable"}})
			return
		}
		old := f.store[id][pos]
		if in.Seq <= old.Seq {
			writeJSON(w, 409, map[string]any{"error": map[string]string{"code": "stale_write"}})
			return
		}
		f.saves++
		resp := string(in.Response)
		if f.swap && old.Response != nil {
			resp = *old.Response
		}
		if f.loseEvery == 0 || f.saves%f.loseEvery != 0 {
			f.store[id][pos] = storedAnswer{AttemptID: id, Position: pos, Seq: in.Seq, Response: &resp}
		}
		writeJSON(w, 200, map[string]any{"seq": in.Seq, "saved_at": time.Now()})
	case r.Method == http.MethodPost && len(parts) == 3 && parts[2] == "submit":
		writeJSON(w, 200, map[string]any{"status": "submitted"})
	default:
		writeJSON(w, 404, map[string]any{"error": map[string]string{"code": "not_found"}})
	}
}

func runFakeFleet(t *testing.T, fs *fakeServer, srv *httptest.Server, n int, load SaveLoad) *fleet {
	t.Helper()
	ctx := context.Background()
	f, err := newFleet(srv.URL, State{ExamID: 7, Prefix: "t", N: n, Password: benchPassword}, 5*time.Second, nil)
	require.NoError(t, err)
	require.NoError(t, f.loginAll(ctx, 4))
	f.burst(ctx, n/2, "start (burst)")
	f.startRest(ctx, 4, "start (rest)")
	require.Len(t, f.started(), n)
	f.steady(ctx, load)
	return f
}

func TestFleet_EveryAcknowledgedSaveIsFoundStored(t *testing.T) {
	fs, srv := newFakeServer()
	defer srv.Close()
	f := runFakeFleet(t, fs, srv, 20, SaveLoad{Label: "save (steady)", Interval: 20 * time.Millisecond, Jitter: 0.2, Duration: 300 * time.Millisecond, Drain: 5 * time.Second})
	f.saturate(context.Background(), 4, 100*time.Millisecond, "save (saturation)")
	f.submitAll(context.Background(), 4)

	v := f.check(fs.snapshot())
	assert.Zero(t, v.Lost, v.Examples)
	assert.Zero(t, v.OutOfOrder, v.Examples)
	fs.mu.Lock()
	assert.EqualValues(t, fs.saves, v.Acknowledged, "every save the fake stored was answered 200")
	fs.mu.Unlock()
	assert.Greater(t, v.Items, 20)
	assert.Zero(t, f.protocol.Load(), f.firstBad.Load())

	burst := f.rec.summary("start (burst)")
	assert.Equal(t, 10, burst.Statuses[201])
	steady := f.rec.summary("save (steady)")
	assert.Equal(t, steady.Count, steady.Statuses[200])
	assert.Greater(t, steady.P99, time.Duration(0))
	assert.Equal(t, 20, f.rec.summary("submit").Statuses[200])
}

func TestCheck_CountsAnAcknowledgedSaveThatIsNotStoredAsLost(t *testing.T) {
	fs, srv := newFakeServer()
	defer srv.Close()
	fs.loseEvery = 7
	f := runFakeFleet(t, fs, srv, 10, SaveLoad{Label: "save (steady)", Interval: 20 * time.Millisecond, Duration: 200 * time.Millisecond})
	v := f.check(fs.snapshot())
	assert.Positive(t, v.Lost)
	assert.NotEmpty(t, v.Examples)
}

func TestCheck_CountsAnOlderAnswerUnderANewerSeqAsOutOfOrder(t *testing.T) {
	fs, srv := newFakeServer()
	defer srv.Close()
	fs.swap = true
	f := runFakeFleet(t, fs, srv, 10, SaveLoad{Label: "save (steady)", Interval: 10 * time.Millisecond, Duration: 200 * time.Millisecond})
	v := f.check(fs.snapshot())
	assert.Positive(t, v.OutOfOrder)
	assert.Zero(t, v.Lost)
}

func TestSteady_RetriesAFailedSaveWithTheSameSeqUntilAcknowledged(t *testing.T) {
	fs, srv := newFakeServer()
	defer srv.Close()
	fs.failFirst = true
	f := runFakeFleet(t, fs, srv, 10, SaveLoad{Label: "save", Interval: 20 * time.Millisecond, Duration: 300 * time.Millisecond, Retry: true, Drain: 2 * time.Second})
	first, retry := f.rec.summary("save"), f.rec.summary("save (retry)")
	assert.Equal(t, first.Count, first.Statuses[503], "every first try refused")
	assert.Equal(t, first.Count, retry.Statuses[200], "every retry acknowledged")
	v := f.check(fs.snapshot())
	assert.Zero(t, v.Lost)
	assert.Zero(t, v.OutOfOrder)
	for _, c := range f.started() {
		for i := range c.items {
			assert.Equal(t, c.sent[i], c.acked[i], "the seq retried is the seq sent")
		}
	}
}

// The bare loop must run the statement the server runs, or the ratio means
// nothing.
func TestBareSQL_IsExamServiceSaveStatementWordForWord(t *testing.T) {
	src, err := os.ReadFile("../../exam/save_batch.go")
	require.NoError(t, err)
	for _, piece := range []string{saveSQLUpdate, saveSQLExists, saveSQLDevice} {
		assert.Contains(t, string(src), strconv.Quote(piece), "exam.Service.Save changed: update bare.go")
	}
}

func TestPercentile_IsNearestRank(t *testing.T) {
	var l []time.Duration
	for i := 1; i <= 100; i++ {
		l = append(l, time.Duration(i)*time.Millisecond)
	}
	assert.Equal(t, 50*time.Millisecond, percentile(l, 50))
	assert.Equal(t, 99*time.Millisecond, percentile(l, 99))
	assert.Equal(t, 100*time.Millisecond, percentile(l, 100))
	assert.Equal(t, 5*time.Millisecond, percentile(l[:5], 99))
}

func TestP99ByWindow_GivesEachTenSecondsItsOwnTail(t *testing.T) {
	r := newRecorder()
	t0 := time.Unix(1_800_000_000, 0)
	for i := 0; i < 100; i++ {
		r.addRaw("save", t0.Add(time.Duration(i)*100*time.Millisecond), time.Duration(i+1)*time.Millisecond, 200, "")
	}
	for i := 0; i < 100; i++ {
		d := time.Millisecond
		if i == 40 || i == 41 {
			d = 500 * time.Millisecond // two slow answers in the second window
		}
		r.addRaw("save", t0.Add(10*time.Second+time.Duration(i)*100*time.Millisecond), d, 200, "")
	}
	r.addRaw("save", t0.Add(25*time.Second), 3*time.Millisecond, 200, "")
	s := r.summary("save")
	assert.Equal(t, []time.Duration{99 * time.Millisecond, 500 * time.Millisecond, 3 * time.Millisecond}, s.P99ByWindow)
	var out strings.Builder
	printSummaries(&out, []Summary{s})
	assert.Contains(t, out.String(), "save: p99 of each 10s, ms: 99.0, 500.0, 3.0\n")

	short := newRecorder()
	short.addRaw("start", t0, time.Millisecond, 201, "")
	short.addRaw("start", t0.Add(time.Second), time.Millisecond, 201, "")
	assert.Nil(t, short.summary("start").P99ByWindow, "a phase shorter than two windows has none")
}

func TestResponseFor_GivesEachTypeItsShapeAndChangesWithSeq(t *testing.T) {
	shapes := map[string]string{"single_choice": `"`, "multiple_choice": `[`, "true_false": ``, "fill_blank": `["`, "short_answer": `"`}
	for _, it := range fakeItems {
		a, _ := json.Marshal(responseFor(3, it, 1))
		b, _ := json.Marshal(responseFor(3, it, 2))
		assert.True(t, strings.HasPrefix(string(a), shapes[it.Type]), "%s: %s", it.Type, a)
		assert.NotEqual(t, string(a), string(b), it.Type)
	}
}

func TestPidListeningOn_FindsTheListeningProcess(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	pid, err := pidListeningOn(ln.Addr().(*net.TCPAddr).Port)
	require.NoError(t, err)
	assert.Equal(t, os.Getpid(), pid)
	m, err := readMemory(pid)
	require.NoError(t, err)
	assert.Positive(t, m.RSSKiB)
	assert.GreaterOrEqual(t, m.HWMKiB, m.RSSKiB)
	for end := time.Now().Add(50 * time.Millisecond); time.Now().Before(end); {
	}
	assert.Positive(t, cpuTime(pid), "the test has used some CPU")
}

// After a bare loop has written seqs from its own base, the next round's
// saves must carry newer seqs, or every one would be refused as stale.
func TestJumpSeqs_TheNextSaveOfEveryItemIsAboveTheBase(t *testing.T) {
	f := &fleet{all: []*contestant{
		{attemptID: 1, sent: []int64{3, 0, 7}},
		{attemptID: 0, sent: []int64{5}}, // never started: untouched
	}}
	f.jumpSeqs(1 << 42)
	assert.Equal(t, []int64{1 << 42, 1 << 42, 1 << 42}, f.all[0].sent)
	assert.Equal(t, []int64{5}, f.all[1].sent)
	f.all[0].sent[1] = 1<<42 + 9
	f.jumpSeqs(1 << 42)
	assert.EqualValues(t, 1<<42+9, f.all[0].sent[1], "a seq already above the base stays")
}

package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// recorder collects every request's latency and outcome per endpoint. Every
// sample is kept (a 10,000-contestant minute is ~150,000 of them), so the
// percentiles are exact.
type recorder struct {
	mu        sync.Mutex
	endpoints map[string]*endpointStats
	order     []string
}

type endpointStats struct {
	name       string
	latencies  []time.Duration
	starts     []time.Time // when each of latencies' requests was sent
	statuses   map[int]int
	codes      map[string]int    // "409 stale_write" and the like
	examples   map[string]string // the first answer of each code, as sent
	transport  int               // requests that got no HTTP answer (refused, reset, timeout)
	first, end time.Time
}

func newRecorder() *recorder { return &recorder{endpoints: map[string]*endpointStats{}} }

// add records one request's outcome under endpoint.
func (r *recorder) add(endpoint string, res result) {
	code := ""
	if res.status >= 300 {
		code = fmt.Sprintf("%d %s", res.status, res.errorCode())
	}
	r.addRaw(endpoint, res.start, res.took, res.status, code)
	example := strings.TrimSpace(string(res.body))
	if res.status == 0 && res.err != nil {
		code, example = "no answer", res.err.Error()
	}
	if code != "" {
		r.mu.Lock()
		if e := r.endpoints[endpoint]; e.examples[code] == "" {
			e.examples[code] = example
		}
		r.mu.Unlock()
	}
}

// addRaw records one request: status 0 means no HTTP answer; code is the
// API error code of a refusal.
func (r *recorder) addRaw(endpoint string, start time.Time, d time.Duration, status int, code string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.endpoints[endpoint]
	if e == nil {
		e = &endpointStats{name: endpoint, statuses: map[int]int{}, codes: map[string]int{}, examples: map[string]string{}, first: start}
		r.endpoints[endpoint] = e
		r.order = append(r.order, endpoint)
	}
	e.latencies = append(e.latencies, d)
	e.starts = append(e.starts, start)
	if status == 0 {
		e.transport++
	} else {
		e.statuses[status]++
	}
	if code != "" {
		e.codes[code]++
	}
	if start.Before(e.first) {
		e.first = start
	}
	if end := start.Add(d); end.After(e.end) {
		e.end = end
	}
}

// Summary is one endpoint's figures.
type Summary struct {
	Endpoint   string            `json:"endpoint"`
	Count      int               `json:"count"`
	OK         int               `json:"ok"`
	Throughput float64           `json:"throughput_per_s"` // answered requests over the span from first send to last answer
	P50        time.Duration     `json:"p50"`
	P95        time.Duration     `json:"p95"`
	P99        time.Duration     `json:"p99"`
	Max        time.Duration     `json:"max"`
	Statuses   map[int]int       `json:"statuses"`
	Codes      map[string]int    `json:"error_codes,omitempty"`
	Examples   map[string]string `json:"error_examples,omitempty"`
	Transport  int               `json:"transport_errors"`
	Span       time.Duration     `json:"span"`
	// P99ByWindow is the p99 of the requests sent in each tailWindow from
	// the first: it tells a tail spread over the phase from one that a few
	// seconds make.
	P99ByWindow []time.Duration `json:"p99_by_window,omitempty"`
}

// tailWindow is the span of each P99ByWindow figure.
const tailWindow = 10 * time.Second

func (r *recorder) summary(endpoint string) Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.endpoints[endpoint]
	if e == nil {
		return Summary{Endpoint: endpoint, Statuses: map[int]int{}}
	}
	return e.summary()
}

func (r *recorder) summaries() []Summary {
	r.mu.Lock()
	names := slices.Clone(r.order)
	r.mu.Unlock()
	out := make([]Summary, len(names))
	for i, n := range names {
		out[i] = r.summary(n)
	}
	return out
}

func (e *endpointStats) summary() Summary {
	l := slices.Clone(e.latencies)
	slices.Sort(l)
	s := Summary{Endpoint: e.name, Count: len(l), Statuses: map[int]int{}, Codes: maps.Clone(e.codes), Examples: maps.Clone(e.examples), Transport: e.transport, Span: e.end.Sub(e.first)}
	for k, v := range e.statuses {
		s.Statuses[k] = v
		if k >= 200 && k < 300 {
			s.OK += v
		}
	}
	if len(l) > 0 {
		s.P50, s.P95, s.P99, s.Max = percentile(l, 50), percentile(l, 95), percentile(l, 99), l[len(l)-1]
	}
	if s.Span > 0 {
		s.Throughput = float64(s.Count-s.Transport) / s.Span.Seconds()
	}
	s.P99ByWindow = e.p99ByWindow()
	return s
}

// p99ByWindow is the p99 of each tailWindow's requests, for a phase that
// lasts at least two windows.
func (e *endpointStats) p99ByWindow() []time.Duration {
	if e.end.Sub(e.first) < 2*tailWindow {
		return nil
	}
	var windows [][]time.Duration
	for i, d := range e.latencies {
		w := int(e.starts[i].Sub(e.first) / tailWindow)
		for len(windows) <= w {
			windows = append(windows, nil)
		}
		windows[w] = append(windows[w], d)
	}
	out := make([]time.Duration, len(windows))
	for i, l := range windows {
		slices.Sort(l)
		out[i] = percentile(l, 99)
	}
	return out
}

// percentile of sorted samples, nearest-rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func (s Summary) statusText() string {
	keys := make([]int, 0, len(s.Statuses))
	for k := range s.Statuses {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	parts := make([]string, 0, len(keys)+1)
	for _, k := range keys {
		if k < 300 {
			parts = append(parts, fmt.Sprintf("%d×%d", k, s.Statuses[k]))
		}
	}
	codes := slices.Sorted(maps.Keys(s.Codes))
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%s×%d", c, s.Codes[c]))
	}
	if s.Transport > 0 {
		parts = append(parts, fmt.Sprintf("no-answer×%d", s.Transport))
	}
	return strings.Join(parts, " ")
}

func printSummaries(w io.Writer, ss []Summary) {
	fmt.Fprintf(w, "%-28s %8s %9s %8s %8s %8s %8s  %s\n", "endpoint", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "statuses")
	for _, s := range ss {
		fmt.Fprintf(w, "%-28s %8d %9.1f %8s %8s %8s %8s  %s\n", s.Endpoint, s.Count, s.Throughput, ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max), s.statusText())
	}
	for _, s := range ss {
		if len(s.P99ByWindow) == 0 {
			continue
		}
		parts := make([]string, len(s.P99ByWindow))
		for i, d := range s.P99ByWindow {
			parts[i] = ms(d)
		}
		fmt.Fprintf(w, "%s: p99 of each %s, ms: %s\n", s.Endpoint, tailWindow, strings.Join(parts, ", "))
	}
}

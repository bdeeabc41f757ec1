package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// item is one question of an attempt as the contestant sees it (exam-api.md).
type item struct {
	ID      int    `json:"id"`
	Type    string `json:"type"`
	Options []struct {
		Key string `json:"key"`
	} `json:"options"`
	Blanks int `json:"blanks"`
}

// attempt is the part of the attempt resource the generator reads.
type attempt struct {
	ID               int64     `json:"id"`
	ExamID           int64     `json:"exam_id"`
	Status           string    `json:"status"`
	Deadline         time.Time `json:"deadline"`
	RemainingSeconds int       `json:"remaining_seconds"`
	ServerTime       time.Time `json:"server_time"`
	Items            []item    `json:"items"`
	Answers          []struct {
		ItemID   int             `json:"item_id"`
		Response json.RawMessage `json:"response"`
		Seq      int64           `json:"seq"`
	} `json:"answers"`
}

// saved is the answer to an acknowledged save.
type saved struct {
	Seq     int64     `json:"seq"`
	SavedAt time.Time `json:"saved_at"`
}

// apiError is the API's error body.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// contestant is one simulated browser: its own cookies (session) and,
// since every contestant comes from 127.0.0.1, its own X-Forwarded-For
// address so the per-address sign-in limit treats them as the different
// machines they would be (the server must trust 127.0.0.1 as a proxy).
type contestant struct {
	idx      int
	username string
	conns    *conns
	xff      string
	cookies  map[string]string
	header   string // the request header lines every request sends

	attemptID int64
	deadline  time.Time
	items     []item
	// Per item (index = item id - 1): the last seq sent, the highest seq the
	// server acknowledged, and whether the last one sent was acknowledged.
	sent    []int64
	acked   []int64
	lastAck []bool
	saves   int // saves sent so far, which picks the next item
}

func newContestant(idx int, username string, p *conns) *contestant {
	c := &contestant{idx: idx, username: username, xff: fmt.Sprintf("10.%d.%d.%d", (idx>>16)&255, (idx>>8)&255, idx&255),
		conns: p, cookies: map[string]string{}}
	c.setHeader()
	return c
}

// setHeader formats the header lines of the contestant's requests.
func (c *contestant) setHeader() {
	var b strings.Builder
	b.WriteString("Accept-Language: en\r\nX-Forwarded-For: ")
	b.WriteString(c.xff)
	b.WriteString("\r\n")
	if len(c.cookies) > 0 {
		names := slices.Sorted(maps.Keys(c.cookies))
		b.WriteString("Cookie: ")
		for i, n := range names {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(n + "=" + c.cookies[n])
		}
		b.WriteString("\r\n")
	}
	c.header = b.String()
}

// keep stores the cookies an answer set, as a browser does.
func (c *contestant) keep(cookies []*http.Cookie) {
	for _, k := range cookies {
		if k.MaxAge < 0 || (!k.Expires.IsZero() && k.Expires.Before(time.Now())) {
			delete(c.cookies, k.Name)
		} else {
			c.cookies[k.Name] = k.Value
		}
	}
	c.setHeader()
}

// result is one request's outcome.
type result struct {
	status     int // 0: no HTTP answer
	body       []byte
	retryAfter string
	err        error
	took       time.Duration
	start      time.Time
}

func (r result) errorCode() string {
	var e apiError
	json.Unmarshal(r.body, &e)
	return e.Error.Code
}

func (r result) String() string {
	if r.status == 0 {
		return "no answer: " + r.err.Error()
	}
	return strconv.Itoa(r.status) + " " + string(bytes.TrimSpace(r.body))
}

// do sends one request and reads the whole answer. path starts at /api.
func (c *contestant) do(ctx context.Context, method, path string, body any) result {
	header := c.header
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			panic(err)
		}
		header += "Content-Type: application/json\r\n"
	}
	start := time.Now()
	resp, err := c.conns.do(ctx, method, path, header, b)
	took := time.Since(start)
	if err != nil {
		return result{err: err, took: took, start: start}
	}
	if resp.cookies != nil {
		c.keep(resp.cookies)
	}
	return result{status: resp.status, body: resp.body, took: took, start: start, retryAfter: resp.retryAfter}
}

func (c *contestant) login(ctx context.Context, password string) result {
	return c.do(ctx, http.MethodPost, "/api/v1/auth/login", map[string]string{"username": c.username, "password": password})
}

// start starts or resumes the contestant's attempt and remembers its items.
func (c *contestant) start(ctx context.Context, examID int64) result {
	r := c.do(ctx, http.MethodPost, "/api/v1/exams/"+strconv.FormatInt(examID, 10)+"/attempts", nil)
	if r.status == http.StatusOK || r.status == http.StatusCreated {
		if err := c.adopt(r.body); err != nil {
			r.err = err
		}
	}
	return r
}

// adopt reads an attempt resource into the contestant's state.
func (c *contestant) adopt(body []byte) error {
	var a attempt
	if err := json.Unmarshal(body, &a); err != nil {
		return fmt.Errorf("attempt: %w", err)
	}
	if a.ID == 0 || len(a.Items) == 0 {
		return fmt.Errorf("attempt without id or items: %.200s", body)
	}
	if c.attemptID != a.ID {
		c.attemptID, c.items = a.ID, a.Items
		c.sent, c.acked, c.lastAck = make([]int64, len(a.Items)), make([]int64, len(a.Items)), make([]bool, len(a.Items))
	}
	c.deadline = a.Deadline
	return nil
}

func (c *contestant) get(ctx context.Context) (attempt, result) {
	r := c.do(ctx, http.MethodGet, "/api/v1/attempts/"+strconv.FormatInt(c.attemptID, 10), nil)
	var a attempt
	if r.status == http.StatusOK {
		if err := json.Unmarshal(r.body, &a); err != nil {
			r.err = err
		}
	}
	return a, r
}

// save sends the next answer with that item's next seq: the contestant
// works through the paper from its own starting item, saving each item
// twice (an answer, then a change of mind), so every row sees a newer seq
// replace an older one. It returns the item's index and seq with the
// outcome; the caller records it with ack.
func (c *contestant) save(ctx context.Context) (int, int64, result) {
	i := (c.idx + c.saves/2) % len(c.items)
	c.saves++
	c.sent[i]++
	seq := c.sent[i]
	return i, seq, c.send(ctx, i, seq)
}

// send puts one answer with a given seq (a retry sends the same seq again).
func (c *contestant) send(ctx context.Context, i int, seq int64) result {
	it := c.items[i]
	body := map[string]any{"response": responseFor(c.idx, it, seq), "seq": seq}
	return c.do(ctx, http.MethodPut, "/api/v1/attempts/"+strconv.FormatInt(c.attemptID, 10)+"/answers/"+strconv.Itoa(it.ID), body)
}

// ack records a save's outcome: a 200 must echo the seq sent.
func (c *contestant) ack(i int, seq int64, r result) error {
	latest := seq == c.sent[i] // else an older retry: the newer save decides lastAck
	if latest {
		c.lastAck[i] = false
	}
	if r.status != http.StatusOK {
		return nil
	}
	var s saved
	if err := json.Unmarshal(r.body, &s); err != nil {
		return fmt.Errorf("save answer: %w", err)
	}
	if s.Seq != seq {
		return fmt.Errorf("save of seq %d acknowledged as seq %d", seq, s.Seq)
	}
	c.acked[i] = max(c.acked[i], seq)
	c.lastAck[i] = latest
	return nil
}

func (c *contestant) submit(ctx context.Context) result {
	return c.do(ctx, http.MethodPost, "/api/v1/attempts/"+strconv.FormatInt(c.attemptID, 10)+"/submit", nil)
}

// responseFor is the answer contestant idx gives to an item at seq: a value
// of the item's type (API.md), different from one seq to the next, and
// computable again when the database is checked.
func responseFor(idx int, it item, seq int64) any {
	n := int(seq) + idx
	key := func(k int) string {
		if len(it.Options) == 0 {
			return string(rune('A' + k%4))
		}
		return it.Options[k%len(it.Options)].Key
	}
	switch it.Type {
	case "single_choice":
		return key(n)
	case "multiple_choice":
		if n%3 == 0 {
			return []string{key(n)}
		}
		return []string{key(n), key(n + 1)}
	case "true_false":
		return n%2 == 0
	case "fill_blank":
		out := make([]string, max(1, it.Blanks))
		for b := range out {
			out[b] = fmt.Sprintf("答案%d-%d", b+1, seq)
		}
		return out
	default: // short_answer, essay
		return fmt.Sprintf("第%d次保存：先核对用户侧线路与光猫状态，再远程检查业务开通数据，最后回访客户确认恢复（选手 %d）。", seq, idx)
	}
}

package exam

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/org"
)

// ResultsWithheld returns nil when a contestant may see the result of their
// attempt a now, or else a conflict error saying why not: the attempt is not
// submitted yet; the exam shows results after it closes and it has not; or
// an organiser releases them by hand and has not yet.
func (e Exam) ResultsWithheld(a Attempt, now time.Time) error {
	if a.Status != AttemptSubmitted {
		return skillarena.NewError(skillarena.ECONFLICT, "results.not_submitted", nil)
	}
	switch e.ResultsVisibility {
	case ResultsImmediately:
		return nil
	case ResultsManual:
		if e.ResultsReleasedAt != nil {
			return nil
		}
		return skillarena.NewError(skillarena.ECONFLICT, "results.not_released", nil)
	}
	if !now.Before(e.ClosesAt) {
		return nil
	}
	return skillarena.NewError(skillarena.ECONFLICT, "results.after_close", map[string]any{"ClosesAt": e.ClosesAt.Format(time.RFC3339)})
}

// KeysVisible says whether contestants may see the correct answers: only
// once the exam has closed, so that nobody still sitting it (or starting a
// mock's next attempt) learns them.
func (e Exam) KeysVisible(now time.Time) bool { return !now.Before(e.ClosesAt) }

// Result is the marked result of one submitted attempt: the score, its
// breakdown by top-level topic and by question type, and every item.
type Result struct {
	Attempt   Attempt
	ExamTitle string
	// Contestant is filled for organisers only.
	Contestant *Contestant
	// Score is the sum of the items' scores so far; MaxScore the paper's
	// points. Graded is true when every item is marked (the score is final).
	Score    skillarena.Points
	MaxScore skillarena.Points
	Graded   bool
	// KeysShown says whether Items carry the correct answers.
	KeysShown bool
	ByTopic   []TopicScore
	ByType    []TypeScore
	Items     []ResultItem
}

// Contestant names the person behind an attempt.
type Contestant struct {
	UserID      int64
	Username    string
	Name        string
	OrgUnitID   int64
	OrgUnitName string
}

// TopicScore is the score on the items of one top-level topic.
type TopicScore struct {
	TopicID int64
	Name    string
	NameEN  string
	Score   skillarena.Points
	Max     skillarena.Points
}

// TypeScore is the score on the items of one question type.
type TypeScore struct {
	Type  content.QuestionType
	Score skillarena.Points
	Max   skillarena.Points
}

// ResultItem is one item of a result, as the contestant saw it (options in
// the order shown, letters relabelled).
type ResultItem struct {
	Position int
	Type     content.QuestionType
	TopicID  int64 // top-level topic
	Stem     string
	Options  []content.Option
	Points   skillarena.Points
	// Score is nil while a judge has still to mark the item.
	Score *skillarena.Points
	// Response is the last acknowledged answer (JSON), nil when none.
	Response *string
	// Key is the correct answer in the letters shown, when keys are shown
	// and the type has one; Explanation goes with it.
	Key         *content.Key
	Explanation string
}

// ResultRow is one submitted attempt in an exam's results list.
type ResultRow struct {
	AttemptID   int64
	Number      int
	UserID      int64
	Username    string
	Name        string
	OrgUnitID   int64
	OrgUnitName string
	Score       *skillarena.Points
	Graded      bool
	SubmittedAt *time.Time
	SubmittedBy string
}

// MyResult returns the result of the caller's own attempt, when the exam's
// rule lets them see it now (ResultsWithheld); anyone else's attempt is not
// found. The correct answers come only after the exam closed.
func (s *Service) MyResult(ctx context.Context, userID, attemptID int64) (Result, error) {
	db := s.db.WithContext(ctx)
	var a Attempt
	if err := db.Where("id = ? AND user_id = ?", attemptID, userID).Take(&a).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return Result{}, skillarena.NotFound("attempt")
	} else if err != nil {
		return Result{}, err
	}
	var e Exam
	if err := db.Where("id = ?", a.ExamID).Take(&e).Error; err != nil {
		return Result{}, dbError(err, "result")
	}
	now := s.clock.Now()
	if err := e.ResultsWithheld(a, now); err != nil {
		return Result{}, err
	}
	return s.result(ctx, e, a, e.KeysVisible(now))
}

// AttemptResult returns the result of any submitted attempt at an exam owned
// by a unit inside scope, with the contestant's name and the correct answers
// (organisers see keys in the bank anyway). Exams outside scope, and
// attempts of another exam, are not found.
func (s *Service) AttemptResult(ctx context.Context, scope org.Scope, examID, attemptID int64) (Result, error) {
	e, err := s.examInScope(ctx, scope, examID)
	if err != nil {
		return Result{}, err
	}
	db := s.db.WithContext(ctx)
	var a Attempt
	if err := db.Where("id = ? AND exam_id = ?", attemptID, examID).Take(&a).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return Result{}, skillarena.NotFound("attempt")
	} else if err != nil {
		return Result{}, err
	}
	if a.Status != AttemptSubmitted {
		return Result{}, skillarena.NewError(skillarena.ECONFLICT, "results.not_submitted", nil)
	}
	var who Contestant
	err = db.Table("users").Select("users.id AS user_id, users.username, users.name, users.org_unit_id, org_units.name AS org_unit_name").
		Joins("JOIN org_units ON org_units.id = users.org_unit_id").Where("users.id = ?", a.UserID).Take(&who).Error
	if err != nil {
		return Result{}, dbError(err, "result")
	}
	r, err := s.result(ctx, e, a, true)
	r.Contestant = &who
	return r, err
}

// ExamResults lists the submitted attempts at an exam owned by a unit inside
// scope, best score first (unmarked scores last), then earliest submission.
func (s *Service) ExamResults(ctx context.Context, scope org.Scope, examID int64, p org.Page) ([]ResultRow, int64, error) {
	if _, err := s.examInScope(ctx, scope, examID); err != nil {
		return nil, 0, err
	}
	db := s.db.WithContext(ctx)
	var total int64
	if err := db.Model(&Attempt{}).Where("exam_id = ? AND status = ?", examID, AttemptSubmitted).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	size := p.Size
	if size < 1 {
		size = 50
	}
	offset := 0
	if p.Number > 1 {
		offset = (p.Number - 1) * size
	}
	rows := []ResultRow{}
	err := db.Table("attempts").Select("attempts.id AS attempt_id, attempts.number, attempts.user_id, users.username, users.name, "+
		"users.org_unit_id, org_units.name AS org_unit_name, attempts.score, attempts.graded, attempts.submitted_at, attempts.submitted_by").
		Joins("JOIN users ON users.id = attempts.user_id").Joins("JOIN org_units ON org_units.id = users.org_unit_id").
		Where("attempts.exam_id = ? AND attempts.status = ?", examID, AttemptSubmitted).
		Order("attempts.score DESC, attempts.submitted_at, attempts.id").Limit(size).Offset(offset).Scan(&rows).Error
	return rows, total, err
}

// ReleaseResults lets contestants see their results of an exam whose results
// an organiser releases by hand (results_visibility "manual"), owned by a
// unit inside scope. Audited. Releasing again changes nothing; an exam with
// another rule answers conflict.
func (s *Service) ReleaseResults(ctx context.Context, scope org.Scope, examID int64, reason string) (Exam, error) {
	e, err := s.examInScope(ctx, scope, examID)
	if err != nil {
		return Exam{}, err
	}
	if e.ResultsVisibility != ResultsManual {
		return Exam{}, skillarena.NewError(skillarena.ECONFLICT, "results.release_not_manual", nil)
	}
	if e.ResultsReleasedAt != nil {
		return e, nil
	}
	now := s.clock.Now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Exam{}).Where("id = ? AND results_released_at IS NULL", examID).
			Updates(map[string]any{"results_released_at": now, "updated_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			// Someone released them meanwhile: nothing to record.
			return res.Error
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "exam.results_release", ObjectType: "exam", ObjectID: strconv.FormatInt(examID, 10),
			OrgUnitID: &e.OrgUnitID, Before: map[string]any{"results_released_at": nil},
			After: map[string]any{"results_released_at": now}, Reason: strings.TrimSpace(reason)})
	})
	if err != nil {
		return Exam{}, dbError(err, "release results")
	}
	err = s.db.WithContext(ctx).Where("id = ?", examID).Take(&e).Error
	return e, dbError(err, "release results")
}

// examInScope returns an exam owned by a unit inside scope; any other is not
// found, so its existence does not leak.
func (s *Service) examInScope(ctx context.Context, scope org.Scope, examID int64) (Exam, error) {
	db := s.db.WithContext(ctx)
	var e Exam
	if err := db.Where("id = ?", examID).Take(&e).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return Exam{}, skillarena.NotFound("exam")
	} else if err != nil {
		return Exam{}, err
	}
	path, err := unitPath(db, e.OrgUnitID)
	if err != nil {
		return Exam{}, err
	}
	if path == "" || !scope.Contains(path) {
		return Exam{}, skillarena.NotFound("exam")
	}
	return e, nil
}

// topics is the topic tree as results need it: every topic's top-level
// topic, and each topic's place in the tree's order.
type topics struct {
	top   map[int64]content.Topic
	order map[int64]int
}

func (s *Service) topics(ctx context.Context) (topics, error) {
	ts, err := s.content.ListTopics(ctx)
	if err != nil {
		return topics{}, err
	}
	byID := make(map[int64]content.Topic, len(ts))
	for _, t := range ts {
		byID[t.ID] = t
	}
	out := topics{top: make(map[int64]content.Topic, len(ts)), order: make(map[int64]int, len(ts))}
	for i, t := range ts {
		out.order[t.ID] = i
		top := t
		// Path is the chain of ids from the top: "/1/12/".
		first, _, _ := strings.Cut(strings.TrimPrefix(t.Path, "/"), "/")
		if id, err := strconv.ParseInt(first, 10, 64); err == nil {
			if p, ok := byID[id]; ok {
				top = p
			}
		}
		out.top[t.ID] = top
	}
	return out, nil
}

// keyCorrections returns the exam's corrected keys by question: grading uses
// them in place of the version's key, so results and statistics do too.
func (s *Service) keyCorrections(ctx context.Context, examID int64) (map[int64]content.Key, error) {
	var rows []struct {
		QuestionID int64
		KeyJSON    string
	}
	if err := s.db.WithContext(ctx).Raw("SELECT question_id, key_json FROM exam_key_corrections WHERE exam_id = ?", examID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]content.Key, len(rows))
	for _, r := range rows {
		var k content.Key
		if json.Unmarshal([]byte(r.KeyJSON), &k) == nil {
			out[r.QuestionID] = k
		}
	}
	return out, nil
}

// result assembles the result of attempt a of exam e.
func (s *Service) result(ctx context.Context, e Exam, a Attempt, withKeys bool) (Result, error) {
	db := s.db.WithContext(ctx)
	var p Paper
	if err := db.Where("id = ?", a.PaperID).Take(&p).Error; err != nil {
		return Result{}, dbError(err, "result")
	}
	items := p.Items()
	vs, err := s.itemVersions(ctx, items)
	if err != nil {
		return Result{}, err
	}
	tree, err := s.topics(ctx)
	if err != nil {
		return Result{}, err
	}
	var fixes map[int64]content.Key
	if withKeys {
		if fixes, err = s.keyCorrections(ctx, e.ID); err != nil {
			return Result{}, err
		}
	}
	var answers []Answer
	if err := db.Where("attempt_id = ?", a.ID).Find(&answers).Error; err != nil {
		return Result{}, err
	}
	byPos := make(map[int]Answer, len(answers))
	for _, an := range answers {
		byPos[an.Position] = an
	}
	r := Result{Attempt: a, ExamTitle: e.Title, Graded: a.Graded, KeysShown: withKeys, Items: make([]ResultItem, len(items))}
	topicAt := map[int64]int{}
	typeAt := map[content.QuestionType]int{}
	for i, it := range items {
		v := vs[it.VersionID]
		d := v.Draft()
		top := tree.top[v.TopicID]
		an := byPos[it.Position]
		ri := ResultItem{Position: it.Position, Type: it.Type, TopicID: top.ID, Stem: d.Stem,
			Options: shownOptions(d.Options, it.OptionOrder), Points: it.Points, Score: an.Score, Response: an.Response}
		if withKeys && it.Type.Objective() {
			key := d.Key
			if k, ok := fixes[it.QuestionID]; ok {
				key = k
			}
			shown := keyAsShown(key, it.OptionOrder)
			ri.Key, ri.Explanation = &shown, d.Explanation
		} else if withKeys {
			ri.Explanation = d.Explanation
		}
		r.Items[i] = ri
		var got skillarena.Points
		if an.Score != nil {
			got = *an.Score
		}
		r.Score += got
		r.MaxScore += it.Points
		j, ok := topicAt[top.ID]
		if !ok {
			j = len(r.ByTopic)
			topicAt[top.ID] = j
			r.ByTopic = append(r.ByTopic, TopicScore{TopicID: top.ID, Name: top.Name, NameEN: top.NameEN})
		}
		r.ByTopic[j].Score += got
		r.ByTopic[j].Max += it.Points
		k, ok := typeAt[it.Type]
		if !ok {
			k = len(r.ByType)
			typeAt[it.Type] = k
			r.ByType = append(r.ByType, TypeScore{Type: it.Type})
		}
		r.ByType[k].Score += got
		r.ByType[k].Max += it.Points
	}
	// Topics in the tree's order, types in the order menus show them.
	slices.SortStableFunc(r.ByTopic, func(x, y TopicScore) int { return tree.order[x.TopicID] - tree.order[y.TopicID] })
	slices.SortStableFunc(r.ByType, func(x, y TypeScore) int {
		return slices.Index(content.QuestionTypes, x.Type) - slices.Index(content.QuestionTypes, y.Type)
	})
	return r, nil
}

// keyAsShown writes a key in the letters the contestant saw: with options
// shuffled, the version's option order[i] was shown as letter i.
func keyAsShown(k content.Key, order []string) content.Key {
	if len(order) == 0 || len(k.Choices) == 0 {
		return k
	}
	out := content.Key{True: k.True, Blanks: k.Blanks}
	for i, orig := range order {
		if slices.Contains(k.Choices, orig) {
			out.Choices = append(out.Choices, string(rune('A'+i)))
		}
	}
	return out
}

// StatsOptions tune an exam's statistics.
type StatsOptions struct {
	// Bins is the number of bars of the score histogram: 10 when 0, at
	// most 100.
	Bins int
}

// Statistics is the item analysis of an exam's submitted attempts (attempts
// in progress do not count). Figures are float64 statistics, never scores.
type Statistics struct {
	ExamID    int64
	PaperMode PaperMode
	// Attempts counts the submitted attempts analysed; Graded those whose
	// every item is marked.
	Attempts int
	Graded   int
	// MaxScore is the paper's points (the largest, for drawn papers).
	MaxScore skillarena.Points
	// Distribution summarises the attempts' scores in points (items still
	// awaiting a judge count nothing yet); Bins is its histogram over
	// [0, MaxScore].
	Distribution Summary
	Bins         []Bin
	Reliability  Reliability
	// Items are per paper position for a fixed paper, per question for
	// drawn papers (a question counts wherever it was drawn).
	Items []ItemStatistics
}

// Reliability is Cronbach's alpha of the paper, or why there is none.
type Reliability struct {
	Alpha *float64
	// Items is how many items alpha is computed over; N how many attempts
	// had every one of them marked.
	Items int
	N     int
	// Note is a message id saying why alpha is missing, or, for drawn
	// papers, what it was computed over; NoteArgs fill its template.
	Note     string
	NoteArgs map[string]any
}

// ItemStatistics analyses one item (fixed paper) or question (drawn papers).
type ItemStatistics struct {
	Position    int // fixed paper: the position; drawn papers: 0
	Section     int // index into the blueprint's sections
	QuestionID  int64
	VersionID   int64 // the version on the paper (the latest drawn, for drawn papers)
	Type        content.QuestionType
	TopicID     int64 // top-level topic
	TopicName   string
	TopicNameEN string
	Stem        string
	Points      skillarena.Points
	// Seen counts the attempts whose paper held the item, N those of them
	// in which it is marked, Omitted those that left it empty.
	Seen    int
	N       int
	Omitted int
	// Mean is the mean score in points over the N marked attempts.
	Mean float64
	// Facility is Facility over the marked attempts; Discrimination the
	// corrected point-biserial (Discrimination). Nil when undefined.
	Facility       *float64
	Discrimination *float64
	// Options counts how many chose each option of a choice question, by
	// the version's own option letters (undoing any shuffle), or true and
	// false for a true/false question.
	Options []OptionCount
}

// OptionCount is how many contestants chose one option, and whether it is
// (part of) the correct answer.
type OptionCount struct {
	Key     string
	Count   int
	Correct bool
}

// maxStoredChoice is the longest stored response the statistics read: a
// choice or true/false answer is far shorter (["A","B",…,"H"] is 33 bytes).
// Longer ones are read as longAnswer, which is no JSON: answered, nothing
// to count.
const (
	maxStoredChoice = 64
	longAnswer      = "~"
)

// itemAcc gathers one item's observations while the answers stream by.
type itemAcc struct {
	stat    ItemStatistics
	who     []int32   // attempt index of each marked observation
	score   []float64 // its score in points
	points  []float64 // the points it offered
	counts  [26]int   // by original option letter; true/false: [0] true, [1] false
	omitted int
	seen    int
}

// paperSlot is one position of a paper: which item it feeds and how to read
// its answers.
type paperSlot struct {
	acc    *itemAcc
	typ    content.QuestionType
	points int64
	// orig maps a shown option letter's index to the version's letter
	// index, for the first shuffled options (none when not shuffled).
	orig     [maxOptionLetters]uint8
	shuffled uint8
}

// Statistics analyses the submitted attempts of an exam owned by a unit
// inside scope: the score distribution, and per item (fixed paper) or
// question (drawn papers) facility, discrimination and how many chose each
// option; and the paper's Cronbach's alpha. It reads the attempts, their
// papers and then every answer in one streaming query, and computes in
// O(attempts × items).
func (s *Service) Statistics(ctx context.Context, scope org.Scope, examID int64, opts StatsOptions) (Statistics, error) {
	e, err := s.examInScope(ctx, scope, examID)
	if err != nil {
		return Statistics{}, err
	}
	bins := opts.Bins
	if bins <= 0 {
		bins = 10
	}
	bins = min(bins, 100)
	db := s.db.WithContext(ctx)
	st := Statistics{ExamID: e.ID, PaperMode: e.PaperMode}

	// The submitted attempts, each given a dense index.
	index := map[int64]int32{}
	var paperOf []int64
	rows, err := db.Raw("SELECT id, paper_id, graded FROM attempts WHERE exam_id = ? AND status = ? ORDER BY id", examID, AttemptSubmitted).Rows()
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var id, paper int64
		var graded bool
		if err := rows.Scan(&id, &paper, &graded); err != nil {
			rows.Close()
			return st, err
		}
		index[id] = int32(len(paperOf))
		paperOf = append(paperOf, paper)
		if graded {
			st.Graded++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}
	st.Attempts = len(paperOf)

	// Their papers: which item each position feeds. A fixed paper's items
	// are its positions; drawn papers' are their questions.
	papers := map[int64][]paperSlot{}
	accs := map[int64]*itemAcc{}
	var order []*itemAcc
	rows, err = db.Raw("SELECT id, items_json FROM papers WHERE id IN (SELECT paper_id FROM attempts WHERE exam_id = ? AND status = ?)",
		examID, AttemptSubmitted).Rows()
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var id int64
		var raw sql.RawBytes // reused from row to row
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return st, err
		}
		items, err := decodeItems(raw)
		if err != nil {
			rows.Close()
			return st, err
		}
		var total skillarena.Points
		slots := []paperSlot{}
		for _, it := range items {
			total += it.Points
			key := it.QuestionID
			if e.PaperMode == PaperFixed {
				key = int64(it.Position)
			}
			acc := accs[key]
			if acc == nil {
				acc = &itemAcc{stat: ItemStatistics{Section: it.Section, QuestionID: it.QuestionID, VersionID: it.VersionID, Type: it.Type, Points: it.Points}}
				if e.PaperMode == PaperFixed {
					acc.stat.Position = it.Position
				}
				accs[key] = acc
				order = append(order, acc)
			}
			acc.stat.VersionID = max(acc.stat.VersionID, it.VersionID)
			sl := paperSlot{acc: acc, typ: it.Type, points: int64(it.Points)}
			for j, k := range it.OptionOrder {
				if j < maxOptionLetters && len(k) == 1 {
					sl.orig[j] = k[0] - 'A'
					sl.shuffled++
				}
			}
			for len(slots) <= it.Position {
				slots = append(slots, paperSlot{})
			}
			slots[it.Position] = sl
		}
		papers[id] = slots
		st.MaxScore = max(st.MaxScore, total)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}

	// Every answer of those attempts, in one pass.
	totals := make([]int64, len(paperOf))
	// A response too long to be a choice comes back as longAnswer, so that
	// texts and essays never leave the database; NULL stays NULL.
	rows, err = db.Raw("SELECT answers.attempt_id, answers.position, answers.score, "+
		"CASE WHEN LENGTH(answers.response) > ? THEN ? ELSE answers.response END "+
		"FROM answers JOIN attempts ON attempts.id = answers.attempt_id WHERE attempts.exam_id = ? AND attempts.status = ?",
		maxStoredChoice, longAnswer, examID, AttemptSubmitted).Rows()
	if err != nil {
		return st, err
	}
	var (
		attemptID int64
		position  int
		score     sql.NullInt64
		resp      sql.NullString
	)
	for rows.Next() {
		if err := rows.Scan(&attemptID, &position, &score, &resp); err != nil {
			rows.Close()
			return st, err
		}
		ai, ok := index[attemptID]
		if !ok {
			continue // submitted after the attempts were read
		}
		slots := papers[paperOf[ai]]
		if position < 0 || position >= len(slots) || slots[position].acc == nil {
			continue
		}
		sl := &slots[position]
		acc := sl.acc
		acc.seen++
		if !resp.Valid || emptyResponse(json.RawMessage(resp.String)) {
			acc.omitted++
		} else if resp.String != longAnswer {
			countChoice(acc, sl, resp.String)
		}
		if score.Valid {
			acc.who = append(acc.who, ai)
			acc.score = append(acc.score, float64(score.Int64)/100)
			acc.points = append(acc.points, float64(sl.points)/100)
			totals[ai] += score.Int64
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}

	// The distribution of the attempts' scores.
	scores := make([]float64, len(totals))
	for i, t := range totals {
		scores[i] = float64(t) / 100
	}
	st.Distribution = Describe(scores)
	st.Bins = Histogram(scores, 0, float64(st.MaxScore)/100, bins)

	// Per item.
	if e.PaperMode == PaperFixed {
		slices.SortFunc(order, func(a, b *itemAcc) int { return a.stat.Position - b.stat.Position })
	} else {
		slices.SortFunc(order, func(a, b *itemAcc) int {
			if a.stat.Section != b.stat.Section {
				return a.stat.Section - b.stat.Section
			}
			return int(a.stat.QuestionID - b.stat.QuestionID)
		})
	}
	if err := s.describeItems(ctx, e.ID, order); err != nil {
		return st, err
	}
	var total []float64 // each marked observation's attempt score
	st.Items = make([]ItemStatistics, len(order))
	for i, acc := range order {
		is := acc.stat
		is.Seen, is.N, is.Omitted = acc.seen, len(acc.score), acc.omitted
		if is.N > 0 {
			is.Mean = mean(acc.score)
		}
		if f, ok := Facility(acc.score, acc.points); ok {
			is.Facility = &f
		}
		total = total[:0]
		for _, who := range acc.who {
			total = append(total, scores[who])
		}
		if r, ok := Discrimination(acc.score, total); ok {
			is.Discrimination = &r
		}
		st.Items[i] = is
	}
	st.Reliability = reliability(e.PaperMode, order, len(paperOf))
	return st, nil
}

// countChoice counts the options a short stored response chose, by the
// version's own letters; true/false counts true and false.
func countChoice(acc *itemAcc, sl *paperSlot, resp string) {
	switch sl.typ {
	case content.TrueFalse:
		switch strings.TrimSpace(resp) {
		case "true":
			acc.counts[0]++
		case "false":
			acc.counts[1]++
		}
	case content.SingleChoice, content.MultipleChoice:
		// "B" or ["A","C"]: every one-letter string; a letter chosen twice
		// counts once.
		var chosen uint32
		for i := 0; i+2 < len(resp); i++ {
			if resp[i] != '"' || resp[i+2] != '"' || resp[i+1] < 'A' || resp[i+1] > 'Z' {
				continue
			}
			shown := resp[i+1] - 'A'
			orig := shown
			if sl.shuffled > 0 {
				if shown >= sl.shuffled {
					continue
				}
				orig = sl.orig[shown]
			}
			if orig < 26 && chosen&(1<<orig) == 0 {
				chosen |= 1 << orig
				acc.counts[orig]++
			}
			i += 2
		}
	}
}

// describeItems fills in what the versions say about each item: topic,
// stem, and its options with the correct ones marked (by the exam's
// corrected key where there is one).
func (s *Service) describeItems(ctx context.Context, examID int64, order []*itemAcc) error {
	ids := make([]int64, len(order))
	for i, acc := range order {
		ids[i] = acc.stat.VersionID
	}
	vs, err := s.content.VersionsByID(ctx, ids)
	if err != nil {
		return err
	}
	tree, err := s.topics(ctx)
	if err != nil {
		return err
	}
	fixes, err := s.keyCorrections(ctx, examID)
	if err != nil {
		return err
	}
	for _, acc := range order {
		v := vs[acc.stat.VersionID]
		d := v.Draft()
		top := tree.top[v.TopicID]
		acc.stat.TopicID, acc.stat.TopicName, acc.stat.TopicNameEN, acc.stat.Stem = top.ID, top.Name, top.NameEN, d.Stem
		key := d.Key
		if k, ok := fixes[acc.stat.QuestionID]; ok {
			key = k
		}
		switch acc.stat.Type {
		case content.TrueFalse:
			right := key.True != nil && *key.True
			wrong := key.True != nil && !*key.True
			acc.stat.Options = []OptionCount{{Key: "true", Count: acc.counts[0], Correct: right}, {Key: "false", Count: acc.counts[1], Correct: wrong}}
		case content.SingleChoice, content.MultipleChoice:
			acc.stat.Options = make([]OptionCount, 0, len(d.Options))
			for _, o := range d.Options {
				n := 0
				if len(o.Key) == 1 && o.Key[0] >= 'A' && o.Key[0] <= 'Z' {
					n = acc.counts[o.Key[0]-'A']
				}
				acc.stat.Options = append(acc.stat.Options, OptionCount{Key: o.Key, Count: n, Correct: slices.Contains(key.Choices, o.Key)})
			}
		}
	}
	return nil
}

// reliability is Cronbach's alpha over a fixed paper's items, or over the
// questions every drawn paper holds, using the attempts with each of them
// marked; or the reason there is none.
func reliability(mode PaperMode, order []*itemAcc, attempts int) Reliability {
	var use []*itemAcc
	for _, acc := range order {
		if mode == PaperFixed || acc.seen == attempts {
			use = append(use, acc)
		}
	}
	r := Reliability{Items: len(use)}
	if len(use) < 2 {
		if mode == PaperFixed {
			r.Note = "results.alpha_too_few_items"
		} else {
			r.Note, r.NoteArgs = "results.alpha_no_common_questions", map[string]any{"Count": len(use)}
		}
		return r
	}
	// Columns by attempt; an attempt counts when every item is marked.
	cols := make([][]float64, len(use))
	marked := make([]int, attempts)
	for j, acc := range use {
		cols[j] = make([]float64, attempts)
		for k, who := range acc.who {
			cols[j][who] = acc.score[k]
			marked[who]++
		}
	}
	var keep []int
	for i, m := range marked {
		if m == len(use) {
			keep = append(keep, i)
		}
	}
	r.N = len(keep)
	if len(keep) < attempts {
		for j, col := range cols {
			c := make([]float64, len(keep))
			for k, i := range keep {
				c[k] = col[i]
			}
			cols[j] = c
		}
	}
	if r.N < 2 {
		r.Note = "results.alpha_too_few_attempts"
		return r
	}
	a, ok := CronbachAlpha(cols)
	if !ok {
		r.Note = "results.alpha_no_variance"
		return r
	}
	r.Alpha = &a
	if mode == PaperDrawn {
		r.Note, r.NoteArgs = "results.alpha_common_questions", map[string]any{"Count": len(use)}
	}
	return r
}

// decodeItems decodes a paper's stored items. Drawn papers are read by the
// ten thousand, so the form json.Marshal writes them in is read by hand;
// anything else (white space, escapes, non-ASCII text, unknown fields) goes to
// encoding/json, which gives the same result.
func decodeItems(raw []byte) ([]Item, error) {
	if items, ok := decodeItemsFast(raw); ok {
		return items, nil
	}
	var items []Item
	err := json.Unmarshal(raw, &items)
	return items, err
}

// optionLetters are the option keys as strings, so that decoding an option
// order allocates no string per letter.
var optionLetters = func() [26]string {
	var out [26]string
	for i := range out {
		out[i] = string(rune('A' + i))
	}
	return out
}()

// decodeItemsFast reads exactly what json.Marshal writes for []Item, or
// reports false.
func decodeItemsFast(b []byte) ([]Item, bool) {
	i := 0
	next := func(c byte) bool {
		if i < len(b) && b[i] == c {
			i++
			return true
		}
		return false
	}
	str := func() ([]byte, bool) {
		if !next('"') {
			return nil, false
		}
		start := i
		for i < len(b) && b[i] != '"' {
			if b[i] == '\\' || b[i] < 0x20 || b[i] > 0x7e {
				return nil, false
			}
			i++
		}
		if i == len(b) {
			return nil, false
		}
		i++
		return b[start : i-1], true
	}
	num := func() (int64, bool) {
		start := i
		var n int64
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && i-start < 18 {
			n = n*10 + int64(b[i]-'0')
			i++
		}
		// JSON has no leading zeros ("007").
		return n, i > start && (b[start] != '0' || i == start+1)
	}
	if !next('[') {
		return nil, false
	}
	items := make([]Item, 0, bytes.Count(b, []byte(`{"`)))
	// Option orders are cut from shared chunks: one allocation for many.
	var letters []string
	if next(']') {
		return items, i == len(b)
	}
	for {
		var it Item
		if !next('{') {
			return nil, false
		}
		for {
			key, ok := str()
			if !ok || !next(':') {
				return nil, false
			}
			switch string(key) {
			case "position", "section", "question_id", "version_id":
				n, ok := num()
				if !ok {
					return nil, false
				}
				switch string(key) {
				case "position":
					it.Position = int(n)
				case "section":
					it.Section = int(n)
				case "question_id":
					it.QuestionID = n
				default:
					it.VersionID = n
				}
			case "type":
				v, ok := str()
				if !ok {
					return nil, false
				}
				it.Type = content.QuestionType(v)
			case "points":
				v, ok := str()
				if !ok {
					return nil, false
				}
				p, err := skillarena.ParsePoints(string(v))
				if err != nil {
					return nil, false
				}
				it.Points = p
			case "option_order":
				if !next('[') {
					return nil, false
				}
				if cap(letters)-len(letters) < 26 {
					letters = make([]string, 0, 512)
				}
				from := len(letters)
				for !next(']') {
					if len(letters) > from && !next(',') {
						return nil, false
					}
					v, ok := str()
					if !ok || len(v) != 1 || v[0] < 'A' || v[0] > 'Z' {
						return nil, false
					}
					if len(letters)-from == 26 {
						return nil, false
					}
					letters = append(letters, optionLetters[v[0]-'A'])
				}
				it.OptionOrder = letters[from:len(letters):len(letters)]
			default:
				return nil, false
			}
			if next('}') {
				break
			}
			if !next(',') {
				return nil, false
			}
		}
		items = append(items, it)
		if next(']') {
			return items, i == len(b)
		}
		if !next(',') {
			return nil, false
		}
	}
}

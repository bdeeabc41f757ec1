package exam_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database/dbtest"
	"skillarena/exam"
	"skillarena/org"
)

// BenchmarkStatistics10k analyses an exam of 10,000 submitted attempts × 50
// items (30 single choice, 10 multiple choice, 10 true/false; 100 points),
// seeded by bulk inserts: one fixed paper for everyone, or a paper drawn per
// contestant from a bank three times the paper's size. It reports the time
// and memory of one Exam statistics call (docs/PERFORMANCE.md): on SQLite,
// and on MariaDB/MySQL when SKILLARENA_TEST_MYSQL_DSN is set.
//
//	go test -run XXX -bench Statistics10k -benchtime 3x ./exam/
func BenchmarkStatistics10k(b *testing.B) {
	for _, mode := range []exam.PaperMode{exam.PaperFixed, exam.PaperDrawn} {
		b.Run("sqlite/"+string(mode), func(b *testing.B) {
			c := skillarena.NewFixedClock(dbtest.Clock)
			benchmarkStatistics(b, dbtest.SQLite(b, c), c, mode)
		})
		b.Run("mysql/"+string(mode), func(b *testing.B) {
			c := skillarena.NewFixedClock(dbtest.Clock)
			benchmarkStatistics(b, dbtest.MySQL(b, c), c, mode)
		})
	}
}

const (
	benchAttempts = 10_000
	benchBank     = 3 // the bank holds this many times the paper's questions
)

func benchmarkStatistics(b *testing.B, db *gorm.DB, clock *skillarena.FixedClock, mode exam.PaperMode) {
	ctx := context.Background()
	o := org.NewService(db, clock, org.Options{Hasher: org.NewHasher(org.Argon2Params{Memory: 64, Time: 1, Threads: 1})})
	cs := content.NewService(db, clock, o.Audit())
	svc := exam.NewService(db, clock, o.Audit(), cs)
	start := time.Now()
	examID, scope := seedStatistics(b, ctx, db, clock, o, cs, svc, mode)
	b.Logf("seeded %d attempts × 50 items in %s", benchAttempts, time.Since(start).Round(time.Millisecond))

	b.ReportAllocs()
	var peak atomic.Uint64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		done := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
		b.StartTimer()
		st, err := svc.Statistics(ctx, scope, examID, exam.StatsOptions{})
		b.StopTimer()
		close(done)
		require.NoError(b, err)
		require.Equal(b, benchAttempts, st.Attempts)
		if mode == exam.PaperFixed {
			require.NotNil(b, st.Reliability.Alpha, "alpha: %s", st.Reliability.Note)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	b.ReportMetric(float64(peak.Load())/1e6, "peak_heap_MB")
}

// seedStatistics makes the bank, the exam and its 10,000 submitted attempts,
// answered by contestants of varied ability (a logistic model, so that
// facility and discrimination are realistic), and returns the exam and the
// organiser's scope.
func seedStatistics(b *testing.B, ctx context.Context, db *gorm.DB, clock *skillarena.FixedClock, o *org.Service, cs *content.Service, svc *exam.Service, mode exam.PaperMode) (int64, org.Scope) {
	prov, err := o.CreateUnit(ctx, nil, org.UnitInput{Name: "省", Code: "PROV"})
	require.NoError(b, err)
	scope := org.Scope{Paths: []string{prov.Path}}
	staff, err := o.SeedUsers(ctx, []org.UserInput{{Username: "admin", Name: "管理员", OrgUnitID: prov.ID}, {Username: "reviewer", Name: "审核", OrgUnitID: prov.ID}}, "secret123")
	require.NoError(b, err)
	admin := skillarena.WithActor(ctx, skillarena.Actor{UserID: staff[0].ID, Username: "admin"})
	bank, err := cs.CreateBank(admin, scope, content.BankInput{OrgUnitID: prov.ID, Name: "题库"})
	require.NoError(b, err)

	// The bank: by type, topic and count per paper.
	sections := []exam.Section{
		{Title: "单选", TopicID: 2, Type: content.SingleChoice, Count: 30, PointsEach: 200},
		{Title: "多选", TopicID: 3, Type: content.MultipleChoice, Count: 10, PointsEach: 300},
		{Title: "判断", TopicID: 4, Type: content.TrueFalse, Count: 10, PointsEach: 100},
	}
	var ids []int64
	for _, sec := range sections {
		for i := 0; i < sec.Count*benchBank; i++ {
			d := content.Draft{Type: sec.Type, Stem: fmt.Sprintf("%s第%d题", sec.Title, i+1), Difficulty: 1 + i%5}
			switch sec.Type {
			case content.SingleChoice:
				d.Options = []content.Option{{Key: "A", Text: "甲"}, {Key: "B", Text: "乙"}, {Key: "C", Text: "丙"}, {Key: "D", Text: "丁"}}
				d.Key = content.Key{Choices: []string{string(rune('A' + i%4))}}
			case content.MultipleChoice:
				d.Options = []content.Option{{Key: "A", Text: "甲"}, {Key: "B", Text: "乙"}, {Key: "C", Text: "丙"}, {Key: "D", Text: "丁"}, {Key: "E", Text: "戊"}}
				d.Key = content.Key{Choices: []string{string(rune('A' + i%5)), string(rune('A' + (i+2)%5))}}
			case content.TrueFalse:
				v := i%2 == 0
				d.Key = content.Key{True: &v}
			}
			q, err := cs.CreateQuestion(admin, scope, bank.ID, content.EditInput{TopicID: sec.TopicID, Draft: d})
			require.NoError(b, err)
			ids = append(ids, q.ID)
		}
	}
	require.NoError(b, cs.TransitionMany(admin, scope, ids, content.ActionSubmit, ""))
	require.NoError(b, cs.TransitionMany(skillarena.WithActor(ctx, skillarena.Actor{UserID: staff[1].ID}), scope, ids, content.ActionApprove, ""))
	bp, err := svc.CreateBlueprint(admin, scope, exam.BlueprintInput{OrgUnitID: prov.ID, Name: "百分卷", Sections: sections})
	require.NoError(b, err)
	now := clock.Now()
	e, err := svc.CreateExam(admin, scope, exam.ExamInput{OrgUnitID: prov.ID, Title: "统计基准", OpensAt: now.Add(-3 * time.Hour),
		ClosesAt: now.Add(-time.Hour), Duration: 90 * time.Minute, BlueprintID: bp.ID, BankIDs: []int64{bank.ID}, PaperMode: mode,
		Shuffle: exam.Shuffle{Questions: true, Options: true}})
	require.NoError(b, err)

	// What each question is: its key and difficulty.
	type question struct {
		key        content.Key
		difficulty float64
	}
	questions := map[int64]question{}
	var pools [][]exam.Candidate
	for _, sec := range sections {
		vs, err := cs.ApprovedVersions(ctx, []int64{bank.ID}, sec.TopicID, sec.Type, 0)
		require.NoError(b, err)
		var pool []exam.Candidate
		byID, err := cs.VersionsByID(ctx, func() []int64 {
			out := make([]int64, len(vs))
			for i, v := range vs {
				out[i] = v.VersionID
			}
			return out
		}())
		require.NoError(b, err)
		for _, v := range vs {
			d := byID[v.VersionID].Draft()
			keys := make([]string, len(d.Options))
			for i, op := range d.Options {
				keys[i] = op.Key
			}
			pool = append(pool, exam.Candidate{QuestionID: v.QuestionID, VersionID: v.VersionID, OptionKeys: keys})
			questions[v.QuestionID] = question{key: d.Key, difficulty: float64(d.Difficulty-3) / 1.5}
		}
		pools = append(pools, pool)
	}

	// Contestants and their papers.
	users := make([]org.User, benchAttempts)
	for i := range users {
		users[i] = org.User{Username: fmt.Sprintf("c%05d", i), Name: fmt.Sprintf("选手%d", i), OrgUnitID: prov.ID, PasswordHash: "x",
			Active: true, CreatedAt: now, UpdatedAt: now}
	}
	require.NoError(b, db.CreateInBatches(&users, 500).Error)
	rng := rand.New(rand.NewPCG(1, 2))
	seed := func() []byte {
		s := make([]byte, 32)
		for i := range s {
			s[i] = byte(rng.Uint32())
		}
		return s
	}
	var papers []exam.Paper
	if mode == exam.PaperFixed {
		s := seed()
		items, err := exam.Draw(s, sections, pools, exam.Shuffle{Questions: true, Options: true})
		require.NoError(b, err)
		papers = []exam.Paper{{ExamID: e.ID, Seed: hex.EncodeToString(s), ItemsJSON: mustMarshal(b, items), CreatedAt: now}}
	} else {
		papers = make([]exam.Paper, benchAttempts)
		for i := range papers {
			s := seed()
			items, err := exam.Draw(s, sections, pools, exam.Shuffle{Questions: true, Options: true})
			require.NoError(b, err)
			papers[i] = exam.Paper{ExamID: e.ID, UserID: users[i].ID, AttemptNumber: 1, Seed: hex.EncodeToString(s), ItemsJSON: mustMarshal(b, items), CreatedAt: now}
		}
	}
	require.NoError(b, db.CreateInBatches(&papers, 100).Error)

	// The attempts, then their answers in bulk.
	submitted := now.Add(-90 * time.Minute)
	attempts := make([]exam.Attempt, benchAttempts)
	paperItems := make([][]exam.Item, benchAttempts)
	for i := range attempts {
		p := papers[0]
		if mode == exam.PaperDrawn {
			p = papers[i]
		}
		paperItems[i] = p.Items()
		attempts[i] = exam.Attempt{ExamID: e.ID, UserID: users[i].ID, Number: 1, PaperID: p.ID, Status: exam.AttemptSubmitted,
			StartedAt: submitted.Add(-time.Hour), Deadline: submitted, AcceptUntil: submitted, SubmittedAt: &submitted,
			SubmittedBy: "contestant", Graded: true, CreatedAt: now, UpdatedAt: now}
	}
	const rowsPerInsert = 100
	err = db.Transaction(func(tx *gorm.DB) error {
		var sql strings.Builder
		args := make([]any, 0, rowsPerInsert*6)
		n := 0
		flush := func() error {
			if n == 0 {
				return nil
			}
			err := tx.Exec(sql.String(), args...).Error
			sql.Reset()
			args, n = args[:0], 0
			return err
		}
		for i := range attempts {
			ability := rng.NormFloat64()
			var total skillarena.Points
			var answers [][]any
			for _, it := range paperItems[i] {
				q := questions[it.QuestionID]
				right := rng.Float64() < 1/(1+math.Exp(q.difficulty-ability))
				resp, score := benchResponse(rng, it, q.key, right)
				if rng.IntN(50) == 0 {
					resp, score = nil, 0 // left empty
				}
				total += score
				answers = append(answers, []any{it.Position, resp, score})
			}
			attempts[i].Score = &total
			if err := tx.Create(&attempts[i]).Error; err != nil {
				return err
			}
			for _, a := range answers {
				if n == 0 {
					sql.WriteString("INSERT INTO answers (attempt_id, position, response, seq, saved_at, score) VALUES ")
				} else {
					sql.WriteString(",")
				}
				sql.WriteString("(?,?,?,?,?,?)")
				args = append(args, attempts[i].ID, a[0], a[1], 1, submitted, a[2])
				if n++; n == rowsPerInsert {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
		return flush()
	})
	require.NoError(b, err)
	return e.ID, scope
}

// benchResponse answers an item rightly or wrongly, in the letters shown.
func benchResponse(rng *rand.Rand, it exam.Item, key content.Key, right bool) (*string, skillarena.Points) {
	shown := func(orig string) string {
		for i, k := range it.OptionOrder {
			if k == orig {
				return string(rune('A' + i))
			}
		}
		return orig
	}
	var s string
	switch it.Type {
	case content.SingleChoice:
		pick := key.Choices[0]
		if !right {
			for pick == key.Choices[0] {
				pick = string(rune('A' + rng.IntN(4)))
			}
		}
		s = `"` + shown(pick) + `"`
	case content.MultipleChoice:
		picks := []string{key.Choices[0], key.Choices[1]}
		if !right {
			wrong := key.Choices[0]
			for wrong == key.Choices[0] || wrong == key.Choices[1] {
				wrong = string(rune('A' + rng.IntN(5)))
			}
			picks[1] = wrong
		}
		s = `["` + shown(picks[0]) + `","` + shown(picks[1]) + `"]`
	case content.TrueFalse:
		v := *key.True == right
		s = fmt.Sprint(v)
	}
	if right {
		return &s, it.Points
	}
	return &s, 0
}

func mustMarshal(b *testing.B, v any) string {
	out, err := json.Marshal(v)
	require.NoError(b, err)
	return string(out)
}

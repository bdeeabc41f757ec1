package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database"
	"skillarena/demo"
	"skillarena/exam"
	"skillarena/org"
)

// State is what setup leaves for the run: the exam and who sits it.
type State struct {
	DB        string `json:"db"`
	ExamID    int64  `json:"exam_id"`
	UnitID    int64  `json:"unit_id"`
	Prefix    string `json:"prefix"`
	N         int    `json:"n"`
	Password  string `json:"password"`
	HashCost  string `json:"hash_cost"`
	Items     int    `json:"items"`
	CreatedAt string `json:"created_at"`
}

// Username is the i-th contestant's (0-based) sign-in name.
func (s State) Username(i int) string { return fmt.Sprintf("%s-%05d", s.Prefix, i+1) }

func (s State) write(path string) error {
	b, _ := json.MarshalIndent(s, "", "  ")
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func readState(path string) (State, error) {
	var s State
	b, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(b, &s)
}

// SetupOptions say what to prepare.
type SetupOptions struct {
	DB     string // SKILLARENA_DATABASE_URL form
	N      int
	Prefix string
	// HashCost "cheap" stores the contestants' password hashes at a tiny
	// argon2id cost (the server checks a hash with the parameters stored in
	// it), so signing 10,000 people in before the measured phases takes
	// seconds, not the ~4 CPU-minutes the production cost would; "production"
	// uses org.DefaultArgon2. Sign-in is not a measured phase either way.
	HashCost string
	Log      io.Writer
}

// cheapArgon2 is for the load generator's throwaway accounts only.
var cheapArgon2 = org.Argon2Params{Memory: 64, Time: 1, Threads: 1}

const benchPassword = "bench12345"

// Setup prepares an exam for a run through the domain services, the way
// the organiser API would: N contestant accounts in a unit of their own
// under the demo province, an exam drawn per contestant from the demo
// province bank with the demo's mock blueprint, everyone enrolled, every
// paper drawn ahead (so the start burst does no drawing). The database must
// hold the demo (SKILLARENA_DEMO=1).
func Setup(ctx context.Context, opt SetupOptions) (State, error) {
	logf := func(format string, args ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", args...)
		}
	}
	u, err := database.ParseURL(opt.DB)
	if err != nil {
		return State{}, err
	}
	db, err := database.Open(ctx, u, database.Options{MaxOpenConns: 8})
	if err != nil {
		return State{}, err
	}
	defer closeDB(db)
	clock := skillarena.SystemClock{}
	params := cheapArgon2
	switch opt.HashCost {
	case "", "cheap":
		opt.HashCost = "cheap"
	case "production":
		params = org.DefaultArgon2
	default:
		return State{}, fmt.Errorf("hash cost %q: want cheap or production", opt.HashCost)
	}
	orgs := org.NewService(db, clock, org.Options{Hasher: org.NewHasher(params)})
	contents := content.NewService(db, clock, orgs.Audit())
	exams := exam.NewService(db, clock, orgs.Audit(), contents)
	ctx = skillarena.WithActor(ctx, skillarena.Actor{Username: "benchexam"})

	prov, err := orgs.UnitByCode(ctx, "PROV")
	if err != nil {
		return State{}, fmt.Errorf("no demo province (start the server once with SKILLARENA_DEMO=1): %w", err)
	}
	provScope := org.Scope{Paths: []string{prov.Path}}
	// The exam is set up as the demo's province organiser would.
	admins, _, err := orgs.ListUsers(ctx, provScope, org.UserFilter{Query: "admin"})
	if err != nil {
		return State{}, err
	}
	for _, a := range admins {
		if a.Username == "admin" {
			ctx = skillarena.WithActor(ctx, skillarena.Actor{UserID: a.ID, Username: a.Username})
		}
	}
	if skillarena.ActorID(ctx) == 0 {
		return State{}, errors.New("the demo organiser admin is missing")
	}
	banks, err := contents.ListBanks(ctx, provScope)
	if err != nil {
		return State{}, err
	}
	var bankID int64
	for _, b := range banks {
		if b.Name == demo.ProvinceBank {
			bankID = b.ID
		}
	}
	if bankID == 0 {
		return State{}, errors.New("the demo province bank is missing")
	}

	t0 := time.Now()
	unit, err := orgs.CreateUnit(ctx, nil, org.UnitInput{ParentID: &prov.ID, Name: "压测考点 " + opt.Prefix, Code: "BENCH-" + opt.Prefix})
	if err != nil {
		return State{}, fmt.Errorf("bench unit: %w", err)
	}
	st := State{DB: opt.DB, UnitID: unit.ID, Prefix: opt.Prefix, N: opt.N, Password: benchPassword, HashCost: opt.HashCost,
		CreatedAt: time.Now().UTC().Format(time.RFC3339)}
	var userIDs []int64
	const chunk = 1000
	for from := 0; from < opt.N; from += chunk {
		var ins []org.UserInput
		for i := from; i < min(from+chunk, opt.N); i++ {
			ins = append(ins, org.UserInput{Username: st.Username(i), Name: "压测选手" + strconv.Itoa(i+1), OrgUnitID: unit.ID})
		}
		users, err := orgs.SeedUsers(ctx, ins, benchPassword)
		if err != nil {
			return State{}, fmt.Errorf("contestants: %w", err)
		}
		for _, u := range users {
			if _, err := orgs.CreateGrant(ctx, nil, org.GrantInput{UserID: u.ID, Role: org.RoleContestant, OrgUnitID: unit.ID}); err != nil {
				return State{}, fmt.Errorf("grant: %w", err)
			}
			userIDs = append(userIDs, u.ID)
		}
		logf("setup: %d/%d contestants (%s)", len(userIDs), opt.N, time.Since(t0).Round(time.Millisecond))
	}

	sections := []exam.Section{}
	for topic := int64(1); topic <= 7; topic++ {
		sections = append(sections,
			exam.Section{Title: "单选题", TopicID: topic, Type: content.SingleChoice, Count: 2, PointsEach: 100},
			exam.Section{Title: "判断题", TopicID: topic, Type: content.TrueFalse, Count: 1, PointsEach: 100})
	}
	sections = append(sections,
		exam.Section{Title: "多选题", TopicID: 1, Type: content.MultipleChoice, Count: 3, PointsEach: 200},
		exam.Section{Title: "填空题", TopicID: 2, Type: content.FillBlank, Count: 2, PointsEach: 200},
		exam.Section{Title: "简答题", TopicID: 5, Type: content.ShortAnswer, Count: 1, PointsEach: 1000})
	for _, s := range sections {
		st.Items += s.Count
	}
	bp, err := exams.CreateBlueprint(ctx, provScope, exam.BlueprintInput{OrgUnitID: unit.ID, Name: "压测组卷 " + opt.Prefix, Sections: sections})
	if err != nil {
		return State{}, fmt.Errorf("blueprint: %w", err)
	}
	now := clock.Now()
	e, err := exams.CreateExam(ctx, provScope, exam.ExamInput{OrgUnitID: unit.ID, Title: "压测笔试 " + opt.Prefix, Kind: exam.KindCompetition,
		OpensAt: now.Add(-time.Minute), ClosesAt: now.Add(6 * time.Hour), Duration: 3 * time.Hour,
		BlueprintID: bp.ID, BankIDs: []int64{bankID}, PaperMode: exam.PaperDrawn,
		Shuffle: exam.Shuffle{Questions: true, Options: true}, MaxAttempts: 1, ResultsVisibility: exam.ResultsAfterClose})
	if err != nil {
		return State{}, fmt.Errorf("exam: %w", err)
	}
	st.ExamID = e.ID
	for from := 0; from < len(userIDs); from += chunk {
		if err := exams.Enrol(ctx, e.ID, userIDs[from:min(from+chunk, len(userIDs))]); err != nil {
			return State{}, fmt.Errorf("enrol: %w", err)
		}
	}
	logf("setup: exam %d, %d enrolled (%s)", e.ID, len(userIDs), time.Since(t0).Round(time.Millisecond))
	n, err := exams.PreparePapers(ctx, e.ID)
	if err != nil {
		return State{}, fmt.Errorf("prepare papers: %w", err)
	}
	logf("setup: %d papers drawn ahead (%s)", n, time.Since(t0).Round(time.Millisecond))
	return st, nil
}

func closeDB(db *gorm.DB) {
	if s, err := db.DB(); err == nil {
		s.Close()
	}
}

// openDB opens the run's database for checking and for the bare loop, with
// the server's own settings (one connection on SQLite, a pool on MySQL).
func openDB(ctx context.Context, raw string, conns int) (*gorm.DB, database.Dialect, error) {
	u, err := database.ParseURL(raw)
	if err != nil {
		return nil, "", err
	}
	db, err := database.Open(ctx, u, database.Options{MaxOpenConns: conns})
	return db, u.Dialect, err
}

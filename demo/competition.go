package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"skillarena"
	"skillarena/content"
	"skillarena/exam"
	"skillarena/org"
	"skillarena/scoring"
)

// Names of the demo competition, for tests and the README.
const (
	CompetitionName = "2026年全省客户维护服务劳动竞赛"
	FinalStage      = "省决赛"
	FinalExam       = "省决赛笔试"
)

// AbsentEngineer is on county 3's written roster but never sat the exam, so
// the demo shows an absentee counted as zero.
const AbsentEngineer = "eng028"

// LoadCompetition adds API.md's provincial competition in progress: a stage
// with the six counties as teams, rosters locked, its written round sat and
// marked (three days ago, one absentee), the practical draw made, and the
// practical round partly marked by five judges: eight contestants signed off
// by everyone (one with a discrepancy left for the chief judge), four still
// open. Nothing is published. It runs after Load, with clocks set in the past
// so every time stamp is plausible.
func LoadCompetition(ctx context.Context, clock skillarena.Clock, o *org.Service) error {
	t0 := clock.Now().UTC().Truncate(24 * time.Hour).Add(-3*24*time.Hour + time.Hour) // 09:00 in China, three days ago
	past := skillarena.NewFixedClock(t0.Add(-10 * 24 * time.Hour))
	db := o.DB()
	cs := content.NewService(db, past, o.Audit())
	xs := exam.NewService(db, past, o.Audit(), cs)
	ss := scoring.NewService(db, past, o.Audit(), xs)

	user := func(name string) (int64, error) {
		us, _, err := o.ListUsers(ctx, org.Everything, org.UserFilter{Query: name})
		if err != nil {
			return 0, err
		}
		for _, u := range us {
			if u.Username == name {
				return u.ID, nil
			}
		}
		return 0, fmt.Errorf("demo user %s missing", name)
	}
	unit := func(code string) (org.Unit, error) { return o.UnitByCode(ctx, code) }
	adminID, err := user("admin")
	if err != nil {
		return err
	}
	admin := skillarena.WithActor(ctx, skillarena.Actor{UserID: adminID, Username: "admin"})
	prov, err := unit("PROV")
	if err != nil {
		return err
	}
	provScope := org.Scope{Paths: []string{prov.Path}}

	// The competition and its final stage, teams = the six counties.
	comp, err := ss.CreateCompetition(admin, provScope, scoring.CompetitionInput{OrgUnitID: prov.ID, Name: CompetitionName, Year: t0.Year()})
	if err != nil {
		return fmt.Errorf("demo competition: %w", err)
	}
	var teams []org.Unit
	var teamIDs []int64
	for _, code := range []string{"C1", "C2", "C3", "C4", "C5", "C6"} {
		u, err := unit(code)
		if err != nil {
			return err
		}
		teams = append(teams, u)
		teamIDs = append(teamIDs, u.ID)
	}
	deadline := t0.Add(-3 * 24 * time.Hour)
	st, err := ss.CreateStage(admin, provScope, scoring.StageInput{CompetitionID: comp.ID, OrgUnitID: prov.ID, Name: FinalStage,
		TeamUnitIDs: teamIDs, RosterDeadline: &deadline})
	if err != nil {
		return fmt.Errorf("demo stage: %w", err)
	}
	access, err := ss.Access(ctx, provScope, st.ID)
	if err != nil {
		return err
	}

	// Rosters: each county's engineers 1-8 sit the written round, the first
	// is its nominee. Entered by each county's organiser before the deadline.
	past.Set(t0.Add(-5 * 24 * time.Hour))
	written := map[int64][]int64{}
	for i, team := range teams {
		county, err := user(fmt.Sprintf("county%d", i+1))
		if err != nil {
			return err
		}
		ta, err := ss.Access(ctx, org.Scope{Paths: []string{team.Path}}, st.ID)
		if err != nil {
			return err
		}
		for n := 1; n <= 8; n++ {
			id, err := user(fmt.Sprintf("eng%03d", i*10+n))
			if err != nil {
				return err
			}
			written[team.ID] = append(written[team.ID], id)
		}
		as := skillarena.WithActor(ctx, skillarena.Actor{UserID: county, Username: fmt.Sprintf("county%d", i+1)})
		if err := ss.SetRoster(as, ta, team.ID, scoring.RosterInput{Written: written[team.ID], Nominee: written[team.ID][0]}); err != nil {
			return fmt.Errorf("demo roster %s: %w", team.Code, err)
		}
	}
	past.Set(t0.Add(-2 * 24 * time.Hour))
	if err := ss.LockRosters(admin, access); err != nil {
		return err
	}
	if access, err = ss.Access(ctx, provScope, st.ID); err != nil {
		return err
	}

	// The written exam: one fixed paper of 45 questions, 100 points.
	bankID, err := provinceBankID(ctx, cs, provScope)
	if err != nil {
		return err
	}
	var sections []exam.Section
	for topic := int64(1); topic <= 7; topic++ {
		sections = append(sections, exam.Section{Title: "单选题", TopicID: topic, Type: content.SingleChoice, Count: 2, PointsEach: 200})
	}
	for topic := int64(1); topic <= 7; topic++ {
		sections = append(sections, exam.Section{Title: "判断题", TopicID: topic, Type: content.TrueFalse, Count: 2, PointsEach: 100})
	}
	for topic := int64(1); topic <= 6; topic++ {
		sections = append(sections, exam.Section{Title: "多选题", TopicID: topic, Type: content.MultipleChoice, Count: 1, PointsEach: 400})
	}
	for _, topic := range []int64{1, 2, 3, 7} {
		sections = append(sections, exam.Section{Title: "填空题", TopicID: topic, Type: content.FillBlank, Count: 1, PointsEach: 350})
	}
	sections = append(sections,
		exam.Section{Title: "简答题", TopicID: 5, Type: content.ShortAnswer, Count: 1, PointsEach: 1000},
		exam.Section{Title: "论述题", TopicID: 4, Type: content.Essay, Count: 1, PointsEach: 1000})
	bp, err := xs.CreateBlueprint(admin, provScope, exam.BlueprintInput{OrgUnitID: prov.ID, Name: "省决赛笔试组卷方案", Sections: sections})
	if err != nil {
		return fmt.Errorf("demo final blueprint: %w", err)
	}
	e, err := ss.CreateWrittenExam(admin, provScope, access, exam.ExamInput{Title: FinalExam,
		Instructions: "闭卷考试，限时 90 分钟。答案随时自动保存；时间到后系统自动交卷。",
		OpensAt:      t0, ClosesAt: t0.Add(2 * time.Hour), Duration: 90 * time.Minute, BlueprintID: bp.ID, BankIDs: []int64{bankID},
		PaperMode: exam.PaperFixed, Shuffle: exam.Shuffle{Questions: true, Options: true}})
	if err != nil {
		return fmt.Errorf("demo final exam: %w", err)
	}
	if _, err := xs.PreparePapers(admin, e.ID); err != nil {
		return err
	}

	// Everyone but the absentee sits it; engineers answer correctly with a
	// skill that varies by person, deterministically.
	absent, err := user(AbsentEngineer)
	if err != nil {
		return err
	}
	for ti, team := range teams {
		for n, id := range written[team.ID] {
			if id == absent {
				continue
			}
			past.Set(t0.Add(time.Duration(n) * time.Minute))
			if err := sitDemoExam(ctx, xs, id, e.ID, ti*10+n+1, past); err != nil {
				return fmt.Errorf("demo sitting: %w", err)
			}
		}
	}

	// Judges 1 and 2 mark the short answers and essays; judge 3 adjudicates.
	past.Set(t0.Add(24 * time.Hour))
	judges := map[int]int64{}
	for j := 1; j <= 5; j++ {
		if judges[j], err = user(fmt.Sprintf("judge%d", j)); err != nil {
			return err
		}
	}
	for j, role := range map[int]exam.MarkerRole{1: exam.RoleMarker, 2: exam.RoleMarker, 3: exam.RoleChief} {
		if _, _, err := xs.AssignMarker(admin, provScope, e.ID, judges[j], role); err != nil {
			return fmt.Errorf("demo marker: %w", err)
		}
	}
	if err := markDemoExam(ctx, xs, e.ID, judges); err != nil {
		return fmt.Errorf("demo marking: %w", err)
	}

	// The draw, in the room after the written round.
	past.Set(t0.Add(26 * time.Hour))
	if _, err := ss.CommitDraw(admin, access, ""); err != nil {
		return err
	}
	past.Advance(30 * time.Minute)
	if _, err := ss.PerformDraw(admin, access, "现场报数 18 07 33 52"); err != nil {
		return err
	}

	// The practical round: one task, two stations, five province judges at
	// each (judge1 chief).
	past.Set(t0.Add(2 * 24 * time.Hour))
	task, err := ss.CreateTask(admin, access, scoring.TaskInput{Name: "政企专线故障抢修与客户沟通",
		Description: "模拟政企客户专线中断：定位故障、按流程抢通、向客户说明原因和后续措施。",
		Criteria: []scoring.CriterionInput{
			{Name: "故障定位准确性", Kind: scoring.CriterionMeasurement, MaxPoints: 3000},
			{Name: "处理流程规范性", Kind: scoring.CriterionJudgement, MaxPoints: 3000, Scale: []skillarena.Points{0, 1000, 1500, 2000, 2500, 3000}},
			{Name: "客户沟通", Kind: scoring.CriterionJudgement, MaxPoints: 2000, Scale: []skillarena.Points{0, 500, 1000, 1500, 2000}},
			{Name: "用时与安全", Kind: scoring.CriterionMeasurement, MaxPoints: 2000},
		}})
	if err != nil {
		return fmt.Errorf("demo task: %w", err)
	}
	rosters, err := ss.Rosters(ctx, access)
	if err != nil {
		return err
	}
	var practical []int64
	for _, r := range rosters {
		if r.Nominee != nil {
			practical = append(practical, r.Nominee.UserID)
		}
		if r.Drawn != nil && (r.Nominee == nil || r.Drawn.UserID != r.Nominee.UserID) {
			practical = append(practical, r.Drawn.UserID)
		}
	}
	chief := judges[1]
	var judgeIDs []int64
	for j := 1; j <= 5; j++ {
		judgeIDs = append(judgeIDs, judges[j])
	}
	for i, name := range []string{"一号工位", "二号工位"} {
		station, err := ss.CreateStation(admin, access, scoring.StationInput{Name: name, TaskID: task.ID})
		if err != nil {
			return err
		}
		if err := ss.SetStationJudges(admin, provScope, station.ID, judgeIDs, &chief); err != nil {
			return fmt.Errorf("demo station judges: %w", err)
		}
		half := practical[i*len(practical)/2 : (i+1)*len(practical)/2]
		if err := ss.SetStationContestants(admin, provScope, station.ID, half); err != nil {
			return fmt.Errorf("demo station contestants: %w", err)
		}
	}
	past.Set(t0.Add(2*24*time.Hour + 2*time.Hour))
	return markDemoPractical(ctx, ss, st.ID, task, practical, judgeIDs)
}

func provinceBankID(ctx context.Context, cs *content.Service, scope org.Scope) (int64, error) {
	banks, err := cs.ListBanks(ctx, scope)
	if err != nil {
		return 0, err
	}
	for _, b := range banks {
		if b.Name == ProvinceBank {
			return b.ID, nil
		}
	}
	return 0, fmt.Errorf("demo: the province bank is missing")
}

// sitDemoExam starts, answers and submits one contestant's attempt; engineer
// n answers about 55-95% of objective items correctly.
func sitDemoExam(ctx context.Context, xs *exam.Service, userID, examID int64, n int, clock *skillarena.FixedClock) error {
	a, err := xs.Start(ctx, userID, examID)
	if err != nil {
		return err
	}
	right, err := xs.CorrectResponses(ctx, a.ID)
	if err != nil {
		return err
	}
	skill := 55 + (n*37)%41 // 55..95
	for i, it := range a.Items {
		clock.Advance(90 * time.Second)
		var resp json.RawMessage
		switch {
		case it.Type == content.ShortAnswer || it.Type == content.Essay:
			resp, _ = json.Marshal(demoEssay(n, it.Type))
		case (i*53+n*29)%100 < skill:
			resp = right[it.ID]
		default:
			resp = wrongAnswer(it, right[it.ID])
		}
		if _, err := xs.Save(ctx, userID, a.ID, it.ID, resp, 1); err != nil {
			return err
		}
	}
	_, err = xs.Submit(ctx, userID, a.ID)
	return err
}

// wrongAnswer gives a plausible wrong response for an objective item.
func wrongAnswer(it exam.ItemView, right json.RawMessage) json.RawMessage {
	var v any
	switch it.Type {
	case content.SingleChoice:
		var r string
		json.Unmarshal(right, &r)
		v = "A"
		if r == "A" {
			v = "B"
		}
	case content.MultipleChoice:
		v = []string{"A"}
	case content.TrueFalse:
		var r bool
		json.Unmarshal(right, &r)
		v = !r
	case content.FillBlank:
		blanks := make([]string, max(it.Blanks, 1))
		for i := range blanks {
			blanks[i] = "不确定"
		}
		v = blanks
	}
	b, _ := json.Marshal(v)
	return b
}

func demoEssay(n int, t content.QuestionType) string {
	points := []string{"先确认客户业务影响范围并告知预计恢复时间", "按故障处理流程逐段排查：客户端设备、接入段、汇聚段、核心", "抢通后复盘原因，提交整改措施并回访客户", "全程记录工单，升级时限符合服务承诺"}
	text := "答："
	for i := 0; i < 2+n%3; i++ {
		text += points[(n+i)%len(points)] + "；"
	}
	if t == content.Essay {
		text += "方案上建议采用双路由冗余接入，并与客户约定 SLA 与应急联络机制。"
	}
	return text
}

// markDemoExam has judges 1 and 2 mark every subjective answer; a few pairs
// differ by more than the threshold and judge 3, the chief, adjudicates.
func markDemoExam(ctx context.Context, xs *exam.Service, examID int64, judges map[int]int64) error {
	for round, j := range []int64{judges[1], judges[2]} {
		queue, err := xs.Queue(ctx, j)
		if err != nil {
			return err
		}
		for _, qe := range queue {
			if qe.ExamID != examID {
				continue
			}
			for _, q := range qe.Questions {
				for k := 0; ; k++ {
					page, err := xs.AnswersToMark(ctx, j, examID, q.QuestionID, exam.AnswerFilter{Limit: 100})
					if err != nil {
						return err
					}
					if len(page.Items) == 0 {
						break
					}
					for i, an := range page.Items {
						pts := an.Points * skillarena.Points(50+(i*17+k*7)%45) / 100
						if round == 1 && i%9 == 4 {
							pts = an.Points / 5 // far from the first mark: to the chief
						}
						pts -= pts % 50
						if _, err := xs.MarkAnswer(ctx, j, an.Ref, exam.MarkInput{Points: pts, Comment: "要点基本齐全"}); err != nil {
							return err
						}
					}
				}
			}
		}
	}
	adj, err := xs.Adjudications(ctx, judges[3], examID, false)
	if err != nil {
		return err
	}
	for _, a := range adj {
		if _, err := xs.Adjudicate(ctx, judges[3], a.Ref, exam.MarkInput{Points: a.Points / 2, Comment: "复核后取中间档"}, ""); err != nil {
			return err
		}
	}
	return nil
}

// markDemoPractical: the first eight practical contestants are marked and
// signed off by all five judges (the third one with an outlier, left for the
// chief judge); the other four have marks from some judges, not signed off.
func markDemoPractical(ctx context.Context, ss *scoring.Service, stageID int64, task scoring.Task, contestants, judges []int64) error {
	criteria := task.Criteria()
	for ci, c := range contestants {
		for ji, j := range judges {
			if ci >= 8 && ji >= 2 {
				break
			}
			var marks []scoring.MarkInput
			for k, cr := range criteria {
				// A level per contestant, judges within a few points of it.
				p := cr.MaxPoints * skillarena.Points(72+(ci*13)%20+(ji*3+k)%4) / 100
				if cr.Kind == scoring.CriterionJudgement {
					p = nearestOnScale(cr.Scale, p)
				}
				if ci == 2 && ji == 4 {
					p = cr.MaxPoints / 4
					if cr.Kind == scoring.CriterionJudgement {
						p = nearestOnScale(cr.Scale, p)
					}
				}
				marks = append(marks, scoring.MarkInput{CriterionID: cr.ID, Points: p})
			}
			if _, err := ss.SaveMarks(ctx, j, stageID, c, marks); err != nil {
				return fmt.Errorf("demo practical marks: %w", err)
			}
			if ci < 8 {
				if _, err := ss.SignOff(ctx, j, stageID, c); err != nil {
					return fmt.Errorf("demo sign-off: %w", err)
				}
			}
		}
	}
	return nil
}

func nearestOnScale(scale []skillarena.Points, p skillarena.Points) skillarena.Points {
	best := scale[0]
	for _, s := range scale {
		if abs(s-p) < abs(best-p) {
			best = s
		}
	}
	return best
}

func abs(p skillarena.Points) skillarena.Points {
	if p < 0 {
		return -p
	}
	return p
}

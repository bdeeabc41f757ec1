package demo

import (
	"context"
	"fmt"
	"time"

	"skillarena"
	"skillarena/content"
	"skillarena/exam"
	"skillarena/org"
)

// MockExam is the title of the demo's always-open mock exam.
const MockExam = "日常模拟练习（全主题）"

// loadExams creates the mock exam every demo contestant can start at any
// time: a paper drawn per contestant from the province bank, shuffled, one
// hour, results shown at once, up to 100 attempts.
func loadExams(ctx context.Context, o *org.Service, c *content.Service, x *exam.Service, clock skillarena.Clock, ids map[string]int64, users map[string]int64) error {
	prov := org.Scope{Paths: []string{unitPath(ctx, o, "PROV")}}
	admin := skillarena.WithActor(ctx, skillarena.Actor{UserID: users["admin"], Username: "admin"})
	banks, err := c.ListBanks(ctx, prov)
	if err != nil {
		return err
	}
	var bankID int64
	for _, b := range banks {
		if b.Name == ProvinceBank {
			bankID = b.ID
		}
	}
	var sections []exam.Section
	for topic := int64(1); topic <= 7; topic++ {
		sections = append(sections,
			exam.Section{Title: "单选题", TopicID: topic, Type: content.SingleChoice, Count: 2, PointsEach: 100},
			exam.Section{Title: "判断题", TopicID: topic, Type: content.TrueFalse, Count: 1, PointsEach: 100},
		)
	}
	sections = append(sections,
		exam.Section{Title: "多选题", TopicID: 1, Type: content.MultipleChoice, Count: 3, PointsEach: 200},
		exam.Section{Title: "填空题", TopicID: 2, Type: content.FillBlank, Count: 2, PointsEach: 200},
		exam.Section{Title: "简答题", TopicID: 5, Type: content.ShortAnswer, Count: 1, PointsEach: 1000},
	)
	bp, err := x.CreateBlueprint(admin, prov, exam.BlueprintInput{OrgUnitID: ids["PROV"], Name: "模拟练习组卷方案", Sections: sections})
	if err != nil {
		return fmt.Errorf("demo blueprint: %w", err)
	}
	now := clock.Now()
	e, err := x.CreateExam(admin, prov, exam.ExamInput{OrgUnitID: ids["PROV"], Title: MockExam, Kind: exam.KindMock,
		Instructions: "本练习随时可以开始，每次随机抽题，限时 60 分钟，交卷后立即显示成绩和解析。",
		OpensAt:      now.Add(-24 * time.Hour), ClosesAt: now.AddDate(1, 0, 0), Duration: time.Hour,
		BlueprintID: bp.ID, BankIDs: []int64{bankID}, PaperMode: exam.PaperDrawn,
		Shuffle: exam.Shuffle{Questions: true, Options: true}, MaxAttempts: 100, ResultsVisibility: exam.ResultsImmediately})
	if err != nil {
		return fmt.Errorf("demo mock exam: %w", err)
	}
	var engineers []int64
	for n := 1; n <= 60; n++ {
		engineers = append(engineers, users[fmt.Sprintf("eng%03d", n)])
	}
	return x.Enrol(admin, e.ID, engineers)
}

package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"skillarena"
	"skillarena/content"
	"skillarena/org"
)

//go:embed questions/*.csv
var questionFiles embed.FS

// Bank names of the demo.
const (
	ProvinceBank = "省公司竞赛题库"
	CountyBank   = "临湖县局练习题库"
)

// loadContent fills the province bank from the shipped question files (written
// by author1, approved by author2, so every question was seen by two people),
// a small county bank in C2, and the study material.
func loadContent(ctx context.Context, o *org.Service, c *content.Service, ids map[string]int64, users map[string]int64) error {
	prov := org.Scope{Paths: []string{unitPath(ctx, o, "PROV")}}
	as := func(username string) context.Context {
		return skillarena.WithActor(ctx, skillarena.Actor{UserID: users[username], Username: username})
	}
	bank, err := c.CreateBank(as("admin"), prov, content.BankInput{OrgUnitID: ids["PROV"], Name: ProvinceBank,
		Description: "全省客维服务劳动竞赛笔试与日常练习题库，覆盖七个竞赛主题。"})
	if err != nil {
		return fmt.Errorf("demo bank: %w", err)
	}
	names, err := fs.Glob(questionFiles, "questions/*.csv")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var imported []int64
	for _, name := range names {
		data, err := questionFiles.ReadFile(name)
		if err != nil {
			return err
		}
		res, err := c.Import(as("author1"), prov, content.ImportRequest{Format: content.FormatCSV, BankID: bank.ID, Data: data, CreateTopics: true})
		if err != nil {
			return fmt.Errorf("demo questions %s: %w", name, err)
		}
		if len(res.Errors) > 0 {
			e := res.Errors[0]
			return fmt.Errorf("demo questions %s: row %d %s: %s %v", name, e.Pos.Row, e.Field, e.Message, e.Args)
		}
		imported = append(imported, res.QuestionIDs...)
	}
	if err := c.TransitionMany(as("author1"), prov, imported, content.ActionSubmit, ""); err != nil {
		return fmt.Errorf("demo submit: %w", err)
	}
	if err := c.TransitionMany(as("author2"), prov, imported, content.ActionApprove, "演示题库审核通过"); err != nil {
		return fmt.Errorf("demo approve: %w", err)
	}

	c2 := org.Scope{Paths: []string{unitPath(ctx, o, "C2")}}
	cb, err := c.CreateBank(as("admin"), prov, content.BankInput{OrgUnitID: ids["C2"], Name: CountyBank, Description: "临湖县局内部练习题。"})
	if err != nil {
		return fmt.Errorf("demo county bank: %w", err)
	}
	yes := true
	for _, in := range []content.EditInput{
		{TopicID: 2, Draft: content.Draft{Type: content.TrueFalse, Stem: "本局辖区内的重要客户名单每季度应与客户经理核对一次。",
			Key: content.Key{True: &yes}, Explanation: "名单变化会影响保障等级和派单优先级，定期核对可避免漏保。", Difficulty: 1}},
		{TopicID: 5, Draft: content.Draft{Type: content.SingleChoice, Stem: "上门服务到达客户现场后，首先应当：",
			Options: []content.Option{{Key: "A", Text: "直接开始排查设备"}, {Key: "B", Text: "出示工牌并说明来意"}, {Key: "C", Text: "打电话向班长汇报"}, {Key: "D", Text: "询问客户是否续费"}},
			Key:     content.Key{Choices: []string{"B"}}, Explanation: "出示工牌、说明来意是上门服务规范的第一步，让客户放心并确认服务内容。", Difficulty: 1}},
	} {
		if _, err := c.CreateQuestion(skillarena.WithActor(ctx, skillarena.Actor{UserID: users["county2"], Username: "county2"}), c2, cb.ID, in); err != nil {
			return fmt.Errorf("demo county question: %w", err)
		}
	}

	topics, err := c.ListTopics(ctx)
	if err != nil {
		return err
	}
	topicByCode := map[string]int64{}
	for _, t := range topics {
		topicByCode[t.Code] = t.ID
	}
	for _, a := range articles {
		in := content.MaterialInput{TopicID: topicByCode[a.topic], OrgUnitID: ids["PROV"], Title: a.title, Summary: a.summary}
		for _, s := range a.sections {
			in.Sections = append(in.Sections, content.SectionInput{Title: s[0], Body: s[1]})
		}
		if _, err := c.SaveMaterial(as("author1"), prov, 0, in); err != nil {
			return fmt.Errorf("demo material %s: %w", a.title, err)
		}
	}
	return nil
}

func unitPath(ctx context.Context, o *org.Service, code string) string {
	u, err := o.UnitByCode(ctx, code)
	if err != nil {
		return ""
	}
	return u.Path
}

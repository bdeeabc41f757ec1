// Package demo loads the demo province of API.md into an empty database: the
// org tree, an account for every role, the question bank and study material,
// an always-open mock exam (and, as later domains arrive, a competition in
// progress).
package demo

import (
	"context"
	"fmt"

	"skillarena"
	"skillarena/content"
	"skillarena/exam"
	"skillarena/org"
)

// Password is every demo account's password.
const Password = "demo12345"

// Account is a demo sign-in printed at start.
type Account struct {
	Username string
	Role     string
}

type unitSpec struct {
	code, name, parent string
}

// The demo tree: a province, two regions, three counties each.
var units = []unitSpec{
	{"PROV", "示范省公司", ""},
	{"R1", "东江市分公司", "PROV"},
	{"R2", "西岭市分公司", "PROV"},
	{"C1", "东江城区分局", "R1"},
	{"C2", "东江临湖县局", "R1"},
	{"C3", "东江青山县局", "R1"},
	{"C4", "西岭河口县局", "R2"},
	{"C5", "西岭松林县局", "R2"},
	{"C6", "西岭石桥县局", "R2"},
}

var (
	surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段")
	given    = []string{"伟", "建华", "晓明", "丽娟", "志强", "海燕", "国平", "静", "俊杰", "秀英", "文斌", "春梅", "立新", "晓红", "德明", "玉兰", "振华", "慧敏", "永强", "雪梅", "家豪", "思远", "子涵", "浩然", "雨欣", "明轩", "梓萱", "宇航", "佳怡", "志远"}
)

// engineerName gives the n-th demo engineer (1-based) a plausible Chinese name.
func engineerName(n int) string {
	return string(surnames[(n*7)%len(surnames)]) + given[(n*11)%len(given)]
}

// Loaded reports whether the database already holds users, in which case the
// demo is not loaded again.
func Loaded(ctx context.Context, o *org.Service) (bool, error) {
	n, err := o.CountUsers(ctx)
	return n > 0, err
}

// Load fills an empty database with the demo province and returns the accounts
// to print. It refuses a database that already has users.
func Load(ctx context.Context, clock skillarena.Clock, o *org.Service, c *content.Service, x *exam.Service) ([]Account, error) {
	if done, err := Loaded(ctx, o); err != nil {
		return nil, err
	} else if done {
		return nil, skillarena.NewError(skillarena.ECONFLICT, "demo.already_loaded", nil)
	}
	ctx = skillarena.WithActor(ctx, skillarena.Actor{Username: "demo"})
	ids := map[string]int64{}
	for _, u := range units {
		in := org.UnitInput{Name: u.name, Code: u.code}
		if u.parent != "" {
			p := ids[u.parent]
			in.ParentID = &p
		}
		made, err := o.CreateUnit(ctx, nil, in)
		if err != nil {
			return nil, fmt.Errorf("demo unit %s: %w", u.code, err)
		}
		ids[u.code] = made.ID
	}

	type person struct {
		username, name, unit string
		role                 org.Role
		grantUnit            string
	}
	people := []person{
		{"admin", "省公司竞赛管理员", "PROV", org.RoleOrganiser, "PROV"},
		{"region1", "东江市分公司组织员", "R1", org.RoleOrganiser, "R1"},
		{"region2", "西岭市分公司组织员", "R2", org.RoleOrganiser, "R2"},
	}
	for i := 1; i <= 6; i++ {
		code := fmt.Sprintf("C%d", i)
		people = append(people, person{fmt.Sprintf("county%d", i), units[2+i].name + "组织员", code, org.RoleOrganiser, code})
	}
	people = append(people,
		person{"author1", "命题专家甲", "PROV", org.RoleAuthor, "PROV"},
		person{"author2", "命题专家乙", "PROV", org.RoleAuthor, "PROV"},
		person{"proctor1", "监考员", "PROV", org.RoleInvigilator, "PROV"},
	)
	for i := 1; i <= 5; i++ {
		people = append(people, person{fmt.Sprintf("judge%d", i), fmt.Sprintf("评委%d", i), "PROV", org.RoleJudge, "PROV"})
	}
	for n := 1; n <= 60; n++ {
		code := fmt.Sprintf("C%d", (n-1)/10+1)
		people = append(people, person{fmt.Sprintf("eng%03d", n), engineerName(n), code, org.RoleContestant, code})
	}

	ins := make([]org.UserInput, len(people))
	for i, p := range people {
		ins[i] = org.UserInput{Username: p.username, Name: p.name, OrgUnitID: ids[p.unit], EmployeeNo: fmt.Sprintf("DEMO%04d", i+1)}
	}
	users, err := o.SeedUsers(ctx, ins, Password)
	if err != nil {
		return nil, fmt.Errorf("demo users: %w", err)
	}
	accounts := make([]Account, 0, len(people))
	for i, p := range people {
		if _, err := o.CreateGrant(ctx, nil, org.GrantInput{UserID: users[i].ID, Role: p.role, OrgUnitID: ids[p.grantUnit]}); err != nil {
			return nil, fmt.Errorf("demo grant %s: %w", p.username, err)
		}
		accounts = append(accounts, Account{Username: p.username, Role: string(p.role) + "@" + p.grantUnit})
	}
	byName := map[string]int64{}
	for i, p := range people {
		byName[p.username] = users[i].ID
	}
	if err := loadContent(ctx, o, c, ids, byName); err != nil {
		return nil, err
	}
	if err := loadExams(ctx, o, c, x, clock, ids, byName); err != nil {
		return nil, err
	}
	return accounts, nil
}

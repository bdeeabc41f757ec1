// Package org holds the organisation tree (province → region → county, any
// depth), users and their passwords, role grants scoped to org units, sign-in
// throttling and the append-only audit trail. It imports only the root package.
package org

import (
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Role is what a grant lets a user do inside an org unit and every unit below it.
type Role string

// The roles of DOMAIN.md.
const (
	RoleOrganiser   Role = "organiser"
	RoleAuthor      Role = "author"
	RoleInvigilator Role = "invigilator"
	RoleJudge       Role = "judge"
	RoleContestant  Role = "contestant"
)

// Roles lists every role in the order menus show them.
var Roles = []Role{RoleOrganiser, RoleAuthor, RoleInvigilator, RoleJudge, RoleContestant}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Scope is the set of org subtrees in which the caller may act for the current
// operation, each given by the materialised path of its top unit ("/1/4/").
// The server computes it from the caller's grants and the authorisation policy;
// services filter and check records against it.
type Scope struct {
	Paths []string
}

// Everything is the scope of tooling and of the session layer: every unit.
var Everything = Scope{Paths: []string{"/"}}

// Contains reports whether the unit with the given path lies inside the scope.
func (s Scope) Contains(path string) bool {
	for _, p := range s.Paths {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// Empty reports whether the scope covers no unit at all.
func (s Scope) Empty() bool { return len(s.Paths) == 0 }

// Where restricts q to rows whose column col (a trusted column name, never user
// input) holds a path inside the scope.
func (s Scope) Where(q *gorm.DB, col string) *gorm.DB {
	if s.Empty() {
		return q.Where("1 = 0")
	}
	exprs := make([]clause.Expression, 0, len(s.Paths))
	for _, p := range s.Paths {
		// Paths hold only digits and slashes (see unitPath), so they need no
		// LIKE escaping, which SQLite and MySQL would spell differently.
		exprs = append(exprs, clause.Like{Column: clause.Column{Name: col, Raw: true}, Value: p + "%"})
	}
	return q.Where(clause.Or(exprs...))
}

// CoversTop reports whether the scope includes a top-level unit, i.e. the whole
// of one tree; entries about no unit (system events) are shown only then.
func (s Scope) CoversTop() bool {
	for _, p := range s.Paths {
		if strings.Count(p, "/") == 2 {
			return true
		}
	}
	return false
}

// Models lists every GORM model of the package, for the test that checks the
// migrated schema has each mapped column.
func Models() []any {
	return []any{&Unit{}, &User{}, &Grant{}, &AuditEntry{}, &auditHead{}, &loginThrottle{}}
}

// containsPattern makes a LIKE pattern matching text anywhere, for use with
// likeEscape. "!" is the escape character because a backslash is spelled
// differently in SQLite and MySQL string literals.
func containsPattern(text string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return "%" + r.Replace(strings.TrimSpace(text)) + "%"
}

// likeEscape follows every "LIKE ?" whose argument comes from containsPattern.
const likeEscape = " ESCAPE '!'"

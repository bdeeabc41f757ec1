package content

import (
	"context"
	"strings"
	"sync"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// Service is the content domain: topics, banks, questions with their versions
// and review, study material and assets. It owns its transactions and writes
// each change's audit entry in the same transaction.
type Service struct {
	db    *gorm.DB
	clock skillarena.Clock
	audit *org.Audit
	// versions caches question versions by id: they never change.
	versionsMu sync.RWMutex
	versions   map[int64]Version
}

// NewService returns the content service; audit is the organisation's trail.
func NewService(db *gorm.DB, clock skillarena.Clock, audit *org.Audit) *Service {
	return &Service{db: db, clock: clock, audit: audit}
}

// Models lists every GORM model of the package, for the schema test.
func Models() []any {
	return []any{&Topic{}, &Bank{}, &Question{}, &Version{}, &questionTag{}, &Event{}, &Asset{}, &Material{}, &Section{}}
}

func (s *Service) transaction(ctx context.Context, f func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(f)
}

// dbError maps database errors the way every domain does (org.StoreError).
func dbError(err error, op string) error { return org.StoreError(err, op) }

// ancestorPaths returns every path from the top down to p: "/1/4/9/" gives
// "/1/", "/1/4/", "/1/4/9/".
func ancestorPaths(p string) []string {
	var out []string
	parts := strings.Split(strings.Trim(p, "/"), "/")
	cur := "/"
	for _, x := range parts {
		if x == "" {
			continue
		}
		cur += x + "/"
		out = append(out, cur)
	}
	return out
}

// visibleUnits restricts q (joined with org_units) to units a caller with
// scope may draw from: units inside the scope and every unit above it, since a
// province bank serves every unit below it.
func visibleUnits(q *gorm.DB, scope org.Scope) *gorm.DB {
	if scope.Empty() {
		return q.Where("1 = 0")
	}
	var conds []string
	var args []any
	seen := map[string]bool{}
	for _, p := range scope.Paths {
		conds = append(conds, "org_units.path LIKE ?")
		args = append(args, p+"%")
		for _, a := range ancestorPaths(p) {
			if !seen[a] {
				seen[a] = true
				conds = append(conds, "org_units.path = ?")
				args = append(args, a)
			}
		}
	}
	return q.Where("("+strings.Join(conds, " OR ")+")", args...)
}

// Page selects a page of a list; zero values mean the first page of 50.
type Page = org.Page

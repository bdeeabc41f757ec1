package server

import (
	"context"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"skillarena/org"
)

//go:embed authz/model.conf
var authzModel string

//go:embed authz/policy.csv
var authzPolicy string

// Pseudo-roles of the policy file.
const (
	roleAnyone   = "anyone"
	roleSignedIn = "signed_in"
)

// grantSource is what the authoriser needs from the org service.
type grantSource interface {
	AllGrants(ctx context.Context) ([]org.GrantDetail, error)
	PolicyVersion(ctx context.Context) (int64, error)
}

// Authorizer wraps the Casbin enforcer. The role → route policy is embedded;
// the grants (user, role, unit path) are loaded from the database and reloaded
// whenever the policy version there has moved, so a grant or revoke made on any
// server is in force on every server from the next request.
type Authorizer struct {
	grants grantSource

	mu       sync.RWMutex
	enforcer *casbin.SyncedEnforcer
	version  int64
	loaded   bool
}

// NewAuthorizer returns an authoriser; its grants load on the first Refresh.
func NewAuthorizer(grants grantSource) (*Authorizer, error) {
	a := &Authorizer{grants: grants}
	e, err := newEnforcer(nil)
	if err != nil {
		return nil, err
	}
	a.enforcer = e
	return a, nil
}

// newEnforcer builds an enforcer from the embedded model and policy and the
// given grants. Each refresh builds a new one and swaps it in whole, so no
// request ever sees half a reload.
func newEnforcer(grants []org.GrantDetail) (*casbin.SyncedEnforcer, error) {
	m, err := model.NewModelFromString(authzModel)
	if err != nil {
		return nil, fmt.Errorf("authz model: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("authz enforcer: %w", err)
	}
	// A grant in a unit holds in all units below it: the request's domain
	// matches a grant's domain when the grant's path is a prefix of it.
	e.AddNamedDomainMatchingFunc("g", "subtree", func(requestDomain, grantDomain string) bool {
		return strings.HasPrefix(requestDomain, grantDomain)
	})
	rules := make([][]string, 0, 64)
	for _, line := range policyLines() {
		rules = append(rules, []string{line[0], line[1], line[2]})
	}
	if _, err := e.AddPolicies(rules); err != nil {
		return nil, fmt.Errorf("authz policy: %w", err)
	}
	links := make([][]string, 0, len(grants))
	for _, g := range grants {
		links = append(links, []string{subject(g.UserID), string(g.Role), g.OrgUnitPath})
	}
	if len(links) > 0 {
		if _, err := e.AddGroupingPolicies(links); err != nil {
			return nil, fmt.Errorf("authz grants: %w", err)
		}
	}
	return e, nil
}

// policyLines parses the embedded policy file: "p, role, route, method".
func policyLines() [][3]string {
	var out [][3]string
	for _, raw := range strings.Split(authzPolicy, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) != 4 || f[0] != "p" {
			panic("authz/policy.csv: bad line: " + line)
		}
		out = append(out, [3]string{f[1], f[2], f[3]})
	}
	return out
}

// rolesByRoute indexes the policy by "METHOD route" once.
var rolesByRoute = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, l := range policyLines() {
		m[l[2]+" "+l[1]] = append(m[l[2]+" "+l[1]], l[0])
	}
	return m
})

// routeRoles returns the roles the policy allows on route and method.
func (a *Authorizer) routeRoles(route, method string) []string {
	return rolesByRoute()[method+" "+route]
}

// Refresh reloads the grants when the database's policy version has moved.
func (a *Authorizer) Refresh(ctx context.Context) error {
	v, err := a.grants.PolicyVersion(ctx)
	if err != nil {
		return fmt.Errorf("authz: policy version: %w", err)
	}
	a.mu.RLock()
	fresh := a.loaded && v == a.version
	a.mu.RUnlock()
	if fresh {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.loaded && v == a.version {
		return nil
	}
	grants, err := a.grants.AllGrants(ctx)
	if err != nil {
		return fmt.Errorf("authz: load grants: %w", err)
	}
	e, err := newEnforcer(grants)
	if err != nil {
		return err
	}
	a.enforcer, a.version, a.loaded = e, v, true
	return nil
}

func subject(userID int64) string { return "u" + strconv.FormatInt(userID, 10) }

// Allowed reports whether the user may call route with method in the unit
// with the given path.
func (a *Authorizer) Allowed(userID int64, unitPath, route, method string) bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	ok, err := a.enforcer.Enforce(subject(userID), unitPath, route, method)
	return err == nil && ok
}

// Scope returns the subtrees in which the user may call route with method:
// the units of their grants in which the enforcer allows it.
func (a *Authorizer) Scope(userID int64, grants []org.GrantDetail, route, method string) org.Scope {
	var s org.Scope
	seen := map[string]bool{}
	for _, g := range grants {
		if seen[g.OrgUnitPath] {
			continue
		}
		if a.Allowed(userID, g.OrgUnitPath, route, method) {
			seen[g.OrgUnitPath] = true
			s.Paths = append(s.Paths, g.OrgUnitPath)
		}
	}
	// A path inside another adds nothing; keep the outermost ones.
	var out org.Scope
	for _, p := range s.Paths {
		inner := false
		for _, q := range s.Paths {
			if p != q && strings.HasPrefix(p, q) {
				inner = true
			}
		}
		if !inner {
			out.Paths = append(out.Paths, p)
		}
	}
	return out
}

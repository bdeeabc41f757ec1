package skillarena_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// The domain packages import only downward (scoring → exam → content → org →
// root) and never the transport: DESIGN.md's layering rule.
func TestLayering_DomainPackagesImportOnlyDownward(t *testing.T) {
	forbidden := map[string][]string{
		"skillarena":         {"skillarena/org", "skillarena/content", "skillarena/exam", "skillarena/scoring"},
		"skillarena/org":     {"skillarena/content", "skillarena/exam", "skillarena/scoring"},
		"skillarena/content": {"skillarena/exam", "skillarena/scoring"},
		"skillarena/exam":    {"skillarena/scoring"},
		"skillarena/scoring": {},
	}
	always := []string{"skillarena/server", "skillarena/database", "skillarena/demo", "skillarena/frontend"}
	transport := []string{"github.com/gin-gonic/gin", "net/http"}
	for pkg, up := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "-json=ImportPath", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		deps := map[string]bool{}
		dec := json.NewDecoder(strings.NewReader(string(out)))
		for dec.More() {
			var p struct{ ImportPath string }
			if err := dec.Decode(&p); err != nil {
				t.Fatal(err)
			}
			deps[p.ImportPath] = true
		}
		for _, bad := range append(up, always...) {
			if deps[bad] {
				t.Errorf("%s depends on %s: domain packages import only downward and never the transport (DESIGN.md)", pkg, bad)
			}
		}
		// Libraries may use net/http inside; the package itself must not.
		direct, err := exec.Command("go", "list", "-f", "{{join .Imports \"\\n\"}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, imp := range strings.Fields(string(direct)) {
			for _, bad := range transport {
				if imp == bad || strings.HasPrefix(imp, bad+"/") {
					t.Errorf("%s imports %s: domain packages never touch the transport (DESIGN.md)", pkg, imp)
				}
			}
		}
	}
}

// The kernel imports nothing but the standard library.
func TestLayering_RootImportsOnlyStandardLibrary(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{join .Imports \"\\n\"}}", "skillarena").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range strings.Fields(string(out)) {
		if strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") || strings.HasPrefix(imp, "skillarena") {
			t.Errorf("root package imports %s: it may use only the standard library", imp)
		}
	}
}

package httpapi_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestGraphiQLInBrowser opens GraphiQL in headless Chromium (web/e2e/graphiql.mjs, driven by
// playwright-core) as an anonymous caller. As shipped (INTROSPECTION=readers), the default
// query runs, the Docs panel shows the schema's description and an example from the menu loads
// and runs; under INTROSPECTION=analysts, the page says which role may read the schema instead
// of "Error fetching schema", and queries still run. It needs node, web/e2e/node_modules
// (`make e2e-deps`) and /usr/bin/chromium, all of which `.ci/run` installs; it fails rather than
// skips when they are missing.
func TestGraphiQLInBrowser(t *testing.T) {
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "web", "e2e", "graphiql.mjs")
	browse := func(t *testing.T, url string, args ...string) string {
		cmd := exec.Command("node", append([]string{script, url}, args...)...)
		cmd.Env = append(os.Environ(), "GRAPHIQL_SCREENSHOT="+filepath.Join(t.TempDir(), "graphiql.png"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("browser test failed: %v\n%s\n(install its parts with: make e2e-deps; apt-get install chromium)", err, out)
		}
		t.Logf("%s", out)
		return string(out)
	}
	t.Run("as shipped", func(t *testing.T) {
		srv := secureAPI(t, reqctx.RoleAnonymous, 100_000, 1000, 8)
		if out := browse(t, srv.URL+"/"); !strings.Contains(out, "loaded and ran") {
			t.Fatalf("unexpected browser test output:\n%s", out)
		}
	})
	t.Run("introspection refused", func(t *testing.T) {
		srv := secureAPIWithRule(t, quiet, reqctx.RoleAnonymous, reqctx.IntrospectionAnalysts, 100_000, 1000, 8)
		if out := browse(t, srv.URL+"/", "--refused"); !strings.Contains(out, "introspection refused") {
			t.Fatalf("unexpected browser test output:\n%s", out)
		}
	})
}

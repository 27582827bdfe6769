package httpapi_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestGraphiQLInBrowser opens GraphiQL in headless Chromium (web/e2e/graphiql.mjs, driven by
// playwright-core), runs the default query and expects data from Neo4j in the result pane.
// It needs node, web/e2e/node_modules (`make e2e-deps`) and /usr/bin/chromium, all of which
// `.ci/run` installs; it fails rather than skips when they are missing.
func TestGraphiQLInBrowser(t *testing.T) {
	srv := newAPI(t)
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "web", "e2e", "graphiql.mjs")
	cmd := exec.Command("node", script, srv.URL+"/", "Rabat Process")
	cmd.Env = append(os.Environ(), "GRAPHIQL_SCREENSHOT="+filepath.Join(t.TempDir(), "graphiql.png"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("browser test failed: %v\n%s\n(install its parts with: make e2e-deps; apt-get install chromium)", err, out)
	}
	if !strings.Contains(string(out), `saw "Rabat Process"`) {
		t.Fatalf("unexpected browser test output:\n%s", out)
	}
}

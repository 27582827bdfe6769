// Package maketest tests the Makefile: which Neo4j each target talks to, and that the test
// targets leave no Neo4j running behind them.
package maketest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// makeIn runs make in the repository root with env added to a copy of this process's
// environment without NEO4J_* variables (as a shell of a developer would have it).
func makeIn(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", append([]string{"-s", "--no-print-directory"}, args...)...)
	cmd.Dir = root
	for _, kv := range os.Environ() {
		// What the suite's own make passes on (`make test TEST_NEO4J_SCHEME=neo4j` exports it to
		// the tests) must not leak into the make under test.
		if !strings.HasPrefix(kv, "NEO4J_") && !strings.HasPrefix(kv, "TEST_NEO4J_") && !strings.HasPrefix(kv, "MAKE") &&
			!strings.HasPrefix(kv, "KEEP_TEST_NEO4J=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// shown prints, through the recipe's shell, what the commands of a target see.
const shown = `--eval=show-env: ; @echo "local=$(LOCAL_NEO4J) uri=$$NEO4J_URI port=$$NEO4J_BOLT_PORT test=$(TEST_ENV)"`

// TestRunUsesTheBoltPortItStarts: `NEO4J_BOLT_PORT=... make run` starts Neo4j on that port, so
// the loader and the server must get the same port in NEO4J_URI; a NEO4J_URI given is kept and
// no local Neo4j is started.
func TestRunUsesTheBoltPortItStarts(t *testing.T) {
	for _, c := range []struct {
		env  []string
		args []string
		want []string
	}{
		{nil, nil, []string{"local=1 uri=bolt://127.0.0.1:7687 port=7687"}},
		{[]string{"NEO4J_BOLT_PORT=7999"}, nil, []string{"local=1 uri=bolt://127.0.0.1:7999 port=7999"}},
		{nil, []string{"NEO4J_BOLT_PORT=7998"}, []string{"local=1 uri=bolt://127.0.0.1:7998 port=7998"}},
		{[]string{"NEO4J_URI=bolt://db.example.org:7687"}, nil, []string{"local= uri=bolt://db.example.org:7687"}},
		{nil, []string{"TEST_NEO4J_BOLT_PORT=7888"}, []string{"NEO4J_BOLT_PORT=7888 ", "NEO4J_URI=bolt://127.0.0.1:7888"}},
		{nil, []string{"TEST_NEO4J_BOLT_PORT=7888", "TEST_NEO4J_SCHEME=neo4j"}, []string{"NEO4J_URI=neo4j://127.0.0.1:7888"}},
	} {
		out, err := makeIn(t, c.env, append([]string{shown, "show-env"}, c.args...)...)
		if err != nil {
			t.Fatalf("make: %v\n%s", err, out)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("env %v, args %v: got %q, want it to contain %q", c.env, c.args, out, w)
			}
		}
	}
	out, err := makeIn(t, []string{"NEO4J_BOLT_PORT=7997"}, "-n", "run")
	if err != nil {
		t.Fatalf("make -n run: %v\n%s", err, out)
	}
	if !strings.Contains(out, "tools/neo4j/neo4j.sh start") || !strings.Contains(out, "NEO4J_URI=bolt://127.0.0.1:7997") {
		t.Errorf("make -n run with NEO4J_BOLT_PORT=7997:\n%s", out)
	}
	out, _ = makeIn(t, []string{"NEO4J_URI=bolt://db.example.org:7687"}, "-n", "run")
	if strings.Contains(out, "neo4j.sh start") {
		t.Errorf("make run with NEO4J_URI set starts the local Neo4j:\n%s", out)
	}
}

// TestMakeTestStopsItsNeo4j runs `make test` (on a tiny package, with a Neo4j of its own):
// with KEEP_TEST_NEO4J=1 the test Neo4j is left running; without, it is stopped even when the
// tests fail, and make keeps the failure.
func TestMakeTestStopsItsNeo4j(t *testing.T) {
	port := testenv.Port(4)
	home := filepath.Join(t.TempDir(), "neo4j")
	vars := []string{"-o", "e2e-deps", "TEST_NEO4J_BOLT_PORT=" + port, "TEST_NEO4J_HOME=" + home}
	root, _ := testenv.RepoRoot()
	status := func() error {
		cmd := exec.Command(filepath.Join(root, "tools", "neo4j", "neo4j.sh"), "status")
		cmd.Env = append(os.Environ(), "NEO4J_BOLT_PORT="+port, "NEO4J_LOCAL_HOME="+home)
		return cmd.Run()
	}
	t.Cleanup(func() {
		cmd := exec.Command(filepath.Join(root, "tools", "neo4j", "neo4j.sh"), "stop")
		cmd.Env = append(os.Environ(), "NEO4J_BOLT_PORT="+port, "NEO4J_LOCAL_HOME="+home)
		_ = cmd.Run()
	})

	out, err := makeIn(t, nil, append(vars, "test", "TEST_PACKAGES=./internal/apperr", "KEEP_TEST_NEO4J=1")...)
	if err != nil {
		t.Fatalf("make test KEEP_TEST_NEO4J=1: %v\n%s", err, out)
	}
	if err := status(); err != nil {
		t.Errorf("with KEEP_TEST_NEO4J=1 the test Neo4j is not running after make test (%v):\n%s", err, out)
	}

	out, err = makeIn(t, nil, append(vars, "test", "TEST_PACKAGES=./no/such/package")...)
	if err == nil {
		t.Errorf("make test of a missing package succeeded:\n%s", out)
	}
	if err := status(); err == nil {
		t.Errorf("the test Neo4j on port %s still runs after a failed make test:\n%s", port, out)
	}
}

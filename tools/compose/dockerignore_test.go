package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// TestBuildContextLeavesOutMachineFiles evaluates .dockerignore with the matcher Docker's builder
// uses: the files of the machine (git data, Neo4j data in .local, binaries, node_modules, test
// output) stay out of the build context, and every file the repository tracks goes in.
func TestBuildContextLeavesOutMachineFiles(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	excluded := func(path string) bool {
		t.Helper()
		ok, err := pm.MatchesOrParentMatches(path)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	for _, path := range []string{
		".git", ".git/HEAD", ".git/objects/ab/cdef",
		".local", ".local/neo4j/data/databases/neo4j/neostore", ".local/neo4j-test/neo4j.pid",
		"bin/server",
		"node_modules/x/index.js", "web/graphiql/node_modules/react/index.js", "web/e2e/node_modules/playwright-core/package.json",
		"server.test", "server/server.test", "internal/httpapi/cpu.out",
	} {
		if !excluded(path) {
			t.Errorf("%s is in the build context", path)
		}
	}

	out, err := exec.Command("git", "-C", root, "ls-files").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	tracked := strings.Fields(string(out))
	if len(tracked) < 50 {
		t.Fatalf("git ls-files listed %d files", len(tracked))
	}
	for _, path := range tracked {
		if excluded(path) {
			t.Errorf("tracked file %s is left out of the build context", path)
		}
	}
}

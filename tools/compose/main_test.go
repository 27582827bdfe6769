package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestSettingNameFollowsTheImage(t *testing.T) {
	for variable, want := range map[string]string{
		"NEO4J_server_memory_pagecache_size":          "server.memory.pagecache.size",
		"NEO4J_server_memory_heap_initial__size":      "server.memory.heap.initial_size",
		"NEO4J_db_tx__log_rotation_retention__policy": "db.tx_log.rotation.retention_policy",
		"NEO4J_dbms_memory__pagecache_size":           "dbms.memory_pagecache.size",
		"NEO4J_PASSWORD":                              "PASSWORD",
	} {
		if got := settingName(variable); got != want {
			t.Errorf("settingName(%s) = %q, want %q", variable, got, want)
		}
	}
}

func TestEntrypointVariablesAreNoSettings(t *testing.T) {
	v := func(s string) *string { return &s }
	settings, problems := settingsOf(map[string]*string{
		"NEO4J_AUTH": v("neo4j/long-enough"), "NEO4J_ACCEPT_LICENSE_AGREEMENT": v("yes"), "NEO4J_PLUGINS": v(`["apoc"]`),
		"NEO4J_server_memory_pagecache_size": v("64m"), "OTHER": v("x"), "NEO4J_dbms_empty": v(""),
	})
	if len(settings) != 1 || settings[0].name != "server.memory.pagecache.size" || settings[0].value != "64m" {
		t.Errorf("settings = %+v, want only server.memory.pagecache.size=64m", settings)
	}
	if len(problems) != 1 || !strings.Contains(problems[0], "NEO4J_dbms_empty is empty") {
		t.Errorf("problems = %q, want one about the empty variable", problems)
	}
	for _, auth := range []string{"neo4j", "admin/secret-pw", "neo4j/neo4j", "neo4j/"} {
		if _, problems := settingsOf(map[string]*string{"NEO4J_AUTH": v(auth)}); len(problems) != 1 {
			t.Errorf("NEO4J_AUTH=%q: problems %q, want one", auth, problems)
		}
	}
}

func TestHealthcheckMayReadOnlyVariablesTheContainerHas(t *testing.T) {
	v := func(s string) *string { return &s }
	svc := service{Environment: map[string]*string{"NEO4J_AUTH": v("neo4j/long-enough")}}
	svc.Healthcheck = &struct {
		Test    []string `json:"test"`
		Disable bool     `json:"disable"`
	}{Test: []string{"CMD-SHELL", `cypher-shell -p "$${NEO4J_AUTH#neo4j/}" -a "$$NEO4J_HOME" 'RETURN 1'`}}
	if p := healthcheckProblems("neo4j", svc); len(p) != 0 {
		t.Errorf("problems %q, want none", p)
	}
	svc.Healthcheck.Test = []string{"CMD-SHELL", `cypher-shell -u neo4j -p "$$NEO4J_PASSWORD" 'RETURN 1'`}
	if p := healthcheckProblems("neo4j", svc); len(p) != 1 || !strings.Contains(p[0], "$NEO4J_PASSWORD") {
		t.Errorf("problems %q, want one naming $NEO4J_PASSWORD", p)
	}
}

func TestImageMustBeThePinnedMinorVersion(t *testing.T) {
	for image, ok := range map[string]bool{
		"neo4j:5.26-community": true, "neo4j:5.26.25": true, "neo4j:5.26": true,
		"neo4j:5.2": false, "neo4j:5.260": false, "neo4j:2025.01": false, "postgres:16": false,
	} {
		if got := imageProblem(image, "5.26.25") == ""; got != ok {
			t.Errorf("image %q accepted = %v, want %v", image, got, ok)
		}
	}
}

// runCheck runs tools/compose/check.sh, as `make check-compose` does, on one compose file.
func runCheck(t *testing.T, file string) (string, error) {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(root, "tools", "compose", "check.sh"), file)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// composeVariant writes a copy of docker-compose.yml, changed by edit, into a scratch folder.
func composeVariant(t *testing.T, edit func(string) string) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	real, err := os.ReadFile(filepath.Join(root, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	changed := edit(string(real))
	if changed == string(real) {
		t.Fatal("the edit changed nothing: docker-compose.yml no longer has the line this test edits")
	}
	file := filepath.Join(t.TempDir(), "docker-compose.yml")
	if err := os.WriteFile(file, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestCheckComposeValidatesNeo4jSettings runs the check of `make check-compose` on the real file
// (it passes) and on variants with the settings Neo4j refuses at start (it fails, naming the
// variable): the old NEO4J_PASSWORD line, which the image turns into a setting "PASSWORD", and a
// value Neo4j cannot parse.
func TestCheckComposeValidatesNeo4jSettings(t *testing.T) {
	if out, err := runCheck(t, "docker-compose.yml"); err != nil {
		t.Fatalf("docker-compose.yml fails the check: %v\n%s", err, out)
	}

	const auth = "      NEO4J_AUTH: neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD to the password Neo4j should use}\n"
	withPassword := composeVariant(t, func(s string) string {
		return strings.Replace(s, auth, auth+"      NEO4J_PASSWORD: ${NEO4J_PASSWORD}\n", 1)
	})
	out, err := runCheck(t, withPassword)
	if err == nil {
		t.Fatalf("a neo4j service with NEO4J_PASSWORD passes the check:\n%s", out)
	}
	for _, want := range []string{`NEO4J_PASSWORD becomes the neo4j.conf setting "PASSWORD"`, "No declared setting with name: PASSWORD"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "PASSWORD=compose-check") {
		t.Errorf("the check prints the password:\n%s", out)
	}

	badValue := composeVariant(t, func(s string) string {
		return strings.Replace(s, "NEO4J_server_memory_pagecache_size: 64m", "NEO4J_server_memory_pagecache_size: lots", 1)
	})
	out, err = runCheck(t, badValue)
	if err == nil || !strings.Contains(out, `NEO4J_server_memory_pagecache_size becomes the neo4j.conf setting "server.memory.pagecache.size"`) ||
		!strings.Contains(out, "'lots' is not a valid size") {
		t.Errorf("want a failure naming NEO4J_server_memory_pagecache_size, got %v:\n%s", err, out)
	}
}

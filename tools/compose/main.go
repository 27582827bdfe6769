// Command compose checks what docker-compose.yml hands to the official neo4j image, which
// tools/compose/check.sh runs after `docker compose config`:
//
//	go run ./tools/compose [-f docker-compose.yml] [-service neo4j]
//
// The image writes every NEO4J_* variable of its environment (but the few its entrypoint handles
// itself, such as NEO4J_AUTH) into neo4j.conf as a setting: NEO4J_ is dropped, "_" becomes "." and
// "__" becomes "_". Neo4j 5 refuses to start on a setting it does not know or a value it cannot
// parse. This command takes the service's environment from `docker compose config --format json`,
// converts it with the image's rule, and has the Neo4j of tools/neo4j/pom.xml validate the result
// (`neo4j-admin server validate-config`, from the same jars tools/neo4j/neo4j.sh runs). Every
// problem names the variable it comes from; the exit status is 1 when there is any.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

func main() {
	file := flag.String("f", "docker-compose.yml", "compose file to check")
	service := flag.String("service", "neo4j", "service that runs the neo4j image")
	flag.Parse()
	if err := check(*file, *service, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "compose:", err)
		os.Exit(1)
	}
}

// entrypointVariables are the NEO4J_* variables the image's entrypoint consumes (or unsets)
// instead of writing them into neo4j.conf.
var entrypointVariables = map[string]bool{
	"NEO4J_AUTH": true, "NEO4J_ACCEPT_LICENSE_AGREEMENT": true, "NEO4J_PLUGINS": true,
	"NEO4J_EDITION": true, "NEO4J_HOME": true, "NEO4J_DEBUG": true, "NEO4J_SHA256": true,
	"NEO4J_TARBALL": true,
}

// imageVariables are set by the image itself, so a healthcheck may use them unset in compose.
var imageVariables = map[string]bool{
	"NEO4J_HOME": true, "PATH": true, "HOME": true, "JAVA_HOME": true, "HOSTNAME": true, "LANG": true,
}

// setting is one neo4j.conf line the image writes, and the variable it comes from.
type setting struct {
	variable, name, value string
}

// settingName converts a variable name the way the image's entrypoint does: drop NEO4J_, every
// "_" becomes ".", then every ".." (left to right) becomes "_".
func settingName(variable string) string {
	s := strings.TrimPrefix(variable, "NEO4J_")
	s = strings.ReplaceAll(s, "_", ".")
	return strings.ReplaceAll(s, "..", "_")
}

// service is the part of `docker compose config --format json` this check reads.
type service struct {
	Image       string             `json:"image"`
	Environment map[string]*string `json:"environment"`
	Healthcheck *struct {
		Test    []string `json:"test"`
		Disable bool     `json:"disable"`
	} `json:"healthcheck"`
}

// settingsOf returns the settings the image writes for env, and the problems found on the way
// (values the image would drop, a malformed NEO4J_AUTH).
func settingsOf(env map[string]*string) (settings []setting, problems []string) {
	names := make([]string, 0, len(env))
	for name := range env {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		value := ""
		if env[name] != nil {
			value = *env[name]
		}
		if name == "NEO4J_AUTH" {
			if p := authProblem(value); p != "" {
				problems = append(problems, p)
			}
		}
		if !strings.HasPrefix(name, "NEO4J_") || entrypointVariables[name] {
			continue
		}
		s := setting{variable: name, name: settingName(name), value: value}
		switch {
		case value == "":
			problems = append(problems, fmt.Sprintf("%s is empty, so the image writes no setting %q for it; set a value or remove it", name, s.name))
		case s.name == "" || s.name[0] >= '0' && s.name[0] <= '9':
			problems = append(problems, fmt.Sprintf("%s gives the setting name %q, which the image skips (a setting may not start with a digit)", name, s.name))
		case strings.ContainsAny(value, "\n\r"):
			problems = append(problems, fmt.Sprintf("%s has a line break in its value, which breaks neo4j.conf", name))
		default:
			settings = append(settings, s)
		}
	}
	return settings, problems
}

// authProblem checks NEO4J_AUTH the way the entrypoint reads it: "none", or "neo4j/<password>"
// with a password other than "neo4j".
func authProblem(v string) string {
	switch {
	case v == "none":
		return ""
	case !strings.HasPrefix(v, "neo4j/"):
		return fmt.Sprintf("NEO4J_AUTH must be \"none\" or \"neo4j/<password>\", got %q", v)
	case v == "neo4j/" || v == "neo4j/neo4j":
		return "NEO4J_AUTH: the password after \"neo4j/\" must be set and may not be \"neo4j\""
	}
	return ""
}

// containerVariable finds $NAME and ${NAME...} in a healthcheck command as compose prints it,
// where "$$" stands for a "$" that reaches the container's shell.
var containerVariable = regexp.MustCompile(`\$\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// healthcheckProblems reports variables the healthcheck's shell reads that the container lacks.
func healthcheckProblems(name string, svc service) []string {
	if svc.Healthcheck == nil || svc.Healthcheck.Disable {
		return nil
	}
	var problems []string
	seen := map[string]bool{}
	for _, part := range svc.Healthcheck.Test {
		for _, m := range containerVariable.FindAllStringSubmatch(part, -1) {
			v := m[1]
			if seen[v] {
				continue
			}
			seen[v] = true
			if _, set := svc.Environment[v]; !set && !imageVariables[v] {
				problems = append(problems, fmt.Sprintf("the healthcheck of services.%s reads $%s, which services.%s.environment does not set", name, v, name))
			}
		}
	}
	return problems
}

// imageProblem checks that the image runs the Neo4j minor version the settings are validated
// against (the version pinned in tools/neo4j/pom.xml).
func imageProblem(image, version string) string {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return fmt.Sprintf("tools/neo4j/pom.xml pins Neo4j %q; want major.minor.patch", version)
	}
	minor := parts[0] + "." + parts[1]
	if !strings.HasPrefix(image, "neo4j:"+minor+".") && !strings.HasPrefix(image, "neo4j:"+minor+"-") && image != "neo4j:"+minor {
		return fmt.Sprintf("image %q is not Neo4j %s, the version whose settings this check knows (tools/neo4j/pom.xml pins %s)", image, minor, version)
	}
	return ""
}

// check validates the neo4j service of one compose file.
func check(file, name string, out io.Writer) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	svc, err := loadService(file, name)
	if err != nil {
		return err
	}
	version, err := pinnedVersion(root)
	if err != nil {
		return err
	}
	settings, problems := settingsOf(svc.Environment)
	if p := imageProblem(svc.Image, version); p != "" {
		problems = append(problems, p)
	}
	problems = append(problems, healthcheckProblems(name, svc)...)
	report, err := validate(root, settings)
	if err != nil {
		return err
	}
	problems = append(problems, report...)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(out, "compose: %s: services.%s: %s\n", file, name, p)
		}
		return fmt.Errorf("%s: the %s service would not start as configured (problems: %d, listed above)", file, name, len(problems))
	}
	fmt.Fprintf(out, "compose: %s: the %d settings the neo4j image writes from services.%s.environment are valid for Neo4j %s\n",
		file, len(settings), name, version)
	return nil
}

func loadService(file, name string) (service, error) {
	cmd := exec.Command("docker", "compose", "-f", file, "config", "--format", "json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		return service{}, fmt.Errorf("docker compose -f %s config: %v\n%s", file, err, stderr.String())
	}
	var project struct {
		Services map[string]service `json:"services"`
	}
	if err := json.Unmarshal(raw, &project); err != nil {
		return service{}, fmt.Errorf("reading the output of docker compose config: %w", err)
	}
	svc, ok := project.Services[name]
	if !ok {
		return service{}, fmt.Errorf("%s has no service %q", file, name)
	}
	return svc, nil
}

// validate writes the settings into the neo4j.conf of a scratch home and runs Neo4j's own
// validation on it. It returns the problems Neo4j reports, each tied to its variable.
func validate(root string, settings []setting) ([]string, error) {
	cp, err := classpath(root)
	if err != nil {
		return nil, err
	}
	home, err := os.MkdirTemp("", "compose-neo4j-conf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(home)
	conf := filepath.Join(home, "conf")
	if err := os.MkdirAll(conf, 0o755); err != nil {
		return nil, err
	}
	var lines strings.Builder
	for _, s := range settings {
		fmt.Fprintf(&lines, "%s=%s\n", s.name, s.value)
	}
	if err := os.WriteFile(filepath.Join(conf, "neo4j.conf"), []byte(lines.String()), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command("java", "-cp", cp, "org.neo4j.server.startup.Neo4jAdminCommand", "server", "validate-config")
	cmd.Env = append(os.Environ(), "NEO4J_HOME="+home, "NEO4J_CONF="+conf)
	output, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil, nil
	case !errors.As(err, &exit):
		return nil, fmt.Errorf("running Neo4j's validate-config: %v\n%s", err, output)
	}
	problems := explain(string(output), settings)
	if len(problems) == 0 {
		return nil, fmt.Errorf("Neo4j's validate-config failed (%v) without naming a setting:\n%s", err, output)
	}
	return problems, nil
}

// Neo4j names the setting an error is about in one of these two ways.
var (
	unknownSetting = regexp.MustCompile(`No declared setting with name: (\S+?)\.(\s|$)`)
	quotedSetting  = regexp.MustCompile(`setting '([^']+)'`)
)

// explain turns the "Error:" lines of validate-config into problems naming the variable.
func explain(output string, settings []setting) []string {
	byName := map[string]setting{}
	for _, s := range settings {
		byName[s.name] = s
	}
	var problems []string
	for _, line := range strings.Split(output, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "Error:") {
			continue
		}
		msg := strings.TrimSpace(strings.TrimPrefix(line, "Error:"))
		var named string
		if m := unknownSetting.FindStringSubmatch(msg); m != nil {
			named = m[1]
		} else if m := quotedSetting.FindStringSubmatch(msg); m != nil {
			named = m[1]
		}
		if s, ok := byName[named]; ok {
			problems = append(problems, fmt.Sprintf("%s becomes the neo4j.conf setting %q, which Neo4j refuses: %s", s.variable, s.name, msg))
		} else {
			problems = append(problems, "Neo4j refuses the configuration: "+msg)
		}
	}
	return problems
}

// classpath asks tools/neo4j/neo4j.sh for the jars of the pinned Neo4j (cached by Maven).
func classpath(root string) (string, error) {
	cmd := exec.Command(filepath.Join(root, "tools", "neo4j", "neo4j.sh"), "classpath")
	cmd.Env = append(os.Environ(), "NEO4J_LOCAL_HOME="+filepath.Join(root, ".local", "compose-check"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("tools/neo4j/neo4j.sh classpath: %v\n%s", err, stderr.String())
	}
	return strings.TrimSpace(string(out)), nil
}

var versionTag = regexp.MustCompile(`<neo4j.version>([^<]+)</neo4j.version>`)

func pinnedVersion(root string) (string, error) {
	pom, err := os.ReadFile(filepath.Join(root, "tools", "neo4j", "pom.xml"))
	if err != nil {
		return "", err
	}
	m := versionTag.FindSubmatch(pom)
	if m == nil {
		return "", fmt.Errorf("tools/neo4j/pom.xml has no <neo4j.version>")
	}
	return string(m[1]), nil
}

// repoRoot is the folder holding go.mod, above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		dir = parent
	}
}

package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// csrfExceptions are the graphql-http audits that fail on purpose: each sends a GET with no
// header that forces a CORS preflight, which the CSRF rule refuses (internal/httpapi
// transportRules). Any page on any site can make a browser send such a GET, so they stay
// refused; all three are MAY audits (notices, not warnings), and the test checks that the CSRF
// rule, and nothing else, is what fails them.
var csrfExceptions = map[string]string{
	"5A70": "MAY accept application/x-www-form-urlencoded formatted GET requests",
	"D6D5": "MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json",
	"6A70": "MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json",
}

type auditResult struct {
	ID, Name, Status, Reason string
	HTTPStatus               int `json:"httpStatus"`
	Body                     string
}

// TestGraphQLOverHTTPAudit builds and starts the real server binary over the test Neo4j on a
// loopback port and runs the GraphQL-over-HTTP audits of graphql-http (web/http-audit, pinned in
// its package-lock.json; `make e2e-deps` installs it) with node against it. It fails on any
// failed MUST (error) or SHOULD (warning), and on any failed MAY (notice) other than the CSRF
// exceptions above. Several audits query `__type`, which the default anonymous role may not, so
// the server runs with ANONYMOUS_ROLE=analyst, as `make run` and docker compose do.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	testenv.Driver(t) // starts the test Neo4j, and holds it for this package
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "web", "http-audit", "audit.mjs")
	if _, err := os.Stat(filepath.Join(root, "web", "http-audit", "node_modules", "graphql-http")); err != nil {
		t.Fatalf("graphql-http is not installed: %v (install it with: make e2e-deps)", err)
	}
	endpoint := startServerBinary(t, root)

	cmd := exec.Command("node", script, endpoint)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running the audit: %v\n%s%s", err, out, stderr.String())
	}
	var results []auditResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var r auditResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("audit output line %q: %v", sc.Text(), err)
		}
		results = append(results, r)
	}
	if len(results) == 0 {
		t.Fatalf("the audit reported nothing:\n%s", stderr.String())
	}

	counts := map[string]int{}
	for _, r := range results {
		counts[r.Status]++
		switch {
		case r.Status == "ok":
		case r.Status == "notice" && csrfExceptions[r.ID] != "":
			if r.HTTPStatus != http.StatusBadRequest || !strings.Contains(r.Body, "a GET request needs a header") {
				t.Errorf("audit %s %s fails for another reason than the CSRF rule: %s (status %d) %s", r.ID, r.Name, r.Reason, r.HTTPStatus, r.Body)
			}
		default:
			t.Errorf("audit %s (%s) %s: %s; answer %d %s", r.ID, r.Status, r.Name, r.Reason, r.HTTPStatus, r.Body)
		}
	}
	t.Logf("graphql-http audit: %d audits, %d passed, %d errors (MUST), %d warnings (SHOULD), %d notices (MAY)",
		len(results), counts["ok"], counts["error"], counts["warn"], counts["notice"])

	// The GET exceptions pass as soon as the request carries a preflight-forcing header: the
	// CSRF rule is the only difference.
	q := `query Type($name: String!) { __type(name: $name) { name } }`
	for _, ac := range []string{"", mediaJSON, mediaGraphQLResponse} {
		req, _ := http.NewRequest(http.MethodGet, endpoint+"?query="+url.QueryEscape(q)+"&variables="+url.QueryEscape(`{"name":"sometype"}`), nil)
		req.Header.Set("X-Requested-With", "XMLHttpRequest")
		if ac != "" {
			req.Header.Set("Accept", ac)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Errors []any }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(body.Errors) > 0 {
			t.Errorf("GET with X-Requested-With, Accept %q: %d %v", ac, resp.StatusCode, body.Errors)
		}
	}
}

// startServerBinary builds ./server, starts it on a free loopback port over the test Neo4j and
// returns its GraphQL endpoint; the server gets SIGTERM when the test ends.
func startServerBinary(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "server")
	build := exec.Command("go", "build", "-o", bin, "./server")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./server: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	uri, password := testenv.Settings()
	var logs bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "NEO4J_URI="+uri, "NEO4J_PASSWORD="+password, "LISTEN_ADDR="+addr,
		"ANONYMOUS_ROLE=analyst", "MIGRATE_ON_START=false", "LOG_LEVEL=warn", "API_KEYS_FILE=", "CORS_ALLOWED_ORIGINS=", "METRICS_ADDR=off")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base + "/graphql"
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("the server exited: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not answer /healthz within 30 s\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

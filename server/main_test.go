package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "server")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// withoutVariables is an environment without the named variables.
func withoutVariables(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(names, name) {
			out = append(out, kv)
		}
	}
	return out
}

func TestBadConfigurationNamesTheVariable(t *testing.T) {
	bin := buildServer(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "NEO4J_PASSWORD=x", "REQUEST_TIMEOUT=ten seconds")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("server started with a wrong REQUEST_TIMEOUT")
	}
	if !strings.Contains(string(out), "REQUEST_TIMEOUT") {
		t.Errorf("error does not name the variable:\n%s", out)
	}
}

// TestServesThenShutsDownOnSIGTERM starts the real binary over the test Neo4j, checks that it
// answers, sends SIGTERM and expects a clean exit.
func TestServesThenShutsDownOnSIGTERM(t *testing.T) {
	testenv.Driver(t) // starts the test Neo4j
	uri, password := testenv.Settings()
	bin := buildServer(t)
	addr := freeAddr(t)
	var logs bytes.Buffer
	cmd := exec.Command(bin)
	metricsAddr := freeAddr(t)
	// The Go runtime's own variables are left unset, so that the server's defaults apply.
	cmd.Env = append(withoutVariables(os.Environ(), "GOGC", "GOMEMLIMIT"), "NEO4J_URI="+uri, "NEO4J_PASSWORD="+password,
		"LISTEN_ADDR="+addr, "LOG_FORMAT=json", "METRICS_ADDR="+metricsAddr)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	var ready bool
	for i := 0; i < 100 && !ready; i++ {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			ready = resp.StatusCode == http.StatusOK
			resp.Body.Close()
		}
		if !ready {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !ready {
		t.Fatalf("server never became ready; logs:\n%s", logs.String())
	}
	resp, err := http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(`{"query":"{ about { name } }"}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("query: %v %v", resp, err)
	}
	resp.Body.Close()
	// The metrics are on their own listener, not on the API's port.
	if resp, err = http.Get("http://" + metricsAddr + "/metrics"); err != nil {
		t.Fatal(err)
	}
	scraped, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(scraped), `partnership_graph_graphql_requests_total{code="none",operation="_unnamed",outcome="success"} 1`) ||
		!strings.Contains(string(scraped), "process_cpu_seconds_total") {
		t.Errorf("GET /metrics on METRICS_ADDR: %d\n%s", resp.StatusCode, scraped)
	}
	// The garbage collection runs with the server's defaults, as the runtime itself reports them.
	for _, want := range []string{"\ngo_gc_gogc_percent 400\n", "\ngo_gc_gomemlimit_bytes 1.073741824e+09\n"} {
		if !strings.Contains(string(scraped), want) {
			t.Errorf("GET /metrics lacks %q: the defaults of GOGC and GOMEMLIMIT are not applied", strings.TrimSpace(want))
		}
	}
	if resp, err = http.Get("http://" + addr + "/metrics"); err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "partnership_graph_") {
			t.Error("the API's port serves the metrics by default")
		}
	}

	// A request in flight when SIGTERM arrives: its body is only half sent.
	body := `{"query":"{ about { name version } }"}`
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:10])
	time.Sleep(200 * time.Millisecond)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// New connections are refused while the one in flight finishes.
	refused := false
	for i := 0; i < 50 && !refused; i++ {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			refused = true
			break
		}
		c.Close()
		time.Sleep(50 * time.Millisecond)
	}
	if !refused {
		t.Error("new connections still accepted after SIGTERM")
	}
	if _, err := conn.Write([]byte(body[10:])); err != nil {
		t.Fatalf("finishing the request in flight: %v", err)
	}
	answer, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v\n%s", err, logs.String())
	}
	got, _ := io.ReadAll(answer.Body)
	if answer.StatusCode != http.StatusOK || !strings.Contains(string(got), `"name":"Partnership Graph"`) {
		t.Errorf("the request in flight got %d %s", answer.StatusCode, got)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not exit after SIGTERM; logs:\n%s", logs.String())
	}
	// In this order: the shutdown starts, the last request is logged, then the driver closes.
	last := -1
	for _, want := range []string{`"msg":"shutting down"`, `"path":"/graphql","status":200`, `"msg":"stopped"`} {
		i := strings.LastIndex(logs.String(), want)
		if i < 0 || i < last {
			t.Errorf("logs lack %s after the previous step:\n%s", want, logs.String())
		}
		last = i
	}
}

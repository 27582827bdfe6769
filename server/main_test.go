package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
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
	cmd.Env = append(os.Environ(), "NEO4J_URI="+uri, "NEO4J_PASSWORD="+password, "LISTEN_ADDR="+addr, "LOG_FORMAT=json")
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

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not exit after SIGTERM; logs:\n%s", logs.String())
	}
	for _, want := range []string{`"msg":"shutting down"`, `"msg":"stopped"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %s:\n%s", want, logs.String())
		}
	}
}

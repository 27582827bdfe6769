package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// server is a process started here, stopped at the end.
type server struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

// apiEnv is the API's configuration for the benchmark: analyst role for anonymous callers, and
// the rate limit, cost limit and admission caps raised so that the load is never refused.
func apiEnv(addr, uri, password string) []string {
	return []string{
		"NEO4J_URI=" + uri, "NEO4J_PASSWORD=" + password, "LISTEN_ADDR=" + addr,
		"ANONYMOUS_ROLE=analyst", "LOG_LEVEL=warn", "LOG_FORMAT=text", "METRICS_ADDR=off",
		"RATE_LIMIT_BURST=1000000000", "RATE_LIMIT_PER_SECOND=1000000000", "MAX_QUERY_COST=100000000",
		"MAX_CONCURRENT_PER_CLIENT=32", "MAX_IN_FLIGHT=32", "MAX_SCANS_IN_FLIGHT=32", "MAX_ANALYSES_IN_FLIGHT=32",
		"ANONYMOUS_STATEMENTS_IN_FLIGHT=44",
		"MAX_FILTER_ROWS=100000000",
	}
}

func startAPI(ctx context.Context, o options, uri, password string) (*server, error) {
	if _, err := os.Stat(o.serverBin); err != nil {
		return nil, fmt.Errorf("the API binary %s: %w (go build -o %s ./server)", o.serverBin, err, o.serverBin)
	}
	if err := portFree(o.apiAddr); err != nil {
		return nil, err
	}
	cmd := exec.Command(o.serverBin)
	cmd.Env = append(baseEnv(), apiEnv(o.apiAddr, uri, password)...)
	s, err := start("API", cmd, filepath.Join(filepath.Dir(o.out), "api.log"))
	if err != nil {
		return nil, err
	}
	return s.readyOrStop(ctx, func() bool { return answersOK(http.Get("http://" + o.apiAddr + "/readyz")) })
}

// answersOK tells whether a probe got 200, closing its body.
func answersOK(resp *http.Response, err error) bool {
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// readyOrStop waits until ready answers true, and stops the server when it never does.
func (s *server) readyOrStop(ctx context.Context, ready func() bool) (*server, error) {
	if err := s.waitReady(ctx, ready); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func startLibrary(ctx context.Context, o options, uri, password string) (*server, error) {
	if _, err := os.Stat(filepath.Join(o.libraryDir, "node_modules", "@neo4j", "graphql")); err != nil {
		return nil, fmt.Errorf("the library is not installed: run npm ci in %s", o.libraryDir)
	}
	addr := "127.0.0.1:" + strconv.Itoa(o.libraryPort)
	if err := portFree(addr); err != nil {
		return nil, err
	}
	cmd := exec.Command("node", "server.mjs")
	cmd.Dir = o.libraryDir
	cmd.Env = append(baseEnv(), "NEO4J_URI="+uri, "NEO4J_PASSWORD="+password,
		"LISTEN_HOST=127.0.0.1", "LISTEN_PORT="+strconv.Itoa(o.libraryPort), "NODE_ENV=production")
	s, err := start("library server", cmd, filepath.Join(filepath.Dir(o.out), "library.log"))
	if err != nil {
		return nil, err
	}
	return s.readyOrStop(ctx, func() bool {
		return answersOK(http.Post("http://"+addr+"/", "application/json", bytes.NewReader([]byte(`{"query":"{ __typename }"}`))))
	})
}

// baseEnv is this process's environment without the NEO4J_* and API settings the servers get
// explicitly.
func baseEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		switch {
		case len(kv) > 6 && kv[:6] == "NEO4J_", len(kv) > 12 && kv[:12] == "LISTEN_ADDR=":
		default:
			out = append(out, kv)
		}
	}
	return out
}

// portFree fails when something already listens on addr: the benchmark must not measure a
// server it did not start.
func portFree(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 300*time.Millisecond)
	if err != nil {
		return nil
	}
	c.Close()
	return fmt.Errorf("%s is in use: stop what listens there, or pick another port", addr)
}

func start(name string, cmd *exec.Cmd, logPath string) (*server, error) {
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return nil, err
	}
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	// The server ends with this process, even when it is killed before it can stop it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start the %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, done: make(chan struct{}), log: logPath}
	go func() {
		_ = cmd.Wait()
		log.Close()
		close(s.done)
	}()
	fmt.Fprintf(os.Stderr, "benchcompare: started the %s (pid %d, log %s)\n", name, cmd.Process.Pid, logPath)
	return s, nil
}

func (s *server) waitReady(ctx context.Context, ready func() bool) error {
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("the %s exited at start; see %s", s.name, s.log)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if ready() {
			return nil
		}
	}
	return fmt.Errorf("the %s was not ready after 90 s; see %s", s.name, s.log)
}

// stop asks the process to end, and kills it when it has not after 15 s.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	fmt.Fprintf(os.Stderr, "benchcompare: stopped the %s\n", s.name)
}

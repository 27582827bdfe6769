package testenv

import (
	"fmt"
	"net"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// RedisServer is a redis-server of a test's own (Debian's package; .ci/run installs it), on
// loopback and a port of its own, holding nothing on disk. It is stopped when the test ends.
type RedisServer struct {
	Port string
	URL  string // redis://127.0.0.1:Port/0
	cmd  *exec.Cmd
}

// Redis starts a redis-server on port (take it from Port) and returns once it answers.
func Redis(tb testing.TB, port string) *RedisServer {
	tb.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		tb.Fatalf("redis-server is not installed (apt-get install redis-server; .ci/run does it): %v", err)
	}
	r := &RedisServer{Port: port, URL: "redis://127.0.0.1:" + port + "/0"}
	r.Start(tb)
	tb.Cleanup(func() { r.Stop(tb) })
	return r
}

// Start starts the server (again) and waits until it accepts connections.
func (r *RedisServer) Start(tb testing.TB) {
	tb.Helper()
	if r.cmd != nil {
		return
	}
	if answers(r.Port) {
		tb.Fatalf("port %s on 127.0.0.1 is taken; a test Redis needs it", r.Port)
	}
	cmd := exec.Command("redis-server", "--port", r.Port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--protected-mode", "yes", "--loglevel", "warning", "--dir", tb.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlives the test binary
	if err := cmd.Start(); err != nil {
		tb.Fatalf("starting redis-server: %v", err)
	}
	r.cmd = cmd
	deadline := time.Now().Add(10 * time.Second)
	for !answers(r.Port) {
		if time.Now().After(deadline) {
			r.Stop(tb)
			tb.Fatalf("redis-server did not answer on 127.0.0.1:%s within 10s", r.Port)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop stops the server (its data is gone: it keeps nothing on disk).
func (r *RedisServer) Stop(tb testing.TB) {
	tb.Helper()
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		<-done
	}
	r.cmd = nil
}

func answers(port string) bool {
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 200*time.Millisecond)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// String names the server in messages.
func (r *RedisServer) String() string { return fmt.Sprintf("redis-server on 127.0.0.1:%s", r.Port) }

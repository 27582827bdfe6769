// Package neo4jtools tests tools/neo4j/neo4j.sh, the script that runs a real Neo4j without Docker.
package neo4jtools

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// script runs neo4j.sh on its own port (derived from the test Bolt port, testenv.Port) and
// folder, apart from the dev and test instances.
type script struct {
	t    *testing.T
	home string
	port string
}

func (s script) run(args ...string) (string, error) {
	cmd := exec.Command("./neo4j.sh", args...)
	cmd.Env = append(os.Environ(), "NEO4J_LOCAL_HOME="+s.home, "NEO4J_BOLT_PORT="+s.port,
		"NEO4J_PASSWORD=script-test", "NEO4J_START_TIMEOUT=120")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (s script) must(args ...string) string {
	s.t.Helper()
	out, err := s.run(args...)
	if err != nil {
		s.t.Fatalf("neo4j.sh %v: %v\n%s", args, err, out)
	}
	return out
}

func (s script) query(cypher string) (int64, error) {
	d, err := neo4j.NewDriverWithContext("bolt://127.0.0.1:"+s.port, neo4j.BasicAuth("neo4j", "script-test", ""))
	if err != nil {
		return 0, err
	}
	defer d.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := neo4j.ExecuteQuery(ctx, d, cypher, nil, neo4j.EagerResultTransformer)
	if err != nil {
		return 0, err
	}
	n, _ := res.Records[0].Get("n")
	return n.(int64), nil
}

func TestStartStopRestartAndStalePid(t *testing.T) {
	s := script{t: t, home: filepath.Join(t.TempDir(), "neo4j"), port: testenv.Port(1)}
	t.Cleanup(func() { _, _ = s.run("stop") })

	if out := s.must("start"); !strings.Contains(out, "ready on bolt://127.0.0.1:"+s.port) {
		t.Fatalf("first start: %s", out)
	}
	if out := s.must("start"); !strings.Contains(out, "already running") {
		t.Errorf("second start should be harmless: %s", out)
	}
	if _, err := s.query("CREATE (n:ScriptTest) RETURN count(n) AS n"); err != nil {
		t.Fatal(err)
	}

	// A killed server leaves its pid file behind; status says so and start recovers.
	pidText, err := os.ReadFile(filepath.Join(s.home, "neo4j.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(pidText)))
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50 && syscall.Kill(pid, 0) == nil; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if out, err := s.run("status"); err == nil || !strings.Contains(out, "not running") {
		t.Errorf("status after kill -9: %v %s", err, out)
	}
	if out := s.must("start"); !strings.Contains(out, "ready on") {
		t.Fatalf("start after kill -9: %s", out)
	}
	if n, err := s.query("MATCH (n:ScriptTest) RETURN count(n) AS n"); err != nil || n != 1 {
		t.Errorf("data after kill -9 and restart: %d nodes, %v; want 1", n, err)
	}

	// A clean stop and start keeps the data too; stopping twice is harmless.
	s.must("stop")
	if out := s.must("stop"); !strings.Contains(out, "not running") {
		t.Errorf("second stop: %s", out)
	}
	s.must("start")
	if n, err := s.query("MATCH (n:ScriptTest) RETURN count(n) AS n"); err != nil || n != 1 {
		t.Errorf("data after stop and start: %d nodes, %v; want 1", n, err)
	}
	s.must("stop")
}

func TestPortTakenByAnotherProcessIsReported(t *testing.T) {
	s := script{t: t, home: filepath.Join(t.TempDir(), "neo4j"), port: testenv.Port(2)}
	ln, err := net.Listen("tcp", "127.0.0.1:"+s.port)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	out, err := s.run("start")
	if err == nil || !strings.Contains(out, "port "+s.port+" on 127.0.0.1 is taken") {
		t.Errorf("want a clear error for a taken port, got %v: %s", err, out)
	}
}

func TestBadPortIsRefused(t *testing.T) {
	s := script{t: t, home: filepath.Join(t.TempDir(), "neo4j"), port: "70000"}
	out, err := s.run("start")
	if err == nil || !strings.Contains(out, "NEO4J_BOLT_PORT must be between 1 and 65535") {
		t.Errorf("got %v: %s", err, out)
	}
}

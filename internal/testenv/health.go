package testenv

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Neo4jHome is the folder of the test Neo4j.
func Neo4jHome() string {
	root, _ := RepoRoot()
	return env("NEO4J_LOCAL_HOME", filepath.Join(root, ".local", "neo4j-test"))
}

// Neo4jPID is the process id of the test Neo4j, from its pid file.
func Neo4jPID() (int, error) { return pidIn(Neo4jHome()) }

// PID is the process id of the instance, from its pid file.
func (in *Instance) PID() (int, error) { return pidIn(in.Home) }

func pidIn(home string) (int, error) {
	b, err := os.ReadFile(filepath.Join(home, "neo4j.pid"))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// cpuTicks reads the user and system time of a process, in clock ticks.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces; the fields that follow it are fixed.
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime, nil
}

// RunningTransactions lists the queries Neo4j is running, other than the listing itself.
func RunningTransactions(ctx context.Context, d neo4j.DriverWithContext) ([]string, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, "SHOW TRANSACTIONS YIELD currentQuery, status RETURN currentQuery, status",
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range res.Records {
		q, _ := r.Get("currentQuery")
		s, _ := q.(string)
		if !strings.HasPrefix(strings.TrimSpace(s), "SHOW TRANSACTIONS") {
			out = append(out, s)
		}
	}
	return out, nil
}

// ExpectNeo4jIdle fails the test unless, within a second, Neo4j runs no query and its process
// spends less than a fifth of one core over a quarter of a second (what "idle" means on a
// machine where tests share two cores).
func ExpectNeo4jIdle(tb testing.TB) {
	tb.Helper()
	d := Driver(tb)
	deadline := time.Now().Add(time.Second)
	var running []string
	for {
		var err error
		if running, err = RunningTransactions(context.Background(), d); err != nil {
			tb.Fatalf("listing Neo4j's transactions: %v", err)
		}
		if len(running) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(running) > 0 {
		tb.Errorf("Neo4j still runs %d queries a second later: %.200q", len(running), running)
	}
	pid, err := Neo4jPID()
	if err != nil {
		tb.Fatalf("test Neo4j pid: %v", err)
	}
	const ticksPerSecond = 100 // USER_HZ on Linux
	deadline = time.Now().Add(time.Second)
	for {
		before, err := cpuTicks(pid)
		if err != nil {
			tb.Fatalf("Neo4j's CPU time: %v", err)
		}
		time.Sleep(250 * time.Millisecond)
		after, _ := cpuTicks(pid)
		used := float64(after-before) / ticksPerSecond / 0.25
		if used < 0.2 {
			return
		}
		if time.Now().After(deadline) {
			tb.Errorf("Neo4j still busy a second later: %.0f%% of a core", used*100)
			return
		}
	}
}

// HeapInUse is the Go heap in use after a collection, for checks that memory comes back.
func HeapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

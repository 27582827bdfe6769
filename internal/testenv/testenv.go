// Package testenv gives integration tests a real Neo4j: it starts the project's test instance
// with tools/neo4j/neo4j.sh (the same script `make neo4j-start` uses) and lets one test package
// at a time use it, since packages share the one database of Neo4j Community.
package testenv

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/importer"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Settings of the test Neo4j; `make test` passes the same through the environment.
const (
	defaultBoltPort = "7688"
	defaultPassword = "partnership-graph-local"
)

var (
	once     sync.Once
	shared   neo4j.DriverWithContext
	setupErr error
	lockFile *os.File
)

// RepoRoot is the folder holding go.mod.
func RepoRoot() (string, error) {
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
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// Port is the test Bolt port plus offset: tests that need ports of their own (a Neo4j they stop
// and start, a port they hold) take them from here, so that every port of a test run derives
// from the one base `make test` passes as NEO4J_BOLT_PORT (TEST_NEO4J_BOLT_PORT), and two suites
// on bases at least 10 apart never collide. Offsets in use: 1 and 2 in tools/neo4j, 3 in
// internal/httpapi, 4 in tools/make, 5 in internal/sharedstate (a Redis), 6 in internal/httpapi
// (a Redis), 7 in server (the scale-out test's Redis; its API instances listen on ports the
// kernel picks). 8 and 9 are free.
func Port(offset int) string {
	raw := boltPort()
	base, err := strconv.Atoi(raw)
	if err != nil || base < 1 || base+offset > 65535 || offset < 0 {
		panic(fmt.Sprintf("testenv: NEO4J_BOLT_PORT %q plus %d is not a port", raw, offset))
	}
	return strconv.Itoa(base + offset)
}

// Settings returns the URI and password of the test Neo4j.
func Settings() (uri, password string) {
	return Scheme() + "://127.0.0.1:" + boltPort(), env("NEO4J_PASSWORD", defaultPassword)
}

// Scheme is how tests reach their Neo4j: "neo4j" (the routing protocol, as against a cluster)
// when NEO4J_URI is neo4j:// on the test port (`make test TEST_NEO4J_SCHEME=neo4j`), else
// "bolt" (one direct connection).
func Scheme() string {
	if u, err := url.Parse(os.Getenv("NEO4J_URI")); err == nil && u.Scheme == "neo4j" && u.Port() == boltPort() {
		return "neo4j"
	}
	return "bolt"
}

// boltPort is the test Neo4j's Bolt port: NEO4J_BOLT_PORT (what `make test` passes) or
// TEST_NEO4J_BOLT_PORT (what a developer sets for the Makefile and may pass to `go test` alone),
// 7688 when neither is set. Two different values are refused: a test run must never write into a
// Neo4j it was not meant for.
func boltPort() string {
	port, test := os.Getenv("NEO4J_BOLT_PORT"), os.Getenv("TEST_NEO4J_BOLT_PORT")
	switch {
	case port != "" && test != "" && port != test:
		panic(fmt.Sprintf("testenv: NEO4J_BOLT_PORT=%s and TEST_NEO4J_BOLT_PORT=%s name two test Neo4js; set one, or both alike", port, test))
	case port != "":
		return port
	case test != "":
		return test
	}
	return defaultBoltPort
}

func setup() (neo4j.DriverWithContext, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	home := env("NEO4J_LOCAL_HOME", filepath.Join(root, ".local", "neo4j-test"))
	port := boltPort()
	_, password := Settings()

	cmd := exec.Command(filepath.Join(root, "tools", "neo4j", "neo4j.sh"), "start")
	cmd.Env = append(os.Environ(), "NEO4J_LOCAL_HOME="+home, "NEO4J_BOLT_PORT="+port, "NEO4J_PASSWORD="+password)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("starting the test Neo4j with tools/neo4j/neo4j.sh: %v\n%s", err, out)
	}

	// One package at a time: the lock is held until the test binary exits. A fuzzing worker is a
	// child of the test binary that holds the lock already, so it does not take it again.
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" {
		return connect(password)
	}
	lockFile, err = os.OpenFile(filepath.Join(home, "tests.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(lockFile.Fd()), syscall.LOCK_EX); err != nil {
		return nil, fmt.Errorf("locking the test Neo4j: %w", err)
	}

	return connect(password)
}

func connect(password string) (neo4j.DriverWithContext, error) {
	uri, _ := Settings()
	driver, err := store.NewDriver(store.DriverOptions{URI: uri, User: "neo4j", Password: password, RequestTimeout: 30 * time.Second})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := driver.VerifyConnectivity(ctx); err != nil {
		return nil, fmt.Errorf("test Neo4j at %s does not answer: %w", uri, err)
	}
	return driver, nil
}

// Driver returns the driver of the test Neo4j, starting the server when needed. It fails the
// test (never skips it) when Neo4j cannot be started.
func Driver(tb testing.TB) neo4j.DriverWithContext {
	tb.Helper()
	once.Do(func() { shared, setupErr = setup() })
	if setupErr != nil {
		tb.Fatalf("test Neo4j: %v", setupErr)
	}
	return shared
}

// EmptyStore returns a store over the test Neo4j with the graph emptied and migrations applied.
func EmptyStore(tb testing.TB) *store.Store {
	tb.Helper()
	d := Driver(tb)
	ctx := context.Background()
	// Test scaffolding only: the store never deletes everything. Small transactions, so that a
	// large graph left by the benchmarks is emptied too.
	session := d.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite})
	defer session.Close(ctx)
	for _, q := range []string{
		"MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
		"MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
	} {
		res, err := session.Run(ctx, q, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			tb.Fatalf("emptying the test graph: %v", err)
		}
	}
	st := store.New(d, "neo4j")
	if _, err := st.Migrate(ctx); err != nil {
		tb.Fatalf("migrating the test graph: %v", err)
	}
	return st
}

// LoadDataset reads a dataset folder (relative to the repository root when not absolute) and
// loads it into st as the curated dataset.
func LoadDataset(tb testing.TB, st *store.Store, dir string) *dataset.Dataset {
	tb.Helper()
	if !filepath.IsAbs(dir) {
		root, err := RepoRoot()
		if err != nil {
			tb.Fatal(err)
		}
		dir = filepath.Join(root, dir)
	}
	d, err := dataset.Read(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if _, _, err := st.ReplaceDataset(context.Background(), store.DatasetCurated, d); err != nil {
		tb.Fatalf("loading %s: %v", dir, err)
	}
	return d
}

// Instance is a Neo4j of a test's own, apart from the shared test instance, for tests that stop
// and start it.
type Instance struct {
	URI      string
	Password string
	Home     string // its folder: data, logs, pid file
	script   string
	env      []string
}

// OwnNeo4j starts (or reuses) a Neo4j on its own port (take it from Port) and folder under
// .local/ (named after name and port), and stops it when the test ends.
func OwnNeo4j(tb testing.TB, name, port string) *Instance {
	tb.Helper()
	root, err := RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	home := filepath.Join(root, ".local", name+"-"+port)
	in := &Instance{
		URI: Scheme() + "://127.0.0.1:" + port, Password: defaultPassword, Home: home,
		script: filepath.Join(root, "tools", "neo4j", "neo4j.sh"),
		env: append(os.Environ(), "NEO4J_LOCAL_HOME="+home,
			"NEO4J_BOLT_PORT="+port, "NEO4J_PASSWORD="+defaultPassword),
	}
	in.Start(tb)
	tb.Cleanup(func() { in.Stop(tb) })
	return in
}

// Start starts the instance and returns once it answers on Bolt.
func (in *Instance) Start(tb testing.TB) { in.run(tb, "start") }

// Stop stops the instance.
func (in *Instance) Stop(tb testing.TB) { in.run(tb, "stop") }

func (in *Instance) run(tb testing.TB, verb string) {
	tb.Helper()
	cmd := exec.Command(in.script, verb)
	cmd.Env = in.env
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("neo4j.sh %s: %v\n%s", verb, err, out)
	}
}

// LoadDefaultGraph loads what `make run` serves into st: the curated seed, then the EUTF for
// Africa export of seed/eutf.
func LoadDefaultGraph(tb testing.TB, st *store.Store) {
	tb.Helper()
	LoadDataset(tb, st, "seed/data")
	root, err := RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := importer.ImportEUTF(context.Background(), st, filepath.Join(root, "seed", "eutf"), importer.Options{}); err != nil {
		tb.Fatalf("import the EUTF export: %v", err)
	}
}

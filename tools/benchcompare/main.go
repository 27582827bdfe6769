// Command benchcompare measures this API side by side with the Neo4j GraphQL Library over the same
// Neo4j and the same synthetic graph, with hand-written Cypher through the Go driver as the floor,
// both in process and behind a minimal HTTP handler (`make bench-compare`). For each query shape
// it checks that every system returns the same data, then loads each at every concurrency,
// interleaved and repeated, and writes a Markdown report.
//
//	go run ./tools/benchcompare [-projects 100000] [-duration 10s] [-rounds 3] [-conns 1,8] [-quick]
//
// It reads NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD; it starts the API (-server-bin) and the
// library's server (node web/bench-compare/server.mjs) on loopback, and stops them at the end.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
)

type options struct {
	projects    int
	duration    time.Duration
	warmup      time.Duration
	rounds      int
	conns       []int
	shapes      []string // names (or parts of names) of the shapes to run; all when empty
	out         string
	serverBin   string
	apiAddr     string
	libraryDir  string
	libraryPort int
	apiURL      string // use a running API instead of starting one
	libraryURL  string // use a running library server instead of starting one
	ensureGraph bool
}

func main() {
	if err := benchmark(); err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare:", err)
		os.Exit(1)
	}
}

func parseFlags() (options, error) {
	var o options
	var conns, shapesRe string
	quick := flag.Bool("quick", false, "development run: 2 s per run, 1 round, short warm-up")
	flag.IntVar(&o.projects, "projects", envInt("BENCH_PROJECTS", synthetic.Scale.Projects), "projects in the synthetic graph (BENCH_PROJECTS)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of one timed run")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "untimed load before each shape's runs, per system")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds per shape and concurrency (each round runs every system once, interleaved)")
	flag.StringVar(&conns, "conns", "1,8", "concurrencies (connections), comma-separated")
	flag.StringVar(&shapesRe, "shapes", "", "only these shapes: comma-separated names or parts of names (first-page,search)")
	flag.StringVar(&o.out, "out", ".local/bench-compare/report.md", "where to write the report (also printed)")
	flag.StringVar(&o.serverBin, "server-bin", ".local/bench-compare/server", "the API binary (go build ./server)")
	flag.StringVar(&o.apiAddr, "api-addr", "127.0.0.1:8188", "where the API started here listens")
	flag.StringVar(&o.libraryDir, "library-dir", "web/bench-compare", "folder of the library server (npm ci done)")
	flag.IntVar(&o.libraryPort, "library-port", 4188, "port of the library server started here (on 127.0.0.1)")
	flag.StringVar(&o.apiURL, "api-url", "", "GraphQL URL of an API already running (then none is started)")
	flag.StringVar(&o.libraryURL, "library-url", "", "GraphQL URL of a library server already running (then none is started)")
	flag.BoolVar(&o.ensureGraph, "ensure-graph", true, "generate the synthetic graph when the database does not hold it at this size")
	flag.Parse()
	if *quick {
		o.duration, o.rounds, o.warmup = 2*time.Second, 1, 500*time.Millisecond
	}
	for _, c := range strings.Split(conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			return o, fmt.Errorf("-conns: %q is not a positive number", c)
		}
		o.conns = append(o.conns, n)
	}
	if o.rounds < 1 || o.duration <= 0 || o.projects < 1 {
		return o, errors.New("-rounds, -duration and -projects must be positive")
	}
	for _, s := range strings.Split(shapesRe, ",") {
		if s = strings.TrimSpace(s); s != "" {
			o.shapes = append(o.shapes, s)
		}
	}
	return o, nil
}

func (o options) selected(name string) bool {
	if len(o.shapes) == 0 {
		return true
	}
	for _, s := range o.shapes {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

func envInt(name string, fallback int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return fallback
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func benchmark() error {
	o, err := parseFlags()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	uri := env("NEO4J_URI", "bolt://127.0.0.1:7688")
	password := os.Getenv("NEO4J_PASSWORD")
	if password == "" {
		return errors.New("NEO4J_PASSWORD is required")
	}
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.BasicAuth(env("NEO4J_USER", "neo4j"), password, ""),
		func(c *neo4j.Config) { c.MaxConnectionPoolSize = 64 })
	if err != nil {
		return err
	}
	defer driver.Close(context.Background())
	if err := driver.VerifyConnectivity(ctx); err != nil {
		return fmt.Errorf("Neo4j at %s: %w", uri, err)
	}
	if o.ensureGraph {
		if err := ensureGraph(ctx, driver, o.projects); err != nil {
			return err
		}
	}

	apiURL, libraryURL := o.apiURL, o.libraryURL
	if apiURL == "" {
		srv, err := startAPI(ctx, o, uri, password)
		if err != nil {
			return err
		}
		defer srv.stop()
		apiURL = "http://" + o.apiAddr + "/graphql"
	}
	if libraryURL == "" {
		srv, err := startLibrary(ctx, o, uri, password)
		if err != nil {
			return err
		}
		defer srv.stop()
		libraryURL = fmt.Sprintf("http://127.0.0.1:%d/", o.libraryPort)
	}

	maxConns := 1
	for _, c := range o.conns {
		maxConns = max(maxConns, c)
	}
	client := &http.Client{
		Timeout:   60 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 4 * maxConns, MaxIdleConnsPerHost: 2 * maxConns, IdleConnTimeout: time.Minute},
	}

	info, err := readGraph(ctx, driver, client, apiURL)
	if err != nil {
		return err
	}
	rep := &report{opts: o, info: info, uri: uri, started: time.Now()}
	rep.describeGraph(ctx, driver)
	all := shapes(info)
	floors, err := startFloorServer(driver, all)
	if err != nil {
		return err
	}
	defer floors.stop()
	for _, s := range all {
		if !o.selected(s.name) {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		res := measure(ctx, o, s, client, apiURL, libraryURL, driver, floors)
		rep.results = append(rep.results, res)
	}
	text := rep.markdown()
	fmt.Print(text)
	if o.out != "" {
		if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(o.out, []byte(text), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "benchcompare: report written to %s\n", o.out)
	}
	return nil
}

// ensureGraph makes the database hold the synthetic graph of that many projects (the other sizes
// at their defaults, seed 1, as `make bench` does) and the latest migrations (the API would
// otherwise apply them while it starts, within its own deadline). Whatever else it holds (a graph
// written half-way, of another size, other datasets) is replaced.
func ensureGraph(ctx context.Context, driver neo4j.DriverWithContext, projects int) error {
	st := store.New(driver, env("NEO4J_DATABASE", "neo4j"))
	size := synthetic.Scale
	size.Projects = projects
	start := time.Now()
	wrote, sum, err := synthetic.Ensure(ctx, st, size, 1)
	if err != nil {
		return fmt.Errorf("synthetic graph of %d projects: %w", projects, err)
	}
	if wrote {
		fmt.Fprintf(os.Stderr, "benchcompare: wrote the synthetic graph of %d projects (%d nodes, %d relationships) in %s (removing what the database held: %s)\n",
			projects, sum.Nodes, sum.Rels, time.Since(start).Round(time.Second), sum.Removal.Round(time.Second))
	}
	return nil
}

// readGraph reads what the shapes need from the graph, and this API's cursor for the deep page.
func readGraph(ctx context.Context, driver neo4j.DriverWithContext, client *http.Client, apiURL string) (graphInfo, error) {
	var g graphInfo
	q := func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			return nil, err
		}
		return res.Records, nil
	}
	recs, err := q(`MATCH (p:Project) RETURN count(p) AS n`, nil)
	if err != nil {
		return g, err
	}
	g.projects = int(get(recs[0], "n").(int64))
	if recs, err = q(`MATCH (c:Country) RETURN c.iso2 AS code ORDER BY code`, nil); err != nil {
		return g, err
	}
	for _, r := range recs {
		g.countries = append(g.countries, get(r, "code").(string))
	}
	if recs, err = q(`MATCH (o:Organisation) WHERE EXISTS { (o)-[:FUNDS]->() } RETURN o.id AS key ORDER BY key LIMIT 10`, nil); err != nil {
		return g, err
	}
	for _, r := range recs {
		g.donors = append(g.donors, get(r, "key").(string))
	}
	if len(g.countries) == 0 || g.projects < 2*pageSize || len(g.donors) == 0 {
		return g, fmt.Errorf("the graph holds %d projects, %d countries, %d donors: generate the synthetic graph first", g.projects, len(g.countries), len(g.donors))
	}
	g.deepAfter = min(50_000, g.projects/2)
	if recs, err = q(`MATCH (p:Project) RETURN p.title AS title, p.id AS key ORDER BY p.title, p.id SKIP $skip LIMIT 2`,
		map[string]any{"skip": g.deepAfter - 1}); err != nil {
		return g, err
	}
	if len(recs) < 2 {
		return g, fmt.Errorf("the graph holds %d projects, fewer than the deep page needs", g.projects)
	}
	g.deepTitle, g.deepKey = get(recs[0], "title").(string), get(recs[0], "key").(string)
	g.deepCursor, err = deepCursor(ctx, client, apiURL, g, get(recs[1], "key").(string))
	return g, err
}

// deepCursor is this API's cursor of the row before the deep page: the cursor as the API builds
// it today when the API gives the deep page's first row (next) after it, else the one it returns
// when paged through.
func deepCursor(ctx context.Context, client *http.Client, apiURL string, g graphInfo, next string) (string, error) {
	query := func(after string, first int) string {
		a := ""
		if after != "" {
			a = fmt.Sprintf(", after: %q", after)
		}
		return fmt.Sprintf(`{ projects(first: %d%s, orderBy: [{field: TITLE, direction: ASC}]) { pageInfo { endCursor } edges { node { key } } } }`, first, a)
	}
	built := builtCursor(g.deepTitle, g.deepKey)
	if data, err := newGraphQLTarget(client, apiURL, query(built, 1)).data(ctx); err == nil {
		if ns := nodes(at(data, "projects")); len(ns) == 1 && at(ns[0], "key") == next {
			return built, nil
		}
	}
	fmt.Fprintf(os.Stderr, "benchcompare: the API's cursors changed; paging through %d rows for the deep page's cursor\n", g.deepAfter)
	after := ""
	for seen := 0; seen < g.deepAfter; {
		n := min(100, g.deepAfter-seen)
		data, err := newGraphQLTarget(client, apiURL, query(after, n)).data(ctx)
		if err != nil {
			return "", fmt.Errorf("paging for the deep cursor: %w", err)
		}
		c, _ := at(data, "projects", "pageInfo", "endCursor").(string)
		if c == "" {
			return "", errors.New("paging for the deep cursor: the list ended early")
		}
		after, seen = c, seen+n
	}
	return after, nil
}

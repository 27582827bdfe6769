package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

type report struct {
	opts    options
	info    graphInfo
	uri     string
	started time.Time
	nodes   int64
	rels    int64
	results []*result
}

func (r *report) describeGraph(ctx context.Context, driver neo4j.DriverWithContext) {
	count := func(cypher string) int64 {
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
		if err != nil || len(res.Records) == 0 {
			return -1
		}
		n, _ := get(res.Records[0], "n").(int64)
		return n
	}
	r.nodes = count(`MATCH (n:Entity) RETURN count(n) AS n`)
	r.rels = count(`MATCH ()-[r]->() RETURN count(r) AS n`)
}

// version of an npm package installed in the library's folder.
func (r *report) version(pkg string) string {
	raw, err := os.ReadFile(filepath.Join(r.opts.libraryDir, "node_modules", pkg, "package.json"))
	if err != nil {
		return "?"
	}
	var p struct{ Version string }
	_ = json.Unmarshal(raw, &p)
	return p.Version
}

func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "?"
	}
	s := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		s += " (with local changes)"
	}
	return s
}

func (r *report) markdown() string {
	var b strings.Builder
	o := r.opts
	fmt.Fprintf(&b, "# bench-compare: this API, the Neo4j GraphQL Library, hand-written Cypher\n\n")
	fmt.Fprintf(&b, "- When: %s; API commit %s.\n", r.started.Format("2006-01-02 15:04 MST"), commit())
	fmt.Fprintf(&b, "- Graph: synthetic, %d projects (%d nodes, %d relationships), in the Neo4j at %s.\n",
		r.info.projects, r.nodes, r.rels, r.uri)
	fmt.Fprintf(&b, "- Library: @neo4j/graphql %s on @apollo/server %s (standalone server), neo4j-driver %s, Node %s.\n",
		r.version("@neo4j/graphql"), r.version("@apollo/server"), r.version("neo4j-driver"), nodeVersion())
	if os.Getenv("BENCH_LIBRARY_NODELAY") == "0" {
		fmt.Fprintf(&b, "- The library's Bolt sockets keep Nagle's algorithm on (BENCH_LIBRARY_NODELAY=0, the driver's default): statements with larger answers wait about 40 ms for a delayed ACK.\n")
	} else {
		fmt.Fprintf(&b, "- The library's Bolt sockets have TCP_NODELAY (web/bench-compare/server.mjs; neo4j-driver 5 leaves Nagle's algorithm on, which costs about 40 ms per statement with a larger answer; BENCH_LIBRARY_NODELAY=0 measures that default).\n")
	}
	fmt.Fprintf(&b, "- Floor: the same data with hand-written Cypher through the Go driver (one statement per request), "+
		"run in this process; floor (HTTP): the same statement behind a minimal Go net/http handler on loopback that "+
		"writes the records as JSON (an HTTP round trip, JSON encoding and decoding on top of the floor).\n")
	fmt.Fprintf(&b, "- Load: closed loops on loopback (each connection sends its next request when the answer is in), "+
		"%s per run, %d round(s) per shape and concurrency, each round running API, library, floor, floor (HTTP) in turn; "+
		"%s of warm-up per system and shape; load generator, servers and Neo4j share %d CPUs (%s/%s).\n",
		o.duration, o.rounds, o.warmup, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "- req/s: successful requests per second over all rounds; p50/p99: latency of the successful requests; "+
		"ratios above 1 mean the API is faster. Failed requests are counted apart.\n\n")

	b.WriteString("| shape | conns | API req/s | API p50 / p99 | library req/s | library p50 / p99 | floor req/s | floor p50 / p99 | floor (HTTP) req/s | floor (HTTP) p50 / p99 | API ÷ library | API ÷ floor | API ÷ floor (HTTP) |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, res := range r.results {
		for _, c := range o.conns {
			st := res.stats[c]
			if st == nil {
				continue
			}
			cells := []string{"`" + res.shape.name + "`", fmt.Sprint(c)}
			for i := range systems {
				if i == sysLib && res.shape.lib == "" {
					cells = append(cells, "cannot", "—")
					continue
				}
				cells = append(cells, rateCell(&st[i]), latencyCell(&st[i]))
			}
			cells = append(cells, ratio(&st[sysOurs], &st[sysLib], res.shape.lib != ""), ratio(&st[sysOurs], &st[sysFloor], true),
				ratio(&st[sysOurs], &st[sysFloorHTTP], true))
			b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		}
	}

	b.WriteString("\n## Same data\n\n")
	for _, res := range r.results {
		who := "the API, the library and both floors"
		if res.shape.lib == "" {
			who = "the API and both floors"
		}
		if res.check == "" {
			fmt.Fprintf(&b, "- `%s`: identical from %s.\n", res.shape.name, who)
		} else {
			fmt.Fprintf(&b, "- `%s`: **NOT identical**: %s\n", res.shape.name, res.check)
		}
	}

	b.WriteString("\n## Shapes\n\n")
	for _, res := range r.results {
		s := res.shape
		fmt.Fprintf(&b, "- `%s`: %s.", s.name, s.title)
		if s.libNote != "" {
			fmt.Fprintf(&b, " Library: %s.", s.libNote)
		}
		if s.note != "" {
			fmt.Fprintf(&b, " Note: %s.", s.note)
		}
		b.WriteString("\n")
	}

	b.WriteString("\n## Rounds (req/s of each run) and failures\n\n")
	for _, res := range r.results {
		for _, c := range o.conns {
			st := res.stats[c]
			if st == nil {
				continue
			}
			parts := []string{}
			for i := range systems {
				if len(st[i].runs) == 0 {
					continue
				}
				p := systemNames[i] + " " + joinRates(st[i].roundRates())
				if n, first := st[i].failed(); n > 0 {
					p += fmt.Sprintf(" (%d failed, first: %s)", n, oneLine(first))
				}
				parts = append(parts, p)
			}
			fmt.Fprintf(&b, "- `%s` at %d: %s\n", res.shape.name, c, strings.Join(parts, "; "))
		}
	}

	b.WriteString("\n## Queries\n\n")
	for _, res := range r.results {
		s := res.shape
		fmt.Fprintf(&b, "### %s\n\nAPI:\n\n```graphql\n%s\n```\n\n", s.name, s.ours)
		if s.lib != "" {
			fmt.Fprintf(&b, "Library:\n\n```graphql\n%s\n```\n\n", s.lib)
		}
		fmt.Fprintf(&b, "Floor:\n\n```cypher\n%s\n```\n\n", s.floor)
	}
	return b.String()
}

func rateCell(s *stats) string {
	if len(s.runs) == 0 {
		return "—"
	}
	out := fmt.Sprintf("%.1f", s.rate())
	if n, _ := s.failed(); n > 0 {
		out += fmt.Sprintf(" (%d failed)", n)
	}
	return out
}

func latencyCell(s *stats) string {
	if len(s.runs) == 0 || s.rate() == 0 {
		return "—"
	}
	return fmt.Sprintf("%s / %s", msShort(s.percentile(50)), msShort(s.percentile(99)))
}

func msShort(d time.Duration) string {
	f := float64(d.Microseconds()) / 1000
	switch {
	case f >= 100:
		return fmt.Sprintf("%.0f ms", f)
	case f >= 10:
		return fmt.Sprintf("%.1f ms", f)
	default:
		return fmt.Sprintf("%.2f ms", f)
	}
}

func ratio(a, b *stats, ok bool) string {
	if !ok || len(a.runs) == 0 || len(b.runs) == 0 || b.rate() == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", a.rate()/b.rate())
}

func joinRates(rates []float64) string {
	parts := make([]string, len(rates))
	for i, r := range rates {
		parts[i] = fmt.Sprintf("%.1f", r)
	}
	return strings.Join(parts, ", ")
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}

func nodeVersion() string {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
}

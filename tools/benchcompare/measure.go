package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The systems, in the order each round runs them: this API, the library, the floor in process
// (the driver alone) and the floor over HTTP (the driver behind a minimal net/http handler).
const (
	sysOurs = iota
	sysLib
	sysFloor
	sysFloorHTTP
	systems
)

var systemNames = [systems]string{"API", "library", "floor", "floor (HTTP)"}

// result is everything measured for one shape.
type result struct {
	shape shape
	// check says whether the systems gave the same data: "" when identical, else what differed.
	check string
	stats map[int]*[systems]stats // by concurrency
}

func measure(ctx context.Context, o options, s shape, client *http.Client, apiURL, libraryURL string, driver neo4j.DriverWithContext, floors *floorServer) *result {
	res := &result{shape: s, stats: map[int]*[systems]stats{}}
	ours := newGraphQLTarget(client, apiURL, s.ours)
	floor := &cypherTarget{driver: driver, cypher: s.floor, params: s.floorParams}
	floorHTTP := floors.target(client, s)
	var lib *graphqlTarget
	if s.lib != "" {
		lib = newGraphQLTarget(client, libraryURL, s.lib)
	}
	var broken [systems]bool
	res.check, broken = check(ctx, s, ours, lib, floor, floorHTTP)
	if res.check == "" {
		fmt.Fprintf(os.Stderr, "benchcompare: %s: same data from every system\n", s.name)
	} else {
		fmt.Fprintf(os.Stderr, "benchcompare: %s: %s\n", s.name, res.check)
	}
	targets := [systems]target{ours, nil, floor, floorHTTP}
	if lib != nil {
		targets[sysLib] = lib
	}
	for i := range targets {
		if broken[i] {
			targets[i] = nil // it answers with an error: the check says so, and loading it measures nothing
		}
	}
	for _, t := range targets {
		if t != nil && o.warmup > 0 {
			load(ctx, t, 1, o.warmup)
		}
	}
	for _, c := range o.conns {
		st := &[systems]stats{}
		res.stats[c] = st
		for r := range o.rounds {
			line := fmt.Sprintf("benchcompare: %s, %d conn, round %d/%d:", s.name, c, r+1, o.rounds)
			for i, t := range targets {
				if t == nil || ctx.Err() != nil {
					continue
				}
				run := load(ctx, t, c, o.duration)
				st[i].add(run)
				line += fmt.Sprintf(" %s %.1f req/s p50 %s (%d failed);", systemNames[i],
					float64(run.ok)/run.elapsed.Seconds(), ms(percentile(run.latencies, 50)), run.failed)
			}
			fmt.Fprintln(os.Stderr, line)
		}
	}
	return res
}

// check fetches the shape once from every system and compares the normalised answers; it
// also tells which systems answered with an error.
func check(ctx context.Context, s shape, ours, lib *graphqlTarget, floor *cypherTarget, floorHTTP *httpFloorTarget) (string, [systems]bool) {
	var problems []string
	var broken [systems]bool
	recs, err := floor.records(ctx)
	if err != nil {
		broken[sysFloor] = true
		return "the floor's Cypher failed: " + err.Error(), broken
	}
	want := canonical(s.normFloor(recs))
	if want == "[]" || want == "null" {
		problems = append(problems, "the floor's answer is empty (is the graph loaded?)")
	}
	compare := func(sys int, name string, t *graphqlTarget, norm func(any) any) {
		data, err := t.data(ctx)
		if err != nil {
			broken[sys] = true
			problems = append(problems, name+" failed: "+err.Error())
			return
		}
		if got := canonical(norm(data)); got != want {
			problems = append(problems, name+" differs from the floor "+firstDifference(got, want))
		}
	}
	if recs, err := floorHTTP.records(ctx); err != nil {
		broken[sysFloorHTTP] = true
		problems = append(problems, "the floor over HTTP failed: "+err.Error())
	} else if got := canonical(s.normFloor(recs)); got != want {
		problems = append(problems, "the floor over HTTP differs from the floor "+firstDifference(got, want))
	}
	compare(sysOurs, "the API", ours, s.normOurs)
	if lib != nil {
		compare(sysLib, "the library", lib, s.normLib)
	}
	return strings.Join(problems, "; "), broken
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestCanonicalTreatsEqualDataAlike: Bolt integers and JSON numbers, float sums added in another
// order, and empty or absent lists compare equal; different values do not.
func TestCanonicalTreatsEqualDataAlike(t *testing.T) {
	sum := func(xs ...float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s
	}
	var none []any
	for _, c := range []struct {
		a, b any
		same bool
	}{
		{[]any{int64(3), "x"}, []any{3.0, "x"}, true},
		{sum(0.1, 0.2, 0.3), sum(0.3, 0.2, 0.1), true},
		{[]any{none}, []any{[]any{}}, true},
		{[]any{nil}, []any{nil}, true},
		{[]any{int64(3)}, []any{4.0}, false},
		{[]any{"a", "b"}, []any{"b", "a"}, false},
		{1666666.6666666667, 1666666.6666666665, true},
		{1666666.6, 1666666.7, false},
		{decimal("1666666.6666666667"), 1666666.6666666667, true},
		{decimal("840866666.69"), 840866666.69, true},
		{decimal("USD"), "USD", true},
	} {
		if got := canonical(c.a) == canonical(c.b); got != c.same {
			t.Errorf("canonical(%v) == canonical(%v): %v, want %v (%s, %s)", c.a, c.b, got, c.same, canonical(c.a), canonical(c.b))
		}
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	if p := percentile(ds, 50); p != 50*time.Millisecond {
		t.Errorf("p50 = %s", p)
	}
	if p := percentile(ds, 99); p != 99*time.Millisecond {
		t.Errorf("p99 = %s", p)
	}
	if p := percentile(nil, 50); p != 0 {
		t.Errorf("p50 of nothing = %s", p)
	}
}

// TestShapesAreComplete: every shape has a query for this API and the floor, and either a query
// for the library or the reason it has none; the normalisers of the API and the library read
// the shapes of answer their queries ask for.
func TestShapesAreComplete(t *testing.T) {
	g := graphInfo{projects: 100000, countries: []string{"A0", "AA", "AB", "B1", "BA", "C1"}, donors: []string{"org:syn-00001"},
		deepAfter: 50000, deepTitle: "Project 050000", deepKey: "project:syn-050000", deepCursor: builtCursor("Project 050000", "project:syn-050000")}
	seen := map[string]bool{}
	for _, s := range shapes(g) {
		if seen[s.name] {
			t.Errorf("two shapes named %s", s.name)
		}
		seen[s.name] = true
		if s.ours == "" || s.floor == "" || s.normOurs == nil || s.normFloor == nil {
			t.Errorf("%s: missing the API's or the floor's query or normaliser", s.name)
		}
		if (s.lib == "") != (s.normLib == nil) || (s.lib == "" && s.libNote == "") {
			t.Errorf("%s: a library query needs a normaliser, and no query needs a reason", s.name)
		}
		if strings.Count(s.ours, "{") != strings.Count(s.ours, "}") || strings.Count(s.lib, "{") != strings.Count(s.lib, "}") {
			t.Errorf("%s: unbalanced braces", s.name)
		}
	}
	for _, want := range []string{"first-page", "deep-page", "nested-count", "filtered", "country-page", "deep-nested", "count-sort", "search", "funding-summary"} {
		if !seen[want] {
			t.Errorf("no shape %s", want)
		}
	}
	if got := g.pageCountry(); got != "AB" {
		t.Errorf("page country %q, want the second code of letters only, AB", got)
	}
}

// TestNormalisersAgree: the same two projects answered as this API and as the library answer
// normalise to the same value.
func TestNormalisersAgree(t *testing.T) {
	var ours, lib any
	_ = json.Unmarshal([]byte(`{"projects":{"edges":[{"node":{"key":"p:1","title":"A"}},{"node":{"key":"p:2","title":"B"}}]}}`), &ours)
	_ = json.Unmarshal([]byte(`{"projects":[{"id":"p:1","title":"A"},{"id":"p:2","title":"B"}]}`), &lib)
	s := shapes(graphInfo{projects: 100, countries: []string{"AA"}, donors: []string{"o"}, deepAfter: 50})[0]
	if a, b := canonical(s.normOurs(ours)), canonical(s.normLib(lib)); a != b || a != `[["p:1","A"],["p:2","B"]]` {
		t.Errorf("ours %s, library %s", a, b)
	}
}

// TestHTTPFloorRowsReadAsRecords: the rows the HTTP floor writes come back as records that the
// shape's floor normaliser reads as it reads the driver's, to the same canonical text.
func TestHTTPFloorRowsReadAsRecords(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows := []map[string]any{{"key": "p:1", "title": "A"}, {"key": "p:2", "title": "B"}}
		_ = json.NewEncoder(w).Encode(map[string]any{"rows": rows})
	}))
	defer srv.Close()
	s := shapes(graphInfo{projects: 100, countries: []string{"AA"}, donors: []string{"o"}, deepAfter: 50})[0]
	recs, err := (&httpFloorTarget{client: srv.Client(), url: srv.URL}).records(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bolt := []*neo4j.Record{{Keys: []string{"key", "title"}, Values: []any{"p:1", "A"}}, {Keys: []string{"title", "key"}, Values: []any{"B", "p:2"}}}
	if got, want := canonical(s.normFloor(recs)), canonical(s.normFloor(bolt)); got != want || got != `[["p:1","A"],["p:2","B"]]` {
		t.Errorf("over HTTP %s, from the driver %s", got, want)
	}
}

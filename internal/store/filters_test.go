package store

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
)

// TestValuesNeverEnterCypherText compiles filters and sort keys full of Cypher syntax and checks
// that the text holds none of it: every value is a parameter.
func TestValuesNeverEnterCypherText(t *testing.T) {
	evil := "x' OR 1=1 WITH n MATCH (m) DETACH DELETE m //"
	where := map[string]any{
		"title":      map[string]any{"equals": evil, "contains": evil, "startsWith": evil, "in": []any{evil}},
		"keys":       []any{evil},
		"status":     []any{evil},
		"themes":     []any{evil},
		"donors":     []any{evil},
		"OR":         []any{map[string]any{"countries": []any{evil}}, map[string]any{"iatiIdentifier": map[string]any{"equals": evil}}},
		"NOT":        map[string]any{"donorsSome": map[string]any{"name": map[string]any{"contains": evil}}},
		"budget":     map[string]any{"gte": "1.5", "exists": true},
		"themesNone": map[string]any{"dacCodes": []any{evil}},
		"cites":      evil,
	}
	params := map[string]any{}
	c := newCompiler(params)
	text, err := c.where(KindProject, "n", where, "where")
	if err != nil {
		t.Fatal(err)
	}
	sorts, spec, err := c.sorts(KindProject, "n", []any{map[string]any{"field": "FUNDING_TOTAL", "currency": evil}}, "orderBy")
	if err != nil {
		t.Fatal(err)
	}
	order := orderText(sorts, "n", false)
	seek := c.seek(sorts, "n", []any{evil, evil}, false)
	if _, err := decodeCursor("after", encodeCursor(spec, []any{evil, evil}), spec, len(sorts)); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{text, order, seek} {
		if strings.Contains(s, "1=1") || strings.Contains(s, "DELETE") || strings.Contains(strings.ToLower(s), "x'") {
			t.Errorf("a value reached the Cypher text: %s", s)
		}
	}
	if len(params) < 11 {
		t.Errorf("only %d parameters for a filter with 11 values: %v", len(params), params)
	}
}

func TestFilterErrorsNameTheArgument(t *testing.T) {
	c := newCompiler(map[string]any{})
	_, err := c.where(KindProject, "n", map[string]any{"AND": []any{map[string]any{"start": map[string]any{"onOrAfter": "2020-02-30"}}}}, "where")
	if apperr.CodeOf(err) != apperr.BadUserInput || !strings.Contains(err.Error(), "where.AND[0].start.onOrAfter") {
		t.Errorf("got %v", err)
	}
	_, _, err = c.sorts(KindCountry, "n", []any{map[string]any{"field": "FUNDING_TOTAL"}}, "orderBy")
	if apperr.CodeOf(err) != apperr.BadUserInput {
		t.Errorf("FUNDING_TOTAL without currency: %v", err)
	}
	if _, err := c.where(KindProject, "n", map[string]any{"nonsense": 1}, "where"); err == nil || apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("a field missing from the tables must be an internal error, got %v", err)
	}
}

func TestEmptyFiltersMatchEverything(t *testing.T) {
	c := newCompiler(map[string]any{})
	for _, w := range []map[string]any{nil, {}, {"title": nil}, {"AND": []any{}}} {
		if got, err := c.where(KindProject, "n", w, "where"); err != nil || got != "true" {
			t.Errorf("%v compiles to %q, %v", w, got, err)
		}
	}
	if got, _ := c.where(KindProject, "n", map[string]any{"OR": []any{}}, "where"); got != "false" {
		t.Errorf("an empty OR compiles to %q, want false", got)
	}
}

func TestCursorsRoundTripAndRejectForgeries(t *testing.T) {
	spec := "TITLE:false:"
	values := []any{"Project 7", nil, 12.5, "project:p-7"}
	got, err := decodeCursor("after", encodeCursor(spec, values), spec, 3)
	if err != nil || len(got) != 4 || got[0] != "Project 7" || got[1] != nil || got[2] != 12.5 || got[3] != "project:p-7" {
		t.Fatalf("round trip: %v %v", got, err)
	}
	old := base64.RawURLEncoding.EncodeToString([]byte("pg1:pos:3"))
	for name, c := range map[string]string{
		"garbage":        "abc",
		"not base64":     "!!",
		"older scheme":   old,
		"other order":    encodeCursor("START:true:", values),
		"too few values": encodeCursor(spec, values[:2]),
		"key not a text": encodeCursor(spec, []any{"a", nil, 1.0, 7.0}),
		"an object":      base64.RawURLEncoding.EncodeToString([]byte("pg2:" + orderTag(spec) + `:["a",{"x":1},1,"k"]`)),
		"trailing data":  base64.RawURLEncoding.EncodeToString([]byte("pg2:" + orderTag(spec) + `:["a",null,1,"k"]garbage`)),
	} {
		_, err := decodeCursor("after", c, spec, 3)
		if apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
		if name == "older scheme" && !strings.Contains(err.Error(), "older version") {
			t.Errorf("an old cursor: %v", err)
		}
	}
}

func TestSeekKeepsRowsStrictlyBeyondTheCursor(t *testing.T) {
	c := newCompiler(map[string]any{})
	sorts := []sortKey{{expr: "n.title"}}
	after := c.seek(sorts, "n", []any{"B", "k2"}, false)
	want := "((((n.title) IS NULL OR (n.title) > $w0)) OR ((n.title) = $w0 AND n.id > $w1))"
	if after != want {
		t.Errorf("after:\n got %s\nwant %s", after, want)
	}
	before := c.seek(sorts, "n", []any{nil, "k9"}, true)
	if !strings.Contains(before, "(n.title) IS NOT NULL") || !strings.Contains(before, "n.id < ") {
		t.Errorf("before a missing value: %s", before)
	}
	if got := orderText([]sortKey{{expr: "n.title", desc: true}}, "n", true); got != "(n.title) IS NULL DESC, n.title, n.id DESC" {
		t.Errorf("reversed order: %s", got)
	}
}

func TestDegreePatterns(t *testing.T) {
	for pattern, want := range map[string]string{
		"(a)<-[r:TARGETS]-(n:Project)":                     "(a)<-[:TARGETS]-()",
		"(a)-[r:MEMBER_OF]->(n:RegionalProcess)":           "(a)-[:MEMBER_OF]->()",
		"(a)<-[r:MEMBER_OF]-(n:Country|Organisation)":      "(a)<-[:MEMBER_OF]-()",
		"(a)-[r:SUPPORTS]->(n:RegionalProcess|Instrument)": "(a)-[:SUPPORTS]->()",
	} {
		if got := degreePattern(pattern); got != want {
			t.Errorf("%s: %s, want %s", pattern, got, want)
		}
	}
	for name, rel := range relations {
		if got := degreePattern(rel.pattern); strings.Contains(got, "n:") || strings.Contains(got, "[r") || !strings.HasSuffix(got, "()") {
			t.Errorf("%s: degree pattern %s", name, got)
		}
	}
}

// cites holds for nodes whose own sources name the source; a node without sources cites nothing,
// so NOT cites keeps it (a null list would drop it under NOT).
func TestCitesCompilesToAMembershipThatNeverIsNull(t *testing.T) {
	params := map[string]any{}
	text, err := newCompiler(params).where(KindCountry, "n", map[string]any{"NOT": map[string]any{"cites": "source:a"}}, "where")
	if err != nil {
		t.Fatal(err)
	}
	if want := "NOT ($w0 IN coalesce(n.sourceIds, []))"; text != want || params["w0"] != "source:a" {
		t.Errorf("got %s %v, want %s", text, params, want)
	}
	for _, kind := range citingKinds {
		if filters[kind]["cites"].op != opCites {
			t.Errorf("%s has no cites filter", kind)
		}
	}
	if _, ok := filters[KindSource]["cites"]; ok {
		t.Error("sources cite no source: SourceWhere has no cites")
	}
}

// TestPageStatementsSkipReferencesOnlyWhereTheNodesMapWithout: a page that skips references does
// not expand them, unless its nodes are priorities or claims (mapped with their holder or subject);
// by default every page reads them.
func TestPageStatementsSkipReferencesOnlyWhereTheNodesMapWithout(t *testing.T) {
	first := 5
	for _, c := range []struct {
		name string
		keys []string
		skip bool
		want bool // whether the statement reads the references
	}{
		{"Query.projects", nil, false, true},
		{"Query.projects", nil, true, false},
		{"Query.organisations", nil, true, false},
		{"Country.projects", []string{"country:SN"}, true, false},
		{"Country.projects", []string{"country:SN"}, false, true},
		{"Query.priorities", nil, true, true},
		{"Country.priorities", []string{"country:SN"}, true, true},
	} {
		cypher, _, err := PageStatement(c.name, ListRequest{Page: PageRequest{First: &first}, SkipReferences: c.skip}, c.keys)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := strings.Contains(cypher, "refRel"); got != c.want {
			t.Errorf("%s (skip %v): reads references %v, want %v:\n%s", c.name, c.skip, got, c.want, cypher)
		}
		if strings.Contains(cypher, "__REFS__") {
			t.Errorf("%s: placeholder left in\n%s", c.name, cypher)
		}
	}
}

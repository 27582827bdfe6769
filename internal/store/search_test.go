package store

import (
	"slices"
	"strings"
	"testing"
)

func TestLuceneQueryKeepsOnlyWords(t *testing.T) {
	cases := map[string]string{
		"Rabat":                   "+(rabat OR rabat* OR rabat~1)",
		"EU trust fund":           "+(eu OR eu*) +(trust OR trust* OR trust~1) +(fund OR fund*)",
		`title:"x" OR *:* ~ \ )(`: "+(title OR title* OR title~1) +(x OR x*) (or OR or*)",
		"Türkiye":                 "+(turkiye OR turkiye* OR turkiye~1)",
		"SÖDERKÖPING":             "+(soderkoping OR soderkoping* OR soderkoping~1)",
		"Søren Straße":            "+(soren OR soren* OR soren~1) +(strasse OR strasse* OR strasse~1)",
		"  ":                      "",
		"AND && || !":             "(and OR and*)",
		"the Khartoum Process":    "(the OR the*) +(khartoum OR khartoum* OR khartoum~1) +(process OR process* OR process~1)",
		"a~2^3 b\\*":              "(a OR a*) +(2 OR 2*) +(3 OR 3*) +(b OR b*)",
	}
	for in, want := range cases {
		if got := luceneQuery(in); got != want {
			t.Errorf("luceneQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

// A node's name keys are its names, short name, title and aliases folded as dataset.NameKey
// folds them, once each and in that order; nodes without names have none, and a previous value
// is replaced.
func TestNameKeys(t *testing.T) {
	cases := []struct {
		props map[string]any
		want  []string
	}{
		{map[string]any{"name": "Söderköping Process", "shortName": "SÖDERKÖPING-process!", "aliases": []any{"Söderköping", "", 3}},
			[]string{"soderkoping process", "soderkoping"}},
		{map[string]any{"title": "  Project 012 (phase II) ", "aliases": []string{"P-012"}}, []string{"project 012 phase ii", "p 012"}},
		{map[string]any{"id": "x", "description": "no name", NameKeysProperty: []string{"stale"}}, nil},
	}
	for _, c := range cases {
		got := withNameKeys(c.props)[NameKeysProperty]
		if c.want == nil {
			if got != nil {
				t.Errorf("%v: name keys %v, want none", c.props, got)
			}
			continue
		}
		if !slices.Equal(got.([]string), c.want) {
			t.Errorf("%v: name keys %v, want %v", c.props, got, c.want)
		}
	}
}

// Search tests the kinds asked for as labels, so it takes only the searchable ones.
func TestSearchTakesOnlySearchableKinds(t *testing.T) {
	first := 5
	if _, _, err := SearchStatement("rabat", []string{KindClaim}, PageRequest{First: &first}, false); err == nil {
		t.Error("a search of claims: want an error")
	}
	cypher, _, err := SearchStatement("rabat", []string{KindRegionalProcess, KindProject}, PageRequest{First: &first}, false)
	if err != nil || !strings.Contains(cypher, "(n:RegionalProcess OR n:Project)") {
		t.Errorf("a search of processes and projects: %v\n%s", err, cypher)
	}
}

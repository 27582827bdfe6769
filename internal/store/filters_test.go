package store

import (
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
		"budget":     map[string]any{"gte": 1.0, "exists": true},
		"themesNone": map[string]any{"dacCodes": []any{evil}},
	}
	params := map[string]any{}
	c := newCompiler(params)
	text, err := c.where(KindProject, "n", where, "where")
	if err != nil {
		t.Fatal(err)
	}
	order, err := c.orderBy(KindProject, "n", []any{map[string]any{"field": "FUNDING_TOTAL", "currency": evil}}, "orderBy")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{text, order} {
		if strings.Contains(s, "1=1") || strings.Contains(s, "DELETE") || strings.Contains(strings.ToLower(s), "x'") {
			t.Errorf("a value reached the Cypher text: %s", s)
		}
	}
	if len(params) < 10 {
		t.Errorf("only %d parameters for a filter with 10 values: %v", len(params), params)
	}
}

func TestFilterErrorsNameTheArgument(t *testing.T) {
	c := newCompiler(map[string]any{})
	_, err := c.where(KindProject, "n", map[string]any{"AND": []any{map[string]any{"start": map[string]any{"onOrAfter": "2020-02-30"}}}}, "where")
	if apperr.CodeOf(err) != apperr.BadUserInput || !strings.Contains(err.Error(), "where.AND[0].start.onOrAfter") {
		t.Errorf("got %v", err)
	}
	_, err = c.orderBy(KindCountry, "n", []any{map[string]any{"field": "FUNDING_TOTAL"}}, "orderBy")
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

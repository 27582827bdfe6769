package store

import (
	"reflect"
	"strings"
	"testing"
)

func compiled(t *testing.T, kind string, w map[string]any) (string, map[string]any) {
	t.Helper()
	params := map[string]any{}
	text, err := newCompiler(params).where(kind, "n", w, "where")
	if err != nil {
		t.Fatal(err)
	}
	return text, params
}

func contains(s string) map[string]any { return map[string]any{"contains": s} }

// Filters that say the same thing in different nestings and orders of AND, OR and NOT compile
// to the same text and parameters, so Neo4j plans them once.
func TestEquivalentFiltersCompileAlike(t *testing.T) {
	status := []any{"CLOSED"}
	donors := map[string]any{"kind": []any{"GOVERNMENT"}}
	for name, group := range map[string][]map[string]any{
		"AND": {
			{"status": status, "title": contains("water"), "donorsSome": donors},
			{"AND": []any{
				map[string]any{"AND": []any{map[string]any{"title": contains("water")}}},
				map[string]any{"NOT": map[string]any{"NOT": map[string]any{"donorsSome": donors}}},
				map[string]any{"OR": []any{map[string]any{"status": status}}},
			}},
			{"title": contains("water"), "AND": []any{map[string]any{"donorsSome": donors}, map[string]any{"AND": []any{}, "status": status}}},
		},
		"OR": {
			{"OR": []any{map[string]any{"status": status}, map[string]any{"title": contains("water")}, map[string]any{"donorsNone": donors}}},
			{"OR": []any{
				map[string]any{"donorsNone": donors},
				map[string]any{"OR": []any{map[string]any{"title": contains("water")}, map[string]any{"OR": []any{map[string]any{"status": status}}}}},
			}},
			{"AND": []any{map[string]any{"OR": []any{
				map[string]any{"title": contains("water")},
				map[string]any{"OR": []any{}},
				map[string]any{"status": status, "AND": []any{map[string]any{}}},
				map[string]any{"NOT": map[string]any{"NOT": map[string]any{"donorsNone": donors}}},
			}}}},
		},
	} {
		wantText, wantParams := compiled(t, KindProject, group[0])
		for i, w := range group[1:] {
			text, params := compiled(t, KindProject, w)
			if text != wantText || !reflect.DeepEqual(params, wantParams) {
				t.Errorf("%s, form %d:\n got %s %v\nwant %s %v", name, i+1, text, params, wantText, wantParams)
			}
		}
	}
}

// A condition wrapped in single-item ANDs and ORs and double NOTs is the condition itself; a
// NOT of nothing matches nothing.
func TestRedundantNestingLeavesNoTrace(t *testing.T) {
	leaf := map[string]any{"title": map[string]any{"equals": "x"}}
	want, _ := compiled(t, KindProject, leaf)
	var w map[string]any = leaf
	for range 10 {
		w = map[string]any{"AND": []any{map[string]any{"OR": []any{map[string]any{"NOT": map[string]any{"NOT": w}}}}}}
	}
	if got, _ := compiled(t, KindProject, w); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got, _ := compiled(t, KindProject, map[string]any{"NOT": map[string]any{}}); got != "false" {
		t.Errorf("NOT of nothing: %s", got)
	}
	if got, _ := compiled(t, KindProject, map[string]any{"status": []any{"CLOSED"}, "OR": []any{map[string]any{"title": contains("a")}, map[string]any{"title": contains("b")}}}); !strings.HasPrefix(got, "((") || !strings.Contains(got, ")) AND ") {
		t.Errorf("an OR inside an AND must be bracketed: %s", got)
	}
	if got, _ := compiled(t, KindProject, map[string]any{"OR": []any{map[string]any{"title": contains("a")}, map[string]any{"title": contains("b")}}}); !strings.HasPrefix(got, "(") || !strings.HasSuffix(got, ")") {
		t.Errorf("a filter that is an OR must come bracketed, its callers add AND: %s", got)
	}
}

// The text grows linearly with the input, however deep the nesting, flattened or not.
func TestDeepFiltersCompileToLinearText(t *testing.T) {
	chain := func(depth int) map[string]any { // AND in AND: flattened
		w := map[string]any{"title": contains("x")}
		for range depth {
			w = map[string]any{"AND": []any{map[string]any{"title": contains("x")}, w}}
		}
		return w
	}
	alternating := func(depth int) map[string]any { // NOT of OR of AND: nothing to flatten
		w := map[string]any{"title": contains("x")}
		for range depth {
			w = map[string]any{"NOT": map[string]any{"OR": []any{
				map[string]any{"title": contains("x")},
				map[string]any{"AND": []any{map[string]any{"status": []any{"CLOSED"}}, w}},
			}}}
		}
		return w
	}
	for name, build := range map[string]func(int) map[string]any{"chain": chain, "alternating": alternating} {
		small, _ := compiled(t, KindProject, build(50))
		large, _ := compiled(t, KindProject, build(400))
		if ratio := float64(len(large)) / float64(len(small)); ratio > 8.5 {
			t.Errorf("%s: 8 times the input gives %.1f times the text (%d, %d bytes)", name, ratio, len(small), len(large))
		}
		if strings.Count(large, "(") != strings.Count(large, ")") {
			t.Errorf("%s: unbalanced brackets", name)
		}
	}
	if text, _ := compiled(t, KindProject, chain(400)); strings.Count(text, " AND ") != 400 || strings.Contains(text, "((") {
		t.Errorf("a chain of ANDs is one flat AND: %.200s", text)
	}
}

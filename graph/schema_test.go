package graph

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

var schema = NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()

// TestStoreTablesMatchTheSchema checks that every filter and sort field the schema offers is one
// the store can compile, and the other way round, and that every list field has a store list.
func TestStoreTablesMatchTheSchema(t *testing.T) {
	kinds := []string{store.KindCountry, store.KindRegionalProcess, store.KindInstrument, store.KindOrganisation,
		store.KindProject, store.KindThematicArea, store.KindPriority, store.KindSource}
	for _, kind := range kinds {
		where := schema.Types[kind+"Where"]
		if where == nil {
			t.Errorf("schema has no %sWhere", kind)
			continue
		}
		var fields []string
		for _, f := range where.Fields {
			if f.Name != "AND" && f.Name != "OR" && f.Name != "NOT" {
				fields = append(fields, f.Name)
			}
		}
		sort.Strings(fields)
		if got, want := fmt.Sprint(store.FilterFields(kind)), fmt.Sprint(fields); got != want {
			t.Errorf("%s filters: store has %s, schema has %s", kind, got, want)
		}
		if enum := schema.Types[kind+"OrderField"]; enum != nil {
			var values []string
			for _, v := range enum.EnumValues {
				values = append(values, v.Name)
			}
			sort.Strings(values)
			if got, want := fmt.Sprint(store.OrderFields(kind)), fmt.Sprint(values); got != want {
				t.Errorf("%s sort fields: store has %s, schema has %s", kind, got, want)
			}
		}
	}
	for name, def := range schema.Types {
		if def.Kind != ast.Object || strings.HasPrefix(name, "__") {
			continue
		}
		for _, f := range def.Fields {
			if !strings.HasSuffix(f.Type.Name(), "Connection") {
				continue
			}
			list := name + "." + f.Name
			switch {
			case name == "Query" && (f.Name == "search" || f.Name == "history" || f.Name == "changes"):
				// Search ranks by score; change sets are paged by the curation package.
			case name == "Source" && f.Name == "supports": // citations, not a relationship (store.Supports)
			case name == "Query":
				if !store.HasRoot(list) {
					t.Errorf("%s has no store root list", list)
				}
			case !store.HasRelation(list):
				t.Errorf("%s has no store relation", list)
			}
		}
	}
}

// TestEveryTypeFieldAndArgumentIsDocumented keeps the schema readable in GraphiQL.
func TestEveryTypeFieldAndArgumentIsDocumented(t *testing.T) {
	for name, def := range schema.Types {
		if strings.HasPrefix(name, "__") || def.BuiltIn {
			continue
		}
		if strings.TrimSpace(def.Description) == "" {
			t.Errorf("type %s has no description", name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if strings.TrimSpace(f.Description) == "" {
				t.Errorf("field %s.%s has no description", name, f.Name)
			}
			for _, a := range f.Arguments {
				if strings.TrimSpace(a.Description) == "" {
					t.Errorf("argument %s.%s(%s) has no description", name, f.Name, a.Name)
				}
			}
		}
		for _, v := range def.EnumValues {
			if strings.TrimSpace(v.Description) == "" {
				t.Errorf("enum value %s.%s has no description", name, v.Name)
			}
		}
	}
}

// TestDeprecationsGiveAReason: a deprecated field or value must say what to use instead.
func TestDeprecationsGiveAReason(t *testing.T) {
	check := func(what string, dirs ast.DirectiveList) {
		if d := dirs.ForName("deprecated"); d != nil {
			if r := d.Arguments.ForName("reason"); r == nil || strings.TrimSpace(r.Value.Raw) == "" || r.Value.Raw == "No longer supported" {
				t.Errorf("%s is deprecated without a reason", what)
			}
		}
	}
	for name, def := range schema.Types {
		if def.BuiltIn {
			continue
		}
		for _, f := range def.Fields {
			check(name+"."+f.Name, f.Directives)
			for _, a := range f.Arguments {
				check(name+"."+f.Name+"("+a.Name+")", a.Directives)
			}
		}
		for _, v := range def.EnumValues {
			check(name+"."+v.Name, v.Directives)
		}
	}
}

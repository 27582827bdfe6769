package store

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// The schema's RelationshipType enum (the types a path may follow) is the catalogue's.
func TestCatalogueHoldsEveryRelationshipTypeOfTheSchema(t *testing.T) {
	var schema, declared []string
	for _, typ := range model.AllRelationshipType {
		schema = append(schema, string(typ))
	}
	for _, r := range catalogue {
		declared = append(declared, r.typ)
	}
	sort.Strings(schema)
	sort.Strings(declared)
	if fmt.Sprint(schema) != fmt.Sprint(declared) {
		t.Errorf("schema has %v, catalogue %v", schema, declared)
	}
}

// One declaration gives a relationship's list, filters and sorts on both sides.
func TestOneDeclarationGivesEveryTable(t *testing.T) {
	for got, want := range map[string]string{
		relations["Country.projects"].pattern:                  "(a)<-[r:TARGETS]-(n:Project)",
		relations["Project.countries"].pattern:                 "(a)-[r:TARGETS]->(n:Country)",
		relations["RegionalProcess.members"].pattern:           "(a)<-[r:MEMBER_OF]-(n:Country|Organisation)",
		filters[KindProject]["countries"].expr:                 "({n})-[:TARGETS]->({m}:Country)",
		filters[KindCountry]["projectsNone"].expr:              "({n})<-[:TARGETS]-({m}:Project)",
		filters[KindRegionalProcess]["memberCountries"].expr:   "({n})<-[:MEMBER_OF]-({m}:Country)",
		filters[KindInstrument]["parents"].expr:                "({n})-[:PART_OF*1..4]->({m}:Instrument)",
		filters[KindProject]["instruments"].expr:               "({n})-[:FINANCED_BY]->(:Instrument)-[:PART_OF*0..4]->({m}:Instrument)",
		orders[KindCountry]["PROJECT_COUNT"].expr:              "COUNT { ({n})<-[:TARGETS]-() }", // from the degree store
		orders[KindRegionalProcess]["MEMBER_COUNT"].expr:       "COUNT { ({n})<-[:MEMBER_OF]-() }",
		orders[KindOrganisation]["FUNDING_TOTAL"].expr:         "reduce(s = 0, x IN [({n})-[f:FUNDS]->(:Project) WHERE f.currency = {currency} | toInteger(round(f.amount * 100))] | s + x)",
		degreePattern(relations["Instrument.parties"].pattern): "(a)-[:HAS_PARTY]->()",
	} {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	if k := filters[KindCountry]["projectsSome"].kind; k != KindProject {
		t.Errorf("projectsSome filters projects, not %q", k)
	}
	if k := relations["Project.supports"].kind; k != "" {
		t.Errorf("Project.supports mixes kinds, got kind %q", k)
	}
}

// A step the catalogue does not declare is a defect found at start-up, not a statement sent.
func TestUndeclaredStepsPanic(t *testing.T) {
	for name, f := range map[string]func(){
		"unknown type":  func() { forwards("KNOWS", KindCountry) },
		"wrong side":    func() { forwards(relTargets, KindCountry) },
		"wrong far end": func() { forwards(relTargets, KindProject).to(KindProject) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// Migration 9 indexes the sources of every relationship type of the catalogue: a type added
// later needs a migration that recreates relationship_citations, or Source.supports misses it.
func TestCitationIndexCoversEveryRelationshipType(t *testing.T) {
	indexed := strings.Split(citingRelationshipTypes, "|")
	var declared []string
	for _, r := range catalogue {
		declared = append(declared, r.typ)
	}
	sort.Strings(indexed)
	sort.Strings(declared)
	if fmt.Sprint(indexed) != fmt.Sprint(declared) {
		t.Errorf("relationship_citations indexes %v, the catalogue declares %v", indexed, declared)
	}
}

// A source key reaches the keyword-analysed citation index as one quoted term, whatever it holds.
func TestCitationQueryQuotesTheWholeKey(t *testing.T) {
	for key, want := range map[string]string{
		"source:seed-003":     `"source:seed-003"`,
		`source:a "b" OR c:*`: `"source:a \"b\" OR c:*"`,
		`source:back\slash`:   `"source:back\\slash"`,
	} {
		if got := citationQuery(key); got != want {
			t.Errorf("citationQuery(%q) = %s, want %s", key, got, want)
		}
	}
}

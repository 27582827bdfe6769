package httpapi

import (
	"context"
	"io"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

// The export cost rule as shipped: exports of projects, and seed files of projects or of
// relationships with a project end, cost one point per ten projects; other seed files and the
// deletions cost one point, so that a whole folder fits the default budget; with since, the
// changed projects are priced, and the change stamps of the matching ones, except in the walks
// of every relationship (graph.ndjson, seed files), which read every stamp.
func TestExportCostRule(t *testing.T) {
	e := &Exports{IATI: func(context.Context, io.Writer, *store.Store, store.ExportScope) error { return nil }}
	formats := e.formats()
	byProjects := []string{"projects.ndjson", "projects.csv", "graph.jsonld", "graph.ndjson", "iati.xml",
		"csv/projects.csv", "csv/fundings.csv", "csv/targets.csv", "csv/implementations.csv", "csv/project_themes.csv"}
	flat := []string{"csv/countries.csv", "csv/organisations.csv", "csv/themes.csv", "csv/sources.csv",
		"csv/memberships.csv", "csv/processes.csv", "csv/" + "deleted.csv"}
	for _, name := range byProjects {
		f, ok := formats[name]
		if !ok {
			t.Fatalf("no export %s", name)
		}
		if got := exportPoints(f, exportCount{matched: 100_000, changed: 100_000}); got != 10_000 {
			t.Errorf("%s of 100,000 projects costs %d points, want 10,000", name, got)
		}
	}
	for _, name := range flat {
		f, ok := formats[name]
		if !ok {
			t.Fatalf("no export %s", name)
		}
		if got := exportPoints(f, exportCount{matched: 100_000, changed: 100_000}); got != 1 {
			t.Errorf("%s costs %d points, want 1 whatever the projects", name, got)
		}
	}
	// With since: the changed projects by ten, and the stamps of every matching one by a hundred.
	// (The walks of every relationship read every stamp: their whole price.)
	for name, want := range map[string]int{"iati.xml": 25 + 1_000, "projects.ndjson": 25 + 1_000, "graph.jsonld": 25 + 1_000,
		"graph.ndjson": 10_000, "csv/fundings.csv": 10_000, "csv/countries.csv": 1, "csv/deleted.csv": 1} {
		if got := exportPoints(formats[name], exportCount{matched: 100_000, changed: 250, since: true}); got != want {
			t.Errorf("%s since, 250 of 100,000 projects changed: %d points, want %d", name, got, want)
		}
	}
	if got := exportPoints(formats["graph.jsonld"], exportCount{matched: 99, changed: 0, since: true}); got != 0 {
		t.Errorf("graph.jsonld since, nothing of 99 projects changed: %d points, want 0", got)
	}
	total := 0
	for name, f := range formats {
		if len(name) > 4 && name[:4] == "csv/" {
			total += exportPoints(f, exportCount{matched: 100_000, changed: 100_000})
		}
	}
	if total > 100_000 {
		t.Errorf("a whole seed folder of 100,000 projects costs %d points, more than the default burst of 100,000", total)
	}
}

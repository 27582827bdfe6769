package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

func sourced(props map[string]any, source string) map[string]any {
	props["sourceIds"] = []string{source}
	props["sourceLocators"] = []string{""}
	props["sourceStatuses"] = []string{"VERIFIED"}
	return props
}

// smallCurated is a curated dataset of one country, one organisation and one project it funds.
func smallCurated() *dataset.Dataset {
	return &dataset.Dataset{
		Nodes: []dataset.Node{
			{Kind: dataset.KindSource, Props: map[string]any{"id": "source:curated-doc", "title": "A curated document"}},
			{Kind: dataset.KindCountry, Props: sourced(map[string]any{"id": "country:SN", "iso2": "SN", "iso3": "SEN", "name": "Senegal", "region": "Africa", "euRelation": "OTHER"}, "source:curated-doc")},
			{Kind: dataset.KindOrganisation, Props: sourced(map[string]any{"id": "org:iom", "name": "International Organization for Migration", "kind": "INTERNATIONAL_ORGANISATION"}, "source:curated-doc")},
			{Kind: dataset.KindProject, Props: sourced(map[string]any{"id": "project:p1", "title": "Curated title", "status": "CLOSED", "scope": "NATIONAL", "budget": 100.0}, "source:curated-doc")},
		},
		Rels: []dataset.Rel{
			{Type: dataset.RelTargets, From: "project:p1", To: "country:SN", Props: sourced(map[string]any{}, "source:curated-doc")},
			{Type: dataset.RelImplements, From: "org:iom", To: "project:p1", Props: sourced(map[string]any{"role": "IMPLEMENTING", "lead": true}, "source:curated-doc")},
		},
	}
}

// anImport is an imported file that restates the curated project with another budget, adds a
// project of its own, and names the curated country and organisation without stating them.
func anImport(source, ownTitle, version string) *dataset.Dataset {
	return &dataset.Dataset{
		Nodes: []dataset.Node{
			{Kind: dataset.KindSource, Props: map[string]any{"id": source, "title": "An imported file"}},
			{Kind: dataset.KindCountry, Props: map[string]any{"id": "country:SN"}, Ref: true},
			{Kind: dataset.KindOrganisation, Props: map[string]any{"id": "org:iom"}, Ref: true},
			{Kind: dataset.KindProject, Props: sourced(map[string]any{"id": "project:p1", "title": "Curated title", "status": "CLOSED", "scope": "NATIONAL", "budget": 120.0, "budgetCurrency": "EUR"}, source)},
			{Kind: dataset.KindProject, Version: version, Props: sourced(map[string]any{"id": "project:shared", "title": ownTitle, "status": "IMPLEMENTATION", "scope": "NATIONAL"}, source)},
		},
		Rels: []dataset.Rel{
			{Type: dataset.RelTargets, From: "project:p1", To: "country:SN", Props: sourced(map[string]any{}, source)},
			{Type: dataset.RelTargets, From: "project:shared", To: "country:SN", Props: sourced(map[string]any{}, source)},
			{Type: dataset.RelImplements, From: "org:iom", To: "project:shared", Props: sourced(map[string]any{"role": "IMPLEMENTING", "lead": false}, source)},
		},
	}
}

func count(t *testing.T, q string) int64 { return cypher(t, "RETURN COUNT { "+q+" } AS n") }

// TestDatasetsSideBySide writes a curated dataset and two imports that share nodes, and checks
// what each write and each removal leaves: owned values, disagreements kept as claims, the
// datasets asserting every item, idempotence, and removal leaving the other datasets whole.
func TestDatasetsSideBySide(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, smallCurated()); err != nil {
		t.Fatal(err)
	}
	curatedOnly := testenv.GraphDump(t)

	const a, b = "import:test/a.xml", "import:test/b.xml"
	sum, err := st.UpsertDataset(ctx, a, anImport("source:file-a", "Title from A", "2024-01-01T00:00:00Z"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 2 || sum.CoAsserted != 3 || sum.Claims != 2 {
		t.Errorf("first import: %+v; want 2 nodes created (source, own project), 3 co-asserted, 2 claims (budget, budgetCurrency)", sum)
	}
	if v := cypher(t, "MATCH (p:Project {id: 'project:p1'}) RETURN toInteger(p.budget) AS n"); v != 100 {
		t.Errorf("the curated project shows budget %d after the import, want the curated 100", v)
	}
	if n := count(t, "MATCH (:Project {id: 'project:p1'})-[:HAS_CLAIM]->(c:Claim {dataset: '"+a+"', property: 'budget', number: 120.0, unit: 'EUR'})"); n != 1 {
		t.Errorf("claims of the import's budget on the curated project = %d, want 1", n)
	}
	if n := count(t, "MATCH (p:Project {id: 'project:p1'}) WHERE p.datasets = ['curated', '"+a+"'] AND p.dataset = 'curated'"); n != 1 {
		t.Errorf("the curated project does not list both datasets with curated as owner")
	}
	if n := count(t, "MATCH (:Project {id: 'project:p1'})-[r:TARGETS]->(:Country {id: 'country:SN'}) WHERE r.datasets = ['curated', '"+a+"']"); n != 1 {
		t.Errorf("the shared TARGETS relationship is not one relationship asserted by both datasets")
	}
	afterA := testenv.GraphDump(t)

	// The same file again changes nothing.
	sum, err = st.UpsertDataset(ctx, a, anImport("source:file-a", "Title from A", "2024-01-01T00:00:00Z"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 0 || sum.Updated != 0 || sum.CoAsserted != 0 || sum.RelsCreated != 0 || sum.RelsUpdated != 0 || sum.Retracted != 0 {
		t.Errorf("second import of the same file: %+v, want nothing created, updated or withdrawn", sum)
	}
	if got := testenv.GraphDump(t); got != afterA {
		t.Errorf("importing the same file twice changed the graph:\n%s", testenv.DiffLines(afterA, got))
	}

	// A second publisher states the import's own project with another title: A keeps it.
	if _, err := st.UpsertDataset(ctx, b, anImport("source:file-b", "Title from B", ""), nil); err != nil {
		t.Fatal(err)
	}
	if n := count(t, "MATCH (p:Project {id: 'project:shared', title: 'Title from A', dataset: '"+a+"'})"); n != 1 {
		t.Errorf("the project first stated by A no longer shows A's title")
	}
	if n := count(t, "MATCH (:Project {id: 'project:shared'})-[:HAS_CLAIM]->(:Claim {dataset: '"+b+"', property: 'title', value: 'Title from B'})"); n != 1 {
		t.Errorf("B's title is not kept as B's claim")
	}

	// Removing A hands the shared project to B and leaves the curated data whole.
	if _, err := st.RemoveDataset(ctx, a); err != nil {
		t.Fatal(err)
	}
	if n := count(t, "MATCH (n) WHERE '"+a+"' IN n.datasets OR n.dataset = '"+a+"'"); n != 0 {
		t.Errorf("%d nodes still name A after its removal", n)
	}
	if n := count(t, "MATCH ()-[r]->() WHERE '"+a+"' IN r.datasets"); n != 0 {
		t.Errorf("%d relationships still name A after its removal", n)
	}
	if n := count(t, "MATCH (p:Project {id: 'project:shared', dataset: '"+b+"'})-[:TARGETS]->(:Country {id: 'country:SN'})"); n != 1 {
		t.Errorf("the project B also states is gone or not B's after A's removal")
	}
	// B's values now show, with B's sources, and B's claim of them is gone.
	if n := count(t, "MATCH (p:Project {id: 'project:shared', title: 'Title from B'}) WHERE p.sourceIds = ['source:file-b']"); n != 1 {
		t.Errorf("after A's removal the shared project does not show B's title and sources")
	}
	if n := count(t, "MATCH (:Project {id: 'project:shared'})-[:HAS_CLAIM]->(c:Claim)"); n != 0 {
		t.Errorf("%d claims left on the shared project once B owns it", n)
	}
	if _, err := st.RemoveDataset(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got := testenv.GraphDump(t); got != curatedOnly {
		t.Errorf("after removing both imports the graph is not the curated one:\n%s", testenv.DiffLines(curatedOnly, got))
	}
}

// TestCuratedReloadKeepsImports reloads the curated dataset with an import present: the import's
// relationships to curated nodes survive, and a curated change shows.
func TestCuratedReloadKeepsImports(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, smallCurated()); err != nil {
		t.Fatal(err)
	}
	const a = "import:test/a.xml"
	if _, err := st.UpsertDataset(ctx, a, anImport("source:file-a", "Title from A", ""), nil); err != nil {
		t.Fatal(err)
	}
	changed := smallCurated()
	changed.Nodes[1].Props["name"] = "Republic of Senegal"
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, changed); err != nil {
		t.Fatal(err)
	}
	if n := count(t, "MATCH (:Project {id: 'project:shared'})-[:TARGETS]->(:Country {id: 'country:SN', name: 'Republic of Senegal'})"); n != 1 {
		t.Errorf("the import's TARGETS relationship or the curated change is missing after the curated reload")
	}
	// A curated node the new curated dataset leaves out but the import names stays, as the import's.
	without := smallCurated()
	without.Nodes = without.Nodes[:2]
	without.Rels = nil
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, without); err != nil {
		t.Fatal(err)
	}
	if n := count(t, "MATCH (o:Organisation {id: 'org:iom'}) WHERE o.datasets = ['"+a+"']"); n != 1 {
		t.Errorf("org:iom, named by the import, is gone or still listed as curated")
	}
	if n := count(t, "MATCH (p:Project {id: 'project:p1'}) WHERE p.datasets = ['"+a+"'] AND p.dataset = '"+a+"'"); n != 1 {
		t.Errorf("project:p1, also stated by the import, did not pass to it")
	}
}

// TestRetractionReplacesAnOlderVersion retracts one dataset's assertion of a node while another
// states it, as a newer version of an activity in another file of the same publisher does.
func TestRetractionReplacesAnOlderVersion(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, smallCurated()); err != nil {
		t.Fatal(err)
	}
	const older, newer = "import:pub/2023.xml", "import:pub/2024.xml"
	if _, err := st.UpsertDataset(ctx, older, anImport("source:file-2023", "Old title", "2023-01-01T00:00:00Z"), nil); err != nil {
		t.Fatal(err)
	}
	versions, err := st.VersionsOf(ctx, []string{"project:shared"})
	if err != nil || versions["project:shared"][older] != "2023-01-01T00:00:00Z" {
		t.Fatalf("versions = %v, %v; want the older file's version recorded", versions, err)
	}
	_, err = st.UpsertDataset(ctx, newer, anImport("source:file-2024", "New title", "2024-01-01T00:00:00Z"),
		[]store.Retraction{{Dataset: older, Node: "project:shared"}})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, "MATCH (p:Project {id: 'project:shared', title: 'New title', dataset: '"+newer+"'}) WHERE p.datasets = ['"+newer+"']"); n != 1 {
		t.Errorf("the newer version does not own the project alone")
	}
	if n := count(t, "MATCH (:Project {id: 'project:shared'})-[r]-() WHERE '"+older+"' IN r.datasets"); n != 0 {
		t.Errorf("%d relationships of the older version remain at the project", n)
	}
	if n := count(t, "MATCH (:Project {id: 'project:shared'})-[:HAS_CLAIM]->()"); n != 0 {
		t.Errorf("%d claims at the project, want none (the older title was withdrawn, not kept as a claim)", n)
	}
	// The older file's other facts stay.
	if n := count(t, "MATCH (:Project {id: 'project:p1'})-[:HAS_CLAIM]->(:Claim {dataset: '"+older+"'})"); n == 0 {
		t.Errorf("the older file's claims on another project were withdrawn too")
	}
}

// TestImportNamingAMissingNodeWritesNothing refuses a dataset that names a node the graph lacks.
func TestImportNamingAMissingNodeWritesNothing(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, smallCurated()); err != nil {
		t.Fatal(err)
	}
	before := testenv.GraphDump(t)
	d := anImport("source:file-a", "T", "")
	d.Nodes = append(d.Nodes, dataset.Node{Kind: dataset.KindCountry, Props: map[string]any{"id": "country:ZZ"}, Ref: true})
	_, err := st.UpsertDataset(ctx, "import:test/a.xml", d, nil)
	if err == nil || !strings.Contains(err.Error(), "country:ZZ, which is not in the graph") {
		t.Errorf("err = %v, want one naming country:ZZ", err)
	}
	if got := testenv.GraphDump(t); got != before {
		t.Errorf("a refused import changed the graph:\n%s", testenv.DiffLines(before, got))
	}
	if _, err := st.UpsertDataset(ctx, "import:Bad Name", &dataset.Dataset{}, nil); err == nil {
		t.Errorf("a dataset name with spaces and capitals was accepted")
	}
}

// TestLegacyCuratedDataIsMigratedInPlace loads the curated dataset as the store wrote it before
// datasets were recorded per item (no datasets list, no relationship keys), then reloads it: the
// nodes and relationships are the same ones, now keyed, and none is duplicated.
func TestLegacyCuratedDataIsMigratedInPlace(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, smallCurated()); err != nil {
		t.Fatal(err)
	}
	want := testenv.GraphDump(t)
	cypher(t, "MATCH (n:Entity) REMOVE n.datasets, n.versions, n.assertions")
	cypher(t, "MATCH ()-[r]->() REMOVE r.key, r.datasets, r.dataset")
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, smallCurated()); err != nil {
		t.Fatal(err)
	}
	if got := testenv.GraphDump(t); got != want {
		t.Errorf("the legacy graph reloaded differs:\n%s", testenv.DiffLines(want, got))
	}
}

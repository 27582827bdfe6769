package httpapi_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/piprate/json-gold/ld"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// contextLoader gives the JSON-LD processor the context the test server publishes at
// /export/context.jsonld for the context's IRI, and refuses every other document.
type contextLoader struct {
	t       *testing.T
	server  string
	context string
}

func (l contextLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if u != l.context {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, "the test loads only the published context, not "+u)
	}
	resp := exportGet(l.t, l.server+"/export/context.jsonld", nil)
	var doc any
	if err := json.Unmarshal(readAll(l.t, resp), &doc); err != nil || resp.Header.Get("Content-Type") != "application/ld+json" {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, "the context is no JSON-LD")
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}

// TestJSONLDExportConvertsToRDF has a JSON-LD processor (json-gold, in safe mode: a term that
// does not expand is an error) expand graph.jsonld of the EUTF projects with the published
// context and convert it to RDF, then counts the triples against the graph: one schema:Project
// type per project, one schema:funder per FUNDS relationship, one country per TARGETS, one
// prov:entity per source of a project, and IATI code IRIs for statuses.
func TestJSONLDExportConvertsToRDF(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	srv := serve(t, st)
	where := `{"datasets": ["import:eutf-akvo"]}`
	resp := exportGet(t, srv.URL+"/export/graph.jsonld?where="+url.QueryEscape(where), nil)
	var doc any
	if err := json.Unmarshal(readAll(t, resp), &doc); err != nil {
		t.Fatalf("graph.jsonld is no JSON: %v", err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.SafeMode = true
	opts.DocumentLoader = contextLoader{t: t, server: srv.URL, context: "http://127.0.0.1:8080/ns/v1/context.jsonld"}
	proc := ld.NewJsonLdProcessor()
	if _, err := proc.Expand(doc, opts); err != nil {
		t.Fatalf("expansion: %v", err)
	}
	out, err := proc.ToRDF(doc, opts)
	if err != nil {
		t.Fatalf("to RDF: %v", err)
	}
	count := map[string]int{}
	statuses := map[string]bool{}
	for _, q := range out.(*ld.RDFDataset).Graphs["@default"] {
		p, o := q.Predicate.GetValue(), q.Object.GetValue()
		switch {
		case p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
			count["type "+o]++
		case p == "http://127.0.0.1:8080/ns/v1#activityStatus":
			statuses[o] = true
			count[p]++
		default:
			count[p]++
		}
	}
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), `
		MATCH (p:Project) WHERE 'import:eutf-akvo' IN p.datasets
		RETURN count(p) AS projects, sum(COUNT { (p)<-[:FUNDS]-(:Organisation) }) AS funds,
		       sum(COUNT { (p)-[:TARGETS]->(:Country) }) AS targets, sum(size(coalesce(p.sourceIds, []))) AS sources,
		       sum(CASE WHEN p.status IS NULL THEN 0 ELSE 1 END) AS statuses`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Records[0].AsMap()
	for what, want := range map[string]any{
		"type https://schema.org/Project":            m["projects"],
		"https://schema.org/funder":                  m["funds"],
		"http://127.0.0.1:8080/ns/v1#country":        m["targets"],
		"http://www.w3.org/ns/prov#entity":           m["sources"],
		"http://127.0.0.1:8080/ns/v1#activityStatus": m["statuses"],
	} {
		if int64(count[what]) != want.(int64) || count[what] == 0 {
			t.Errorf("%s: %d triples, the graph holds %v", what, count[what], want)
		}
	}
	for s := range statuses {
		if len(s) < 60 || s[:56] != "https://iatistandard.org/en/iati-standard/203/codelists/" {
			t.Errorf("activity status %s is no IRI of the IATI code list", s)
		}
	}
	if count["type https://schema.org/Organization"] == 0 || count["type https://schema.org/Country"] == 0 || count["type http://www.w3.org/ns/prov#Entity"] == 0 {
		t.Errorf("organisations, countries or sources are not typed with schema.org and PROV-O: %v", count)
	}
}

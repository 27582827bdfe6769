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

// jsonldTriples has a JSON-LD processor (json-gold, in safe mode: a term that does not expand is
// an error) expand graph.jsonld{query} with the published context and convert it to RDF, and
// counts its triples by predicate ("type {class}" for rdf:type, "" for all), with the activity
// statuses it names.
func jsonldTriples(t *testing.T, server, query string) (map[string]int, map[string]bool) {
	t.Helper()
	resp := exportGet(t, server+"/export/graph.jsonld"+query, nil)
	var doc any
	if err := json.Unmarshal(readAll(t, resp), &doc); err != nil {
		t.Fatalf("graph.jsonld is no JSON: %v", err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.SafeMode = true
	opts.DocumentLoader = contextLoader{t: t, server: server, context: "http://127.0.0.1:8080/ns/v1/context.jsonld"}
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
		count[""]++
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
	return count, statuses
}

// TestJSONLDExportConvertsToRDF converts graph.jsonld of the EUTF projects to RDF (jsonldTriples)
// and counts the triples against the graph: one schema:Project
// type per project, one schema:funder per FUNDS relationship, one country per TARGETS, one
// prov:entity per source of a project, and IATI code IRIs for statuses.
func TestJSONLDExportConvertsToRDF(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	srv := serve(t, st)
	where := `{"datasets": ["import:eutf-akvo"]}`
	count, statuses := jsonldTriples(t, srv.URL, "?where="+url.QueryEscape(where))
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

// TestJSONLDWholeGraphConvertsToRDF converts graph.jsonld without a filter to RDF (jsonldTriples)
// and counts it against the graph: one typed node per node and one typed qualified node per
// relationship, in all and for memberships (schema:Role with schema:roleName), process themes
// (HasPillar with pillar), instrument parties (HasParty), contributions, priorities and the
// STATES relationships that hold them, claims, and organisation parents.
func TestJSONLDWholeGraphConvertsToRDF(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	srv := serve(t, st)
	count, _ := jsonldTriples(t, srv.URL, "")
	kinds := []any{"Country", "RegionalProcess", "Instrument", "Organisation", "Project", "Source", "ThematicArea", "Priority", "Claim"}
	m := map[string]int64{}
	for name, query := range map[string]string{
		"nodes":         `MATCH (n) WHERE any(l IN labels(n) WHERE l IN $kinds) RETURN count(n)`,
		"relationships": `MATCH (a)-[r]->(b) WHERE any(l IN labels(a) WHERE l IN $kinds) AND any(l IN labels(b) WHERE l IN $kinds) RETURN count(r)`,
		"memberships":   `MATCH ()-[r:MEMBER_OF]->() RETURN count(r)`,
		"roles":         `MATCH ()-[r:MEMBER_OF]->() WHERE r.role IS NOT NULL RETURN count(r)`,
		"pillars":       `MATCH ()-[r:HAS_PILLAR]->() RETURN count(r)`,
		"pillarNames":   `MATCH ()-[r:HAS_PILLAR]->() WHERE r.pillar IS NOT NULL RETURN count(r)`,
		"parties":       `MATCH ()-[r:HAS_PARTY]->() RETURN count(r)`,
		"contributions": `MATCH ()-[r:CONTRIBUTES_TO]->() RETURN count(r)`,
		"priorities":    `MATCH (n:Priority) RETURN count(n)`,
		"states":        `MATCH ()-[r:STATES]->() RETURN count(r)`,
		"claims":        `MATCH (n:Claim) RETURN count(n)`,
		"orgParents":    `MATCH (:Organisation)-[r:PART_OF]->(:Organisation) RETURN count(r)`,
	} {
		res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), query, map[string]any{"kinds": kinds}, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = res.Records[0].Values[0].(int64)
	}
	types := 0
	for what, n := range count {
		if len(what) > 5 && what[:5] == "type " {
			types += n
		}
	}
	if want := m["nodes"] + m["relationships"]; int64(types) != want {
		t.Errorf("%d typed nodes, the graph holds %d nodes and %d relationships", types, m["nodes"], m["relationships"])
	}
	vocab := "http://127.0.0.1:8080/ns/v1#"
	for what, want := range map[string]int64{
		"type https://schema.org/Role":    m["memberships"],
		"https://schema.org/roleName":     m["roles"],
		"type " + vocab + "HasPillar":     m["pillars"],
		vocab + "pillar":                  m["pillarNames"],
		"type " + vocab + "HasParty":      m["parties"],
		"type " + vocab + "ContributesTo": m["contributions"],
		"type " + vocab + "Priority":      m["priorities"],
		"type " + vocab + "States":        m["states"],
		"type https://schema.org/Claim":   m["claims"],
	} {
		if int64(count[what]) != want || count[what] == 0 {
			t.Errorf("%s: %d triples, the graph holds %v", what, count[what], want)
		}
	}
	if int64(count["type "+vocab+"PartOf"]) < m["orgParents"] || m["orgParents"] == 0 {
		t.Errorf("%d PartOf relationships, the graph holds %v organisation parents", count["type "+vocab+"PartOf"], m["orgParents"])
	}
	t.Logf("whole graph: %d triples, %d nodes, %d relationships", count[""], m["nodes"], m["relationships"])
}

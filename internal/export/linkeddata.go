package export

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

// ContextVersion is the version of the published JSON-LD context; a change that alters the
// meaning of a term gets a new version, and the old one stays served.
const ContextVersion = "v1"

// iriKinds maps key prefixes to the path segment of a node's IRI: {base}/id/{segment}/{rest of
// the key}. IRIs are made of keys, which imports and reloads never change.
var iriKinds = []struct{ prefix, segment, kind string }{
	{"project:", "project", store.KindProject}, {"country:", "country", store.KindCountry},
	{"org:", "organisation", store.KindOrganisation}, {"process:", "process", store.KindRegionalProcess},
	{"instrument:", "instrument", store.KindInstrument}, {"theme:", "theme", store.KindThematicArea},
	{"source:", "source", store.KindSource}, {"priority:", "priority", store.KindPriority}, {"claim:", "claim", store.KindClaim},
}

// IRI is the stable web identifier of the node with key under base ("" for an unknown prefix).
func IRI(base, key string) string {
	for _, k := range iriKinds {
		if rest, ok := strings.CutPrefix(key, k.prefix); ok {
			return strings.TrimSuffix(base, "/") + "/id/" + k.segment + "/" + url.PathEscape(rest)
		}
	}
	return ""
}

// KeyOfIRIPath is the key an IRI path (/id/{segment}/{rest}) names, or "" when it names none.
func KeyOfIRIPath(path string) string {
	rest, ok := strings.CutPrefix(path, "/id/")
	if !ok {
		return ""
	}
	segment, tail, ok := strings.Cut(rest, "/")
	if !ok || tail == "" {
		return ""
	}
	tail, err := url.PathUnescape(tail)
	if err != nil {
		return ""
	}
	for _, k := range iriKinds {
		if k.segment == segment {
			return k.prefix + tail
		}
	}
	return ""
}

// ContextIRI is where the JSON-LD context of this version is published.
func ContextIRI(base string) string {
	return strings.TrimSuffix(base, "/") + "/ns/" + ContextVersion + "/context.jsonld"
}

// Vocabulary is the namespace of the terms the context defines.
func Vocabulary(base string) string {
	return strings.TrimSuffix(base, "/") + "/ns/" + ContextVersion + "#"
}

// IATICodeIRI is the IRI of a code of an IATI 2.03 code list: the list's page with the code as
// its fragment ("" when the code is).
func IATICodeIRI(list, code string) string {
	if code == "" {
		return ""
	}
	return "https://iatistandard.org/en/iati-standard/203/codelists/" + strings.ToLower(list) + "/#" + url.PathEscape(code)
}

// Context is the JSON-LD context document: the terms of the exports mapped to schema.org
// (organisations, countries, projects, names, dates, funding), PROV-O (sources of every fact:
// each fact's node is derived from its Source entities, qualified with a locator and a
// verification status), IATI code lists (codes as IRIs, see IATICodeIRI) and the project's own
// vocabulary otherwise; links are typed as IRIs and dates as xsd:date.
func Context(base string) map[string]any {
	iri := func(term string) map[string]string { return map[string]string{"@id": term, "@type": "@id"} }
	date := func(term string) map[string]string { return map[string]string{"@id": term, "@type": "xsd:date"} }
	terms := map[string]any{
		"@vocab": Vocabulary(base), "xsd": "http://www.w3.org/2001/XMLSchema#",
		"schema": "https://schema.org/", "prov": "http://www.w3.org/ns/prov#",
		// Types.
		"Project": "schema:Project", "Organisation": "schema:Organization", "Country": "schema:Country",
		"Source": "prov:Entity", "Claim": "schema:Claim",
		// Names, descriptions, addresses and dates.
		"key": "key", "name": "schema:name", "title": "schema:name", "shortName": "schema:alternateName",
		"description": "schema:description", "url": iri("schema:url"), "publisher": "schema:publisher",
		"iatiIdentifier": "iatiIdentifier", "iso2": "iso2", "status": "status", "scope": "scope",
		"plannedStart": date("plannedStart"), "actualStart": date("schema:startDate"),
		"plannedEnd": date("plannedEnd"), "actualEnd": date("schema:endDate"), "budgetAsOf": date("budgetAsOf"),
		"hierarchy": "hierarchy", "datasets": "datasets",
		// IATI codes as IRIs of their code lists.
		"activityStatus": iri("activityStatus"), "activityScope": iri("activityScope"),
		"organisationRole": iri("organisationRole"), "organisationType": iri("organisationType"),
		// Funding: schema:funding (one node per funder, with schema:funder and the amount).
		"fundedBy": "schema:funding", "funder": iri("schema:funder"), "budget": "budget", "amount": "amount",
		"currency": "schema:currency", "share": "share", "role": "role",
		"implementedBy": "implementedBy", "implementer": iri("implementer"),
		"targets": "targets", "country": iri("country"), "addresses": iri("addresses"), "financedBy": iri("financedBy"),
		"partOf": iri("schema:isPartOf"), "theme": iri("theme"), "instrument": iri("instrument"),
		// Sources (PROV-O): a qualified derivation from the Source entity, where in it, how verified.
		"sources": "prov:qualifiedDerivation", "source": iri("prov:entity"),
		"locator": "locator", "verification": "verification",
		// Relationships of the whole graph, each a qualified node (see RelationshipDocument):
		// memberships as schema:Role, every other type as the project's own terms.
		"Membership": "schema:Role", "memberOf": iri("schema:memberOf"), "roleName": "schema:roleName",
		"startDate": date("schema:startDate"), "endDate": date("schema:endDate"),
		"RegionalProcess": "RegionalProcess", "Instrument": "Instrument", "ThematicArea": "ThematicArea", "Priority": "Priority",
		// Deletions (with since): a prov:Invalidation of the deleted node, or of a relationship
		// named by its key, type and ends, at its time.
		"Deletion": "prov:Invalidation", "deleted": iri("prov:entity"), "deletedAt": map[string]string{"@id": "prov:atTime", "@type": "xsd:dateTime"},
		"relationshipType": "relationshipType", "startNode": iri("startNode"), "endNode": iri("endNode"),
	}
	for _, typ := range store.RelationshipTypes() {
		if term, class := relationshipTerms(typ); typ != memberOf {
			if _, taken := terms[term]; !taken {
				terms[term] = iri(term)
			}
			terms[class] = class
		}
	}
	return map[string]any{"@context": terms}
}

// memberOf is the relationship type of memberships, qualified as schema:Role.
const memberOf = "MEMBER_OF"

// relationshipTerms are the predicate and the class of the qualified node of a relationship
// type: memberOf and Membership (schema:memberOf, schema:Role) for MEMBER_OF, else the type in
// lower and upper camel case (HAS_PILLAR: hasPillar, HasPillar).
func relationshipTerms(typ string) (predicate, class string) {
	if typ == memberOf {
		return "memberOf", "Membership"
	}
	for _, word := range strings.Split(strings.ToLower(typ), "_") {
		if word != "" {
			class += strings.ToUpper(word[:1]) + word[1:]
		}
	}
	return strings.ToLower(class[:1]) + class[1:], class
}

// sourceProps are the parallel lists that hold a fact's sources, written as sources.
var sourceProps = map[string]bool{"sourceIds": true, "sourceLocators": true, "sourceStatuses": true}

// NodeDocument is a node of the whole graph as a JSON-LD node: its kind as type, its key, every
// public property (a project's status, scope and budget also as in ProjectDocument, an
// organisation's type as an IATI code) and its sources.
func NodeDocument(base, kind string, props map[string]any) map[string]any {
	key := fmt.Sprint(props["id"])
	doc := map[string]any{"@id": IRI(base, key), "@type": kind, "key": key}
	for k, v := range publicProps(props) {
		if v != nil && k != "id" && !sourceProps[k] {
			doc[k] = v
		}
	}
	switch kind {
	case store.KindProject:
		projectCodes(doc, props)
	case store.KindOrganisation:
		if t, ok := props["iatiType"].(string); ok {
			doc["organisationType"] = IATICodeIRI("OrganisationType", t)
		}
	}
	if _, ok := props["sourceIds"]; ok {
		doc["sources"] = sourcesOf(base, props, nil)
	}
	return doc
}

// membershipTerms are the schema.org terms of a membership's properties.
var membershipTerms = map[string]string{"role": "roleName", "from": "startDate", "until": "endDate"}

// RelationshipDocument is a relationship of the whole graph as a qualified node on its start:
// {"@id": start, predicate: {"@type": class, predicate: end, its properties, sources}} (the
// schema.org Role pattern; see relationshipTerms); a membership's role, from and until are
// roleName, startDate and endDate.
func RelationshipDocument(base string, r store.ExportedRel) map[string]any {
	predicate, class := relationshipTerms(r.Type)
	q := map[string]any{"@type": class, predicate: map[string]any{"@id": IRI(base, r.To)}}
	for k, v := range publicProps(r.Props) {
		if v == nil || sourceProps[k] {
			continue
		}
		if term, ok := membershipTerms[k]; ok && r.Type == memberOf {
			k = term
		}
		q[k] = v
	}
	if _, ok := r.Props["sourceIds"]; ok {
		q["sources"] = sourcesOf(base, r.Props, nil)
	}
	return map[string]any{"@id": IRI(base, r.From), predicate: q}
}

// DeletionDocument is something deleted after an export's since, as a JSON-LD node: a
// Deletion (prov:Invalidation) at deletedAt (prov:atTime, xsd:dateTime in UTC) of the deleted
// node (deleted: its IRI) or of a relationship (its key, relationshipType, startNode and endNode).
func DeletionDocument(base string, t store.Tombstone) map[string]any {
	doc := map[string]any{"@type": "Deletion", "key": t.Key, "deletedAt": t.DeletedAt.UTC().Format(time.RFC3339Nano)}
	if t.What == "relationship" {
		doc["relationshipType"], doc["startNode"], doc["endNode"] = t.Type, IRI(base, t.From), IRI(base, t.To)
	} else {
		doc["deleted"] = IRI(base, t.Key)
	}
	return doc
}

// ProjectDocument is a project as a JSON-LD node (and, as plain JSON, an NDJSON line): its own
// facts, its relationships with their properties, links by IRI, and its sources.
func ProjectDocument(base string, p *store.ExportedProject) map[string]any {
	props := p.Project
	key := fmt.Sprint(props["id"])
	doc := map[string]any{"@id": IRI(base, key), "@type": "Project", "key": key}
	for _, k := range []string{"iatiIdentifier", "title", "description", "status", "scope", "plannedStart", "actualStart",
		"plannedEnd", "actualEnd", "budgetCurrency", "budgetAsOf", "hierarchy", "datasets"} {
		if v, ok := props[k]; ok && v != nil {
			doc[k] = v
		}
	}
	projectCodes(doc, props)
	funders := []any{}
	for _, f := range p.Funders {
		e := map[string]any{"funder": IRI(base, fmt.Sprint(f.Org["id"])), "name": f.Org["name"]}
		if a, ok := f.Rel["amount"]; ok && a != nil {
			e["amount"], e["currency"] = a, f.Rel["currency"]
		}
		funders = append(funders, e)
	}
	implementers := []any{}
	for _, i := range p.Implementers {
		e := map[string]any{"implementer": IRI(base, fmt.Sprint(i.Org["id"])), "name": i.Org["name"], "role": i.Rel["role"]}
		if code := IATICodeIRI("OrganisationRole", implementerRoles[fmt.Sprint(i.Rel["role"])]); code != "" {
			e["organisationRole"] = code
		}
		implementers = append(implementers, e)
	}
	countries := []any{}
	for _, c := range p.Countries {
		e := map[string]any{"country": IRI(base, fmt.Sprint(c["id"])), "iso2": c["iso2"]}
		if rel, _ := c["rel"].(map[string]any); rel != nil && rel["share"] != nil {
			e["share"] = rel["share"]
		}
		countries = append(countries, e)
	}
	doc["fundedBy"], doc["implementedBy"], doc["targets"] = funders, implementers, countries
	doc["addresses"] = links(base, p.Themes)
	doc["financedBy"] = links(base, p.Instruments)
	if len(p.Parents) > 0 {
		doc["partOf"] = IRI(base, fmt.Sprint(p.Parents[0]["id"]))
	}
	doc["sources"] = sourcesOf(base, props, p.Sources)
	return doc
}

// projectCodes adds a project's IATI status and scope codes and its budget (amount and currency
// as one node) to its document.
func projectCodes(doc, props map[string]any) {
	if code := IATICodeIRI("ActivityStatus", statusCodes[fmt.Sprint(props["status"])]); code != "" {
		doc["activityStatus"] = code
	}
	if code := IATICodeIRI("ActivityScope", scopeCodes[fmt.Sprint(props["scope"])]); code != "" {
		doc["activityScope"] = code
	}
	if b, ok := props["budget"]; ok && b != nil {
		doc["budget"] = map[string]any{"amount": b, "currency": props["budgetCurrency"]}
		delete(doc, "budgetCurrency")
	}
}

func links(base string, nodes []map[string]any) []any {
	out := make([]any, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, IRI(base, fmt.Sprint(n["id"])))
	}
	return out
}

// sourcesOf pairs a node's parallel source lists with the Source nodes they name.
func sourcesOf(base string, props map[string]any, sources []map[string]any) []any {
	byID := map[string]map[string]any{}
	for _, s := range sources {
		byID[fmt.Sprint(s["id"])] = s
	}
	ids, _ := props["sourceIds"].([]any)
	locators, _ := props["sourceLocators"].([]any)
	statuses, _ := props["sourceStatuses"].([]any)
	out := make([]any, 0, len(ids))
	for i, id := range ids {
		e := map[string]any{"source": IRI(base, fmt.Sprint(id))}
		if s := byID[fmt.Sprint(id)]; s != nil {
			e["title"] = s["title"]
			if u, ok := s["url"]; ok && u != nil {
				e["url"] = u
			}
		}
		if i < len(locators) && fmt.Sprint(locators[i]) != "" {
			e["locator"] = locators[i]
		}
		if i < len(statuses) {
			e["verification"] = statuses[i]
		}
		out = append(out, e)
	}
	return out
}

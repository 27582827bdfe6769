package store

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// The relationship catalogue: every relationship type of the graph declared once, with the
// labels it links, what its edges carry, and how the API shows it from each side (list fields,
// filter fields, sort fields, single references). The list, filter, sort and reference tables
// of the store are built from it, and every pattern the store writes over a relationship takes
// its type, direction and labels from here. Types and labels are Cypher text, so they only ever
// come from this table.

// Relationship types the store names in its own statements (the analytics, funding totals).
const (
	relMemberOf   = "MEMBER_OF"
	relPartOf     = "PART_OF"
	relFunds      = "FUNDS"
	relImplements = "IMPLEMENTS"
	relTargets    = "TARGETS"
	relFinancedBy = "FINANCED_BY"
	relAddresses  = "ADDRESSES"
	relSupports   = "SUPPORTS"
)

// relationship is one relationship type.
type relationship struct {
	typ string
	// links are the (start label, end label) pairs it joins; the loader accepts no others.
	links [][2]string
	// edge reads the properties of one of its edges into the edge (sources aside), or nil;
	// requires are the properties it cannot read an edge without (returned whatever the fields).
	edge     func(e *model.Edge, p *props)
	requires []string
	// refOut: a node names the end of its outgoing relationship of this type as a single
	// reference (an organisation's parent); refIn: the start of its incoming one (a claim's
	// subject). Every node statement returns them (cypher/node_refs.fragment).
	refOut, refIn bool
	views         []view
}

// view is a relationship seen from nodes of one kind: forwards from its start or, backwards,
// from its end, to the far nodes (of every label the links allow on that side, or of far only).
// Each name it gives is a field of the API on that kind; "" for none.
type view struct {
	kind     string
	backward bool
	far      string // narrows the far nodes to one label
	list     string // the list field ("projects" for Country.projects)
	keys     string // filter: a far node has one of a list of keys
	// keyHops makes the keys filter follow the relationship several times ("*1..4": a parent at
	// most four levels up); keysOrParents makes it match the far node or one of its parents.
	keyHops       string
	keysOrParents bool
	codes         string // filter: a far country has one of a list of ISO codes
	some, none    string // filters: some far node, or none, matches a nested filter of its kind
	count         string // sort field: the number of far nodes
	fundingTotal  string // sort field: the funding of the far projects (or of the FUNDS edges themselves), in one currency
}

// parentHops is how far up a hierarchy (PART_OF) a filter on parents looks.
const parentHops = "*0..4"

var catalogue = []*relationship{
	{typ: relPartOf, links: [][2]string{{KindOrganisation, KindOrganisation}, {KindInstrument, KindInstrument}, {KindProject, KindProject}}, refOut: true, views: []view{
		{kind: KindProject, backward: true, list: "components"},
		{kind: KindInstrument, backward: true, list: "parts"},
		{kind: KindInstrument, keys: "parents", keyHops: "*1..4"},
		{kind: KindOrganisation, backward: true, list: "parts"},
	}},
	{typ: "BASED_IN", links: [][2]string{{KindOrganisation, KindCountry}}, refOut: true, views: []view{
		{kind: KindOrganisation, codes: "countries"},
		{kind: KindCountry, backward: true, list: "organisations"},
	}},
	{typ: "HAS_SECRETARIAT", links: [][2]string{{KindRegionalProcess, KindOrganisation}}, refOut: true},
	{typ: "SUCCEEDED_BY", links: [][2]string{{KindRegionalProcess, KindRegionalProcess}}, refOut: true, refIn: true},
	{typ: relMemberOf, links: [][2]string{{KindCountry, KindRegionalProcess}, {KindOrganisation, KindRegionalProcess}},
		requires: []string{"role"},
		edge: func(e *model.Edge, p *props) {
			e.MembershipRole = enum(p, "role", model.MembershipRole(p.str("role")))
			e.From, e.Until = p.optStr("from"), p.optStr("until")
		},
		views: []view{
			{kind: KindCountry, list: "memberships", keys: "processes", some: "membershipsSome", none: "membershipsNone", count: "MEMBERSHIP_COUNT"},
			{kind: KindOrganisation, list: "memberships", keys: "processes"},
			{kind: KindRegionalProcess, backward: true, list: "members", count: "MEMBER_COUNT"},
			{kind: KindRegionalProcess, backward: true, far: KindCountry, codes: "memberCountries", some: "memberCountriesSome", none: "memberCountriesNone"},
		}},
	{typ: "HAS_PILLAR", links: [][2]string{{KindRegionalProcess, KindThematicArea}},
		edge: func(e *model.Edge, p *props) { e.Pillar = p.str("pillar") }, requires: []string{"pillar"},
		views: []view{
			{kind: KindRegionalProcess, list: "themes", keys: "themes"},
			{kind: KindThematicArea, backward: true, list: "processes"},
		}},
	{typ: "HAS_PARTY", links: [][2]string{{KindInstrument, KindCountry}, {KindInstrument, KindOrganisation}},
		edge: func(e *model.Edge, p *props) { e.PartyRole = enum(p, "role", model.PartyRole(p.str("role"))) }, requires: []string{"role"},
		views: []view{
			{kind: KindInstrument, list: "parties"},
			{kind: KindInstrument, far: KindCountry, codes: "partyCountries"},
			{kind: KindCountry, backward: true, list: "agreements", some: "agreementsSome", none: "agreementsNone"},
			{kind: KindOrganisation, backward: true, list: "agreements"},
		}},
	{typ: "CONTRIBUTES_TO", links: [][2]string{{KindInstrument, KindInstrument}}, views: []view{
		{kind: KindInstrument, backward: true, list: "contributors"},
		{kind: KindInstrument, list: "contributesTo"},
	}},
	{typ: relFunds, links: [][2]string{{KindOrganisation, KindProject}},
		edge: func(e *model.Edge, p *props) { e.Amount = p.money("amount", "currency", "amountAsOf") },
		views: []view{
			{kind: KindOrganisation, list: "funds", some: "fundsSome", none: "fundsNone", count: "FUNDED_PROJECT_COUNT", fundingTotal: "FUNDING_TOTAL"},
			{kind: KindProject, backward: true, list: "donors", keys: "donors", some: "donorsSome", none: "donorsNone", count: "DONOR_COUNT", fundingTotal: "FUNDING_TOTAL"},
		}},
	{typ: relImplements, links: [][2]string{{KindOrganisation, KindProject}}, requires: []string{"role"},
		edge: func(e *model.Edge, p *props) {
			e.ImplementationRole = enum(p, "role", model.ImplementationRole(p.str("role")))
			e.Lead = p.boolean("lead")
		},
		views: []view{
			{kind: KindOrganisation, list: "implements", some: "implementsSome", none: "implementsNone", count: "IMPLEMENTED_PROJECT_COUNT"},
			{kind: KindProject, backward: true, list: "implementers", keys: "implementers", some: "implementersSome", none: "implementersNone"},
		}},
	{typ: relTargets, links: [][2]string{{KindProject, KindCountry}},
		edge: func(e *model.Edge, p *props) { e.Share = p.optFloat("share") },
		views: []view{
			{kind: KindProject, list: "countries", codes: "countries", some: "countriesSome", none: "countriesNone", count: "COUNTRY_COUNT"},
			{kind: KindCountry, backward: true, list: "projects", some: "projectsSome", none: "projectsNone", count: "PROJECT_COUNT", fundingTotal: "FUNDING_TOTAL"},
		}},
	{typ: relFinancedBy, links: [][2]string{{KindProject, KindInstrument}}, views: []view{
		{kind: KindProject, list: "instruments", keys: "instruments", keysOrParents: true, some: "instrumentsSome", none: "instrumentsNone"},
		{kind: KindInstrument, backward: true, list: "projects", some: "projectsSome", none: "projectsNone", count: "PROJECT_COUNT", fundingTotal: "FUNDING_TOTAL"},
	}},
	{typ: relAddresses, links: [][2]string{{KindProject, KindThematicArea}}, views: []view{
		{kind: KindProject, list: "themes", keys: "themes", some: "themesSome", none: "themesNone"},
		{kind: KindThematicArea, backward: true, list: "projects", some: "projectsSome", none: "projectsNone", count: "PROJECT_COUNT", fundingTotal: "FUNDING_TOTAL"},
	}},
	{typ: relSupports, links: [][2]string{{KindProject, KindRegionalProcess}, {KindProject, KindInstrument}}, views: []view{
		{kind: KindProject, list: "supports"},
		{kind: KindProject, far: KindRegionalProcess, keys: "processes"},
		{kind: KindRegionalProcess, backward: true, list: "supportedBy", some: "supportedBySome", none: "supportedByNone"},
		{kind: KindInstrument, backward: true, list: "supportedBy"},
	}},
	{typ: "FOLLOWS_UP", links: [][2]string{{KindProject, KindProject}}, views: []view{
		{kind: KindProject, list: "followsUp"},
		{kind: KindProject, backward: true, list: "followedBy"},
	}},
	{typ: "STATES", links: [][2]string{{KindCountry, KindPriority}, {KindRegionalProcess, KindPriority}}, refIn: true, views: []view{
		{kind: KindCountry, list: "priorities"},
		{kind: KindRegionalProcess, list: "priorities"},
	}},
	{typ: "ABOUT", links: [][2]string{{KindPriority, KindThematicArea}}, refOut: true, views: []view{
		{kind: KindPriority, keys: "themes"},
		{kind: KindThematicArea, backward: true, list: "priorities"},
	}},
	{typ: "HAS_CLAIM", links: [][2]string{{KindCountry, KindClaim}, {KindRegionalProcess, KindClaim}, {KindInstrument, KindClaim}, {KindProject, KindClaim}},
		refIn: true, views: []view{
			{kind: KindCountry, list: "claims"},
			{kind: KindRegionalProcess, list: "claims"},
			{kind: KindInstrument, list: "claims"},
			{kind: KindProject, list: "claims"},
		}},
}

// relationshipTypes finds a relationship of the catalogue by type.
var relationshipTypes = func() map[string]*relationship {
	out := make(map[string]*relationship, len(catalogue))
	for _, r := range catalogue {
		if out[r.typ] != nil {
			panic("store: relationship " + r.typ + " declared twice")
		}
		out[r.typ] = r
	}
	return out
}()

// RelationshipTypes are the relationship types of the catalogue, in its order.
func RelationshipTypes() []string {
	out := make([]string, len(catalogue))
	for i, r := range catalogue {
		out[i] = r.typ
	}
	return out
}

// step is one relationship of the catalogue taken in one direction from nodes of a kind, the
// unit every pattern over a relationship is written from.
type step struct {
	rel      *relationship
	kind     string
	backward bool
	far      string // one label of the far nodes, or "" for all the links allow
}

// forwards and backwards are the steps over a relationship type from its start or its end; an
// unknown type or a kind the type does not link is a defect of the store's own tables.
func forwards(typ, kind string) step  { return newStep(typ, kind, false) }
func backwards(typ, kind string) step { return newStep(typ, kind, true) }

func newStep(typ, kind string, backward bool) step {
	r := relationshipTypes[typ]
	if r == nil {
		panic("store: no relationship " + typ + " in the catalogue")
	}
	s := step{rel: r, kind: kind, backward: backward}
	if len(s.farLabels()) == 0 {
		panic(fmt.Sprintf("store: %s does not link %s (backward: %v)", typ, kind, backward))
	}
	return s
}

// to narrows the far nodes of a step to one label.
func (s step) to(label string) step {
	if !slices.Contains(s.farLabels(), label) {
		panic(fmt.Sprintf("store: %s from %s never reaches %s", s.rel.typ, s.kind, label))
	}
	s.far = label
	return s
}

// farLabels are the labels of the nodes the step reaches.
func (s step) farLabels() []string {
	if s.far != "" {
		return []string{s.far}
	}
	var out []string
	for _, l := range s.rel.links {
		near, far := l[0], l[1]
		if s.backward {
			near, far = far, near
		}
		if near == s.kind && !slices.Contains(out, far) {
			out = append(out, far)
		}
	}
	return out
}

// farKind is the kind of the far nodes, or "" when they mix kinds.
func (s step) farKind() string {
	if l := s.farLabels(); len(l) == 1 {
		return l[0]
	}
	return ""
}

// arrow writes the relationship of the step, bound to relVar (or to nothing, for ""), with an
// optional variable length such as "*1..4": `<-[r:TARGETS]-` or `-[:PART_OF*1..4]->`.
func (s step) arrow(relVar, hops string) string {
	body := "[" + relVar + ":" + s.rel.typ + hops + "]"
	if s.backward {
		return "<-" + body + "-"
	}
	return "-" + body + "->"
}

// node writes a far node bound to v (or to nothing, for ""): `(n:Project)`, `(:Country|Organisation)`.
func (s step) node(v string) string {
	return "(" + v + ":" + strings.Join(s.farLabels(), "|") + ")"
}

// pattern writes the step from the node text near: `(a)<-[r:TARGETS]-(n:Project)`.
func (s step) pattern(near, relVar, farVar string) string {
	return "(" + near + ")" + s.hop(relVar, farVar)
}

// hop writes the step on from the end of a pattern: `-[t:TARGETS]->(c:Country)`.
func (s step) hop(relVar, farVar string) string {
	return s.arrow(relVar, "") + s.node(farVar)
}

// step is the view's relationship as a step.
func (v view) step(r *relationship) step {
	s := newStep(r.typ, v.kind, v.backward)
	if v.far != "" {
		s = s.to(v.far)
	}
	return s
}

// relation is a list of nodes reached from a parent node: the pattern from the parent `a` over
// `r` to the listed node `n`, and the kind of n (the key of the filter and sort tables) or ""
// for a list mixing kinds, which takes no filter or sort.
type relation struct {
	pattern      string
	kind         string
	relationship *relationship
}

// catalogueTables are the tables built from the catalogue.
type catalogueTables struct {
	// relations are the lists the store can page through, named "Type.field" after the GraphQL
	// field that shows them.
	relations map[string]relation
	// filters and orders are, per kind, the filter and sort fields that follow a relationship;
	// the store's filter and sort tables merge them with the fields over properties.
	filters map[string]map[string]filter
	orders  map[string]map[string]order
	// hops are the relationship filters (`...Some`, `...None`), whose work the query cost
	// multiplies by a fan-out.
	hops []filterHop
}

type filterHop struct {
	kind, field, relType string
}

var fromCatalogue = buildTables()

// relations are the lists of the catalogue, by "Type.field".
var relations = fromCatalogue.relations

func buildTables() catalogueTables {
	t := catalogueTables{relations: map[string]relation{}, filters: map[string]map[string]filter{}, orders: map[string]map[string]order{}}
	addFilter := func(kind, name string, f filter) {
		if name == "" {
			return
		}
		if t.filters[kind] == nil {
			t.filters[kind] = map[string]filter{}
		}
		if _, taken := t.filters[kind][name]; taken {
			panic("store: filter " + kind + "." + name + " declared twice in the catalogue")
		}
		t.filters[kind][name] = f
	}
	addOrder := func(kind, name string, o order) {
		if name == "" {
			return
		}
		if t.orders[kind] == nil {
			t.orders[kind] = map[string]order{}
		}
		if _, taken := t.orders[kind][name]; taken {
			panic("store: sort field " + kind + "." + name + " declared twice in the catalogue")
		}
		t.orders[kind][name] = o
	}
	for _, r := range catalogue {
		for _, v := range r.views {
			s := v.step(r)
			if v.list != "" {
				name := v.kind + "." + v.list
				if _, taken := t.relations[name]; taken {
					panic("store: list " + name + " declared twice in the catalogue")
				}
				t.relations[name] = relation{pattern: s.pattern("a", "r", "n"), kind: s.farKind(), relationship: r}
			}
			filterPattern := s.pattern("{n}", "", "{m}")
			if v.keys != "" {
				keys := filterPattern
				switch {
				case v.keyHops != "":
					keys = "({n})" + s.arrow("", v.keyHops) + s.node("{m}")
				case v.keysOrParents:
					parents := forwards(relPartOf, s.farKind())
					keys = "({n})" + s.arrow("", "") + s.node("") + parents.arrow("", parentHops) + parents.node("{m}")
				}
				addFilter(v.kind, v.keys, filter{op: opKeys, expr: keys, kind: strings.Join(s.farLabels(), "|")})
			}
			if v.codes != "" {
				if s.farKind() != KindCountry {
					panic("store: codes filter " + v.kind + "." + v.codes + " reaches no country")
				}
				addFilter(v.kind, v.codes, filter{op: opCodes, expr: filterPattern})
			}
			for _, f := range []struct {
				name string
				op   filterOp
			}{{v.some, opSome}, {v.none, opNone}} {
				if f.name != "" {
					addFilter(v.kind, f.name, filter{op: f.op, expr: filterPattern, kind: s.farKind()})
					t.hops = append(t.hops, filterHop{kind: v.kind, field: f.name, relType: r.typ})
				}
			}
			addOrder(v.kind, v.count, order{expr: "COUNT { " + countPattern(s, newStep(r.typ, v.kind, v.backward)) + " }"})
			if v.fundingTotal != "" {
				addOrder(v.kind, v.fundingTotal, fundingSum(fundingPath(s)))
			}
		}
	}
	sort.Slice(t.hops, func(i, j int) bool { return t.hops[i].kind+t.hops[i].field < t.hops[j].kind+t.hops[j].field })
	return t
}

// withCatalogue merges the fields of a kind that follow relationships (from the catalogue) into
// those over its properties; a name in both is a defect.
func withCatalogue[T any](properties map[string]map[string]T, related map[string]map[string]T) map[string]map[string]T {
	out := make(map[string]map[string]T, len(properties))
	for kind, table := range properties {
		out[kind] = make(map[string]T, len(table)+len(related[kind]))
		for name, v := range table {
			out[kind][name] = v
		}
	}
	for kind, table := range related {
		if out[kind] == nil {
			out[kind] = map[string]T{}
		}
		for name, v := range table {
			if _, taken := out[kind][name]; taken {
				panic("store: field " + kind + "." + name + " is both a property field and a relationship field")
			}
			out[kind][name] = v
		}
	}
	return out
}

// countPattern is what a count of far nodes matches: any node, which Neo4j answers from the
// degree store (the loader lets a relationship type link only the labels the catalogue gives
// it), unless the step narrows the far nodes to one label of several (whole, unnarrowed), which
// the count must then name.
func countPattern(s, whole step) string {
	if len(s.farLabels()) == len(whole.farLabels()) {
		return "({n})" + s.arrow("", "") + "()"
	}
	return "({n})" + s.arrow("", "") + s.node("")
}

// fundingPath is the path from {n} to the FUNDS edges (f) its funding total sums: the step's own
// edges when they are fundings, else those of the far projects.
func fundingPath(s step) string {
	if s.rel.typ == relFunds {
		return "({n})" + s.arrow("f", "") + s.node("")
	}
	if s.farKind() != KindProject {
		panic("store: a funding total over " + s.rel.typ + " reaches no project")
	}
	donors := backwards(relFunds, KindProject)
	return "({n})" + s.arrow("", "") + s.node("") + donors.arrow("f", "") + donors.node("")
}

// nodeRefTypes are the relationship types a node names as single references, outgoing and
// incoming, joined for a pattern (`PART_OF|BASED_IN`).
func nodeRefTypes() (out, in string) {
	var outs, ins []string
	for _, r := range catalogue {
		if r.refOut {
			outs = append(outs, r.typ)
		}
		if r.refIn {
			ins = append(ins, r.typ)
		}
	}
	return strings.Join(outs, "|"), strings.Join(ins, "|")
}

// readEdge reads the properties of an edge of relType into e.
func readEdge(relType any, e *model.Edge, p *props) {
	typ, _ := relType.(string)
	if r := relationshipTypes[typ]; r != nil && r.edge != nil {
		r.edge(e, p)
	}
}

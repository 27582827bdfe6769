package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

// PageRequest selects one page of an ordered list: the items after the cursor After and before
// the cursor Before (both exclusive, nil for the ends), then the first First or the last Last of
// them. The caller has checked the sizes; the store reads the cursors.
type PageRequest struct {
	After, Before *string
	First, Last   *int
}

// ListRequest is what a client asks of a list: a filter and sort keys in the shape of the
// GraphQL `...Where` and `...Order` inputs (as parsed from the request), a page, and whether the
// size of the whole list is wanted (totalCount), which costs a count of its own.
type ListRequest struct {
	Where     map[string]any
	OrderBy   []any
	Page      PageRequest
	WithTotal bool
	// CountOnly: the selection asks for totalCount alone (no edges, nodes or pageInfo), so no
	// page is read at all.
	CountOnly bool
	// NestedCounts are nested lists of the listed nodes ("Country.projects") whose unfiltered
	// size is wanted for every node of the page: counted in the page's own statement, from
	// each node's degree, into Page.NestedTotals.
	NestedCounts []string
	// SkipReferences: nothing reads the single references of the listed nodes (an
	// organisation's parent or country, a process's secretariat...), so the statement does not
	// expand them; the nodes come without them. Priorities and claims, which cannot be mapped
	// without their holder or subject, and lists of several kinds keep them.
	SkipReferences bool
	// NodeFields are the fields the selection asks of the listed nodes (their GraphQL names), so
	// that the page returns only the properties they read; nil returns every property.
	NodeFields []string
	// EdgeFields are the fields the selection asks of the edges (their GraphQL names), so that
	// a nested page returns only the relationship properties they read; nil returns every one.
	EdgeFields []string
	// Nested are the lists selected below every node of the page, read in the same statement
	// into Page.Nested.
	Nested []NestedList
	// WithParent: a nested list (Related) of parents of a kind without single references (a
	// country, a theme) also reads each parent node, into Page.Parent, in the same statement.
	WithParent bool
}

// Page is one page of a list: the edges (each with its cursor), whether there are items before
// and after it, and the size of the whole list when it was asked for.
type Page struct {
	Edges       []*model.Edge
	HasPrevious bool
	HasNext     bool
	Total       int
	// NestedTotals are the sizes of the NestedCounts lists: by list name, then by node key.
	NestedTotals map[string]map[string]int
	// Nested are the pages of the ListRequest.Nested lists, in their order: by node key, a page
	// for every node of this page.
	Nested []map[string]*Page
	// Parent is the node the page lists from, when ListRequest.WithParent asked for it.
	Parent model.Node
}

// root is a list that starts at the top of the graph: the nodes of one label, optionally narrowed.
type root struct {
	label    string
	restrict string // a predicate on n, or ""
	kind     string
}

// roots are the top-level lists, named "Query.field" after the GraphQL field that shows them.
var roots = map[string]root{
	"Query.countries":         {"Country", "", KindCountry},
	"Query.regionalProcesses": {"RegionalProcess", "", KindRegionalProcess},
	"Query.instruments":       {"Instrument", "", KindInstrument},
	"Query.organisations":     {"Organisation", "", KindOrganisation},
	"Query.donors":            {"Organisation", "EXISTS { " + forwards(relFunds, KindOrganisation).pattern("n", "", "") + " }", KindOrganisation},
	"Query.projects":          {"Project", "", KindProject},
	"Query.thematicAreas":     {"ThematicArea", "", KindThematicArea},
	"Query.priorities":        {"Priority", "", KindPriority},
	"Query.sources":           {"Source", "", KindSource},
}

// HasRoot tells whether the store has the top-level list of that name.
func HasRoot(name string) bool {
	_, ok := roots[name]
	return ok
}

// List returns one page of a top-level list ("Query.projects").
func (s *Store) List(ctx context.Context, name string, req ListRequest) (*Page, error) {
	if rt, ok := roots[name]; ok {
		where, err := s.ResolveWhere(ctx, rt.kind, req.Where, "where")
		if err != nil {
			return nil, err
		}
		req.Where = where
	}
	nested, err := s.resolveNested(ctx, req.Nested)
	if err != nil {
		return nil, err
	}
	req.Nested = nested
	cypher, params, st, err := rootStatement(name, req)
	if err != nil {
		return nil, err
	}
	pages, err := s.runPage(ctx, name, cypher, params, st)
	if err != nil {
		return nil, err
	}
	return pageOf(pages, ""), nil
}

// PageStatement is the statement and parameters List or Related sends for a request (keys
// given: Related), for tests of its query plan.
func PageStatement(name string, req ListRequest, keys []string) (string, map[string]any, error) {
	if keys != nil {
		cypher, params, _, err := relatedStatement(name, req, keys)
		return cypher, params, err
	}
	cypher, params, _, err := rootStatement(name, req)
	return cypher, params, err
}

func rootStatement(name string, req ListRequest) (string, map[string]any, *pageQuery, error) {
	rt, ok := roots[name]
	if !ok {
		return "", nil, nil, fmt.Errorf("list: no root list %q", name)
	}
	// Filters go straight on the MATCH (no projection in between), so that the planner can use
	// the indexes of the filtered properties.
	match := "MATCH (n:" + rt.label + ") WHERE true"
	if rt.restrict != "" {
		match = "MATCH (n:" + rt.label + ") WHERE " + rt.restrict
	}
	params := map[string]any{}
	c := newCompiler(params)
	anchored, field, isAnchored := c.anchor(rt, req.Where)
	if isAnchored {
		match = anchored
		rest := make(map[string]any, len(req.Where))
		for k, v := range req.Where {
			if k != field {
				rest[k] = v
			}
		}
		req.Where = rest
	}
	// Started from related nodes and counted too, the list is matched once: the count keeps the
	// matched nodes (at most what the anchors reach) for the page.
	keepMatched := isAnchored && req.WithTotal && !req.CountOnly
	rows, imports := match, ""
	if keepMatched {
		rows, imports = "UNWIND matched AS n\n  WITH n WHERE true", "matched"
	}
	refs := referencesText(rt.kind, req.SkipReferences)
	props := nodeProjection(rt.kind, req.NodeFields)
	st, err := c.listStatement(withPage(statement("page_root"), "page_root_rows", req.CountOnly), rt.kind, req,
		map[string]string{"__MATCH__": rows, "__SCORE__": "null", "__IMPORT__": imports, "__REFS__": refs,
			"__PROPS__": props.text("n"), "__KIND__": kindText(rt.kind)})
	if err != nil {
		return "", nil, nil, err
	}
	st.props = props
	// Read from the index only when nothing filters: with a filter, walking the index in order
	// may pass many rows for each one kept, and the planner's own choice (an index on the
	// filter, then a top-n) is better.
	if prop, ix, ok := indexedOrder(rt, st.sorts); ok && !req.CountOnly && !isAnchored && st.where == "true" {
		if st, err = c.indexedPage(rt, prop, ix, st); err != nil {
			return "", nil, nil, err
		}
	}
	counts, err := nestedCountsText(rt.kind, req.NestedCounts)
	if err != nil {
		return "", nil, nil, err
	}
	st.counts = req.NestedCounts
	total := "RETURN null AS total"
	if req.WithTotal {
		switch {
		case st.where == "true" && rt.restrict == "" && !isAnchored:
			total = "MATCH (n:" + rt.label + ") RETURN count(n) AS total" // from the count store
		case keepMatched:
			total = match + " AND " + st.where + "\n  WITH collect(n) AS matched RETURN size(matched) AS total, matched"
		default:
			total = match + " AND " + st.where + " RETURN count(n) AS total"
		}
	}
	st.cypher = strings.NewReplacer("__TOTAL__", total, "__COUNTS__", counts, "__REFS__", refs,
		"__PROPS__", props.text("n"), "__KIND__", kindText(rt.kind)).Replace(st.cypher)
	if err := c.withNested(st, rt.kind, req.Nested); err != nil {
		return "", nil, nil, err
	}
	return st.cypher, params, st, nil
}

// referencesText is the refs column of a page of nodes of kind: the references each node names
// (cypher/node_refs.fragment), or none when the request skips them and the kind maps without
// them.
func referencesText(kind string, skip bool) string {
	if skip && kind != "" && kind != KindPriority && kind != KindClaim {
		return "[]"
	}
	return "CASE WHEN n IS NULL THEN [] ELSE " + nodeRefs + " END"
}

// nestedCountsText is the value of the counts column of a root page: a map of the degree of each
// listed node n in each nested list (c0, c1... in the order of names), or null.
func nestedCountsText(kind string, names []string) (string, error) {
	if len(names) == 0 {
		return "null", nil
	}
	parts := make([]string, len(names))
	for i, name := range names {
		rel, ok := relations[name]
		if !ok || !strings.HasPrefix(name, kind+".") {
			return "", fmt.Errorf("list: %s is not a nested list of %s", name, kind)
		}
		parts[i] = fmt.Sprintf("c%d: COUNT { %s }", i, strings.Replace(degreePattern(rel.pattern), "(a)", "(n)", 1))
	}
	return "CASE WHEN n IS NULL THEN null ELSE {" + strings.Join(parts, ", ") + "} END", nil
}

// Related returns, per parent key, one page of the list of that name ("Country.projects").
// Parents without any related node get an empty page.
func (s *Store) Related(ctx context.Context, name string, req ListRequest, keys []string) (map[string]*Page, error) {
	if rel, ok := relations[name]; ok && rel.kind != "" {
		where, err := s.ResolveWhere(ctx, rel.kind, req.Where, "where")
		if err != nil {
			return nil, err
		}
		req.Where = where
	}
	nested, err := s.resolveNested(ctx, req.Nested)
	if err != nil {
		return nil, err
	}
	req.Nested = nested
	cypher, params, st, err := relatedStatement(name, req, keys)
	if err != nil {
		return nil, err
	}
	pages, err := s.runPage(ctx, name, cypher, params, st)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Page, len(keys))
	for _, k := range keys {
		out[k] = pageOf(pages, k)
	}
	return out, nil
}

func relatedStatement(name string, req ListRequest, keys []string) (string, map[string]any, *pageQuery, error) {
	rel, ok := relations[name]
	if !ok {
		return "", nil, nil, fmt.Errorf("related: no list %q", name)
	}
	params := map[string]any{"keys": keys}
	c := newCompiler(params)
	st, err := c.relatedPage("page_related", rel, req, nil)
	if err != nil {
		return "", nil, nil, err
	}
	parent := "null"
	if req.WithParent {
		kind, _, _ := strings.Cut(name, ".")
		if kind != KindCountry && kind != KindThematicArea {
			return "", nil, nil, fmt.Errorf("related: %s cannot read its parents with its pages", name)
		}
		// The first row of each parent (i is null on an empty page).
		parent, st.parentKind = "CASE WHEN coalesce(i, 0) = 0 THEN properties(a) END", kind
	}
	st.cypher = strings.Replace(st.cypher, "__PARENT_PROPS__", parent, 1)
	if err := c.withNested(st, rel.kind, req.Nested); err != nil {
		return "", nil, nil, err
	}
	return st.cypher, params, st, nil
}

// relatedPage compiles a page of the list rel from a parent a (the statement template page_related
// or page_nested, with the extra fills it needs): filter, order, count, the columns of the
// related nodes and relationships, and how to read them.
func (c *compiler) relatedPage(template string, rel relation, req ListRequest, extra map[string]string) (*pageQuery, error) {
	props, relProps := nodeProjection(rel.kind, req.NodeFields), relProjection(rel, req.EdgeFields)
	fill := map[string]string{"__PATTERN__": rel.pattern, "__REFS__": referencesText(rel.kind, req.SkipReferences),
		"__PROPS__": props.text("n"), "__REL_PROPS__": relProps.text("r"), "__KIND__": kindText(rel.kind)}
	for k, v := range extra {
		fill[k] = v
	}
	q, err := c.listStatement(withPage(statement(template), "page_related_rows", req.CountOnly), rel.kind, req, fill)
	if err != nil {
		return nil, err
	}
	q.cypher = strings.Replace(q.cypher, "__TOTAL__", relatedTotal(rel, req, q.where), 1)
	q.props, q.relProps = props, relProps
	return q, nil
}

// Search returns one page of the nodes matching a full-text query, best first: exact name
// matches, then name prefixes, then the rest, each by score, then by key (see search.go).
func (s *Store) Search(ctx context.Context, text string, kinds []string, page PageRequest, withTotal bool) (*Page, error) {
	cypher, params, st, err := searchStatement(text, kinds, page, withTotal)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return &Page{Edges: []*model.Edge{}}, nil
	}
	pages, err := s.runPage(ctx, "search", cypher, params, st)
	if err != nil {
		return nil, err
	}
	return pageOf(pages, ""), nil
}

// SearchStatement is the statement and parameters Search sends for a request (empty when the
// text has no word, and Search reads nothing), for tests of its query plan.
func SearchStatement(text string, kinds []string, page PageRequest, withTotal bool) (string, map[string]any, error) {
	cypher, params, _, err := searchStatement(text, kinds, page, withTotal)
	return cypher, params, err
}

// searchStatement builds Search's statement; a nil pageQuery when the text has no word to find.
func searchStatement(text string, kinds []string, page PageRequest, withTotal bool) (string, map[string]any, *pageQuery, error) {
	// Kinds are tested as labels (cheaper per hit than reading them from the list of labels).
	kindTest := "true"
	if len(kinds) > 0 {
		tests := make([]string, len(kinds))
		for i, k := range kinds {
			if !slices.Contains(SearchableKinds, k) {
				return "", nil, nil, fmt.Errorf("search: %q is not a searchable kind", k)
			}
			tests[i] = "n:" + k
		}
		kindTest = "(" + strings.Join(tests, " OR ") + ")"
	}
	query, key := luceneQuery(text), dataset.NameKey(text)
	if query == "" || key == "" {
		return "", nil, nil, nil
	}
	hits := strings.Replace(statement("search_hits"), "__KINDS__", kindTest, 1)
	params := map[string]any{"query": query, "nameKey": key}
	c := newCompiler(params)
	spec := searchSpec(query, kinds)
	sorts := []sortKey{{expr: "rank"}, {expr: "score", desc: true}}
	// With the count, the index is read once: the count keeps the hits for the page.
	match, total, imports := hits+"\n"+statement("search_rank"), "RETURN null AS total", ""
	if withTotal {
		kept := "hits"
		if page.After == nil && page.Before == nil && page.First != nil {
			kept = "hits[0..$limit]"
		}
		match, total, imports = strings.Replace(statement("search_collected_rows"), "__HITS__", kept, 1),
			hits+"\n"+statement("search_rank")+"\n"+statement("search_collected"), "hits"
	}
	st, err := c.pageStatement(withPage(statement("page_root"), "page_root_rows", false), sorts, spec, "true", page,
		map[string]string{"__MATCH__": match, "__SCORE__": "score", "__IMPORT__": imports, "__COUNTS__": "null",
			"__PROPS__": "properties(n)", "__KIND__": kindText("")})
	if err != nil {
		return "", nil, nil, err
	}
	st.cypher = strings.Replace(st.cypher, "__TOTAL__", total, 1)
	if err := c.withNested(st, "", nil); err != nil {
		return "", nil, nil, err
	}
	return st.cypher, params, st, nil
}

// searchSpec names the order of one search in its cursors: a cursor of one search is refused by
// another, since scores of different texts (or kinds) do not compare.
func searchSpec(query string, kinds []string) string {
	return "search-ranked:" + orderTag(fmt.Sprint(query, kinds))
}

// SearchGroup is the hits of one kind of a search: how many there are and the best of them.
type SearchGroup struct {
	Kind string
	Page *Page
}

// SearchGroups returns, for each of kinds (every searchable kind when empty) that has hits, how
// many hits the search has of that kind and its best `limit`, ranked as Search ranks them; the
// cursors of a group's edges are those of Search limited to that kind, so that the next page of
// a group is `Search(text, [kind], after: its last cursor)`. Groups come in the order of their
// best hit (rank tier, score), then of kinds. One statement.
func (s *Store) SearchGroups(ctx context.Context, text string, kinds []string, limit int) ([]SearchGroup, error) {
	if len(kinds) == 0 {
		kinds = SearchableKinds
	}
	query, key := luceneQuery(text), dataset.NameKey(text)
	if query == "" || key == "" {
		return []SearchGroup{}, nil
	}
	params := map[string]any{"query": query, "kinds": kinds, "nameKey": key, "limit": int64(limit + 1)}
	cypher := strings.Replace(statement("search_groups"), "__RANK__", statement("search_rank"), 1)
	recs, err := s.readQuery(ctx, "search_groups", cypher, params)
	if err != nil {
		return nil, err
	}
	byKind := map[string][]*neo4j.Record{}
	for _, r := range recs {
		k, _ := r.Get("key")
		kind, _ := k.(string)
		byKind[kind] = append(byKind[kind], r)
	}
	type ranked struct {
		group      SearchGroup
		tier       int64
		score      float64
		kindNumber int
	}
	var groups []ranked
	for i, kind := range kinds {
		rows := byKind[kind]
		if len(rows) == 0 {
			continue
		}
		pages, err := pagesOf("search_groups", rows, &pageQuery{spec: searchSpec(query, []string{kind}), limit: limit})
		if err != nil {
			return nil, err
		}
		values, _ := rows[0].Get("sortValues")
		list, _ := values.([]any)
		g := ranked{group: SearchGroup{Kind: kind, Page: pageOf(pages, kind)}, kindNumber: i}
		if len(list) == 3 {
			g.tier, _ = list[0].(int64)
			g.score, _ = list[1].(float64)
		}
		groups = append(groups, g)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return a.kindNumber < b.kindNumber
	})
	out := make([]SearchGroup, len(groups))
	for i, g := range groups {
		out[i] = g.group
	}
	return out, nil
}

// SearchableKinds are the kinds search finds (the labels of the entity_search index), in the
// order of the schema's SearchKind.
var SearchableKinds = []string{KindCountry, KindRegionalProcess, KindInstrument, KindOrganisation, KindProject, KindThematicArea}

// withPage fills the page of a page statement: the rows statement, or none when only the count
// is asked for.
func withPage(text, rows string, countOnly bool) string {
	page := "WITH *, [] AS rows"
	if !countOnly {
		page = statement(rows)
	}
	return strings.Replace(text, "__PAGE__", page, 1)
}

// pageQuery is a page statement ready to run, and what reading its rows needs.
type pageQuery struct {
	cypher   string
	where    string    // the compiled filter on n, for the count
	sorts    []sortKey // the order
	spec     string    // names the order in cursors
	page     PageRequest
	reversed bool         // the rows come last first (`last`): reverse them
	limit    int          // the page size asked for; one more row is fetched to know what follows
	counts   []string     // the nested lists counted per row (ListRequest.NestedCounts)
	nested   []*pageQuery // the lists read below each row (ListRequest.Nested)
	// parentKind is the kind of the parents read with their pages (ListRequest.WithParent), or "".
	parentKind string
	// props and relProps are how the rows hold their nodes' and relationships' properties; with
	// only some of a relationship's properties (the edges' fields ask for no version), no edge
	// version is worked out.
	props, relProps projection
}

// listStatement compiles the filter and order of a list of kind and fills a page statement.
func (c *compiler) listStatement(text, kind string, req ListRequest, fill map[string]string) (*pageQuery, error) {
	where := "true"
	var err error
	if kind != "" {
		if where, err = c.where(kind, "n", req.Where, "where"); err != nil {
			return nil, err
		}
	}
	sorts, spec, err := c.sorts(kind, "n", req.OrderBy, "orderBy")
	if err != nil {
		return nil, err
	}
	return c.pageStatement(text, sorts, spec, where, req.Page, fill)
}

// pageStatement fills a page statement for an order and a filter: the seeks past the cursors,
// the sort (reversed for `last`) and the limit.
func (c *compiler) pageStatement(text string, sorts []sortKey, spec, where string, page PageRequest, fill map[string]string) (*pageQuery, error) {
	var seek []string
	for _, cur := range []struct {
		arg    string
		value  *string
		before bool
	}{{"after", page.After, false}, {"before", page.Before, true}} {
		if cur.value == nil {
			continue
		}
		values, err := decodeCursor(cur.arg, *cur.value, spec, len(sorts))
		if err != nil {
			return nil, err
		}
		seek = append(seek, c.seek(sorts, "n", values, cur.before))
	}
	q := &pageQuery{where: where, sorts: sorts, spec: spec, page: page, reversed: page.Last != nil && page.First == nil}
	if page.First != nil {
		q.limit = *page.First
	} else if page.Last != nil {
		q.limit = *page.Last
	}
	limit := "limit"
	if c.limit != "" {
		limit = c.limit
		text = strings.ReplaceAll(text, "$limit", "$"+limit)
	}
	c.params[limit] = int64(q.limit + 1)
	seekText := "true"
	if len(seek) > 0 {
		seekText = strings.Join(seek, " AND ")
	}
	r := []string{"__WHERE__", where, "__SEEK__", seekText, "__ORDER__", orderText(sorts, "n", q.reversed),
		"__SORT_VALUES__", sortValuesText(sorts, "n")}
	if _, ok := fill["__REFS__"]; !ok {
		r = append(r, "__REFS__", referencesText("", false))
	}
	for k, v := range fill {
		r = append(r, k, v)
	}
	q.cypher = strings.NewReplacer(r...).Replace(text)
	return q, nil
}

// anchors are the filters of a root list that name related nodes by key or code, in the order
// in which the list prefers to start from them: a few countries or donors reach far fewer
// projects than the whole label holds.
var anchors = []string{"countries", "donors", "implementers", "instruments", "processes", "themes"}

// maxAnchorKeys is the longest list of keys a list starts from; past it the label is scanned.
const maxAnchorKeys = 50

// anchor starts a root list from the related nodes its filter names (`countries: ["SN"]`): the
// MATCH seeks them by their unique key or code and expands to the listed nodes, instead of
// scanning the label and testing each node; failing those, from the nodes citing the source
// `cites` names, read from the citation index. It returns the filter field it stands for, which
// the rest of the filter then leaves out.
func (c *compiler) anchor(rt root, where map[string]any) (match, field string, ok bool) {
	if rt.restrict != "" {
		return "", "", false
	}
	for _, field := range anchors {
		list, _ := where[field].([]any)
		if len(list) == 0 || len(list) > maxAnchorKeys {
			continue
		}
		f, ok := filters[rt.kind][field]
		if !ok || (f.op != opKeys && f.op != opCodes) {
			continue
		}
		pattern := strings.NewReplacer("{n}", "n:"+rt.label, "{m}", "anchor").Replace(f.expr)
		cond := "anchor.id IN " + c.param(list)
		if f.op == opCodes {
			p := c.param(upperStrings(list))
			cond = "(anchor.iso2 IN " + p + " OR anchor.iso3 IN " + p + ")"
		}
		return "MATCH " + pattern + " WHERE " + cond + "\n  WITH DISTINCT n WHERE true", field, true
	}
	// No key list to start from: the nodes citing a source come from the citation index.
	if source, ok := where["cites"].(string); ok && source != "" {
		if f, ok := filters[rt.kind]["cites"]; ok && f.op == opCites {
			return "CALL db.index.fulltext.queryNodes('node_citations', " + c.param(citationQuery(source)) + ") YIELD node AS n\n" +
				"  WITH n WHERE n:" + rt.label + " AND " + c.param(source) + " IN n.sourceIds", "cites", true
		}
	}
	return "", "", false
}

// degreePattern is a relation's pattern without its variables and the listed node's labels:
// `(a)<-[r:TARGETS]-(n:Project)` becomes `(a)<-[:TARGETS]-()`, a count Neo4j answers from the
// parent's degree. Every relationship type links the same kinds (the loader checks it), so the
// labels add nothing to the count.
func degreePattern(pattern string) string {
	p := strings.Replace(pattern, "[r:", "[:", 1)
	if i := strings.LastIndex(p, "(n"); i >= 0 {
		p = p[:i] + "()"
	}
	return p
}

// indexedSorts are the properties of each label that a range index orders (migrations create
// them); always says that every node has it (the dataset requires it). A root list whose order
// starts with one of them reads its page from the index in that order (the later sort keys
// only order the rows of equal values).
var indexedSorts = map[string]map[string]indexedSort{
	"Country":         {"name": {always: true}},
	"Project":         {"title": {always: true}, "start": {}},
	"Organisation":    {"name": {always: true}},
	"Instrument":      {"name": {always: true}},
	"ThematicArea":    {"name": {always: true}},
	"RegionalProcess": {"shortName": {always: true}},
}

type indexedSort struct{ always bool }

var plainProperty = regexp.MustCompile(`^n\.([A-Za-z]+)$`)

// indexedOrder tells whether a root list's order starts with an indexed property, and which.
func indexedOrder(rt root, sorts []sortKey) (string, indexedSort, bool) {
	if len(sorts) == 0 {
		return "", indexedSort{}, false
	}
	m := plainProperty.FindStringSubmatch(sorts[0].expr)
	if m == nil {
		return "", indexedSort{}, false
	}
	ix, ok := indexedSorts[rt.label][m[1]]
	return m[1], ix, ok
}

// indexedPage rewrites a root page statement to read its rows from the index of prop, in index
// order (reversed for `last`), seeking past the cursors by a range on it. Nodes without prop
// (when some may lack it) come after all others, as orderText puts them: they are read, by the
// later sort keys, only when the nodes that have it do not fill the page, or when a cursor
// stands among them.
func (c *compiler) indexedPage(rt root, prop string, ix indexedSort, q *pageQuery) (*pageQuery, error) {
	s := q.sorts[0]
	e := "n." + prop
	where := q.where
	if rt.restrict != "" {
		where = "(" + rt.restrict + ") AND " + where
	}
	ranges, seeks := []string{}, []string{}
	// Which rows the cursors leave: after a row lacking prop, only rows lacking it; before a
	// row having it, only rows having it.
	present, missing := true, !ix.always
	for _, cur := range []struct {
		arg    string
		value  *string
		before bool
	}{{"after", q.page.After, false}, {"before", q.page.Before, true}} {
		if cur.value == nil {
			continue
		}
		values, err := decodeCursor(cur.arg, *cur.value, q.spec, len(q.sorts))
		if err != nil {
			return nil, err
		}
		seeks = append(seeks, c.seek(q.sorts, "n", values, cur.before))
		if values[0] == nil {
			present = present && cur.before
			continue
		}
		missing = missing && !cur.before
		// Rows past the cursor's own value lie on one side of it in the index.
		cmp := " >= "
		if s.desc != cur.before {
			cmp = " <= "
		}
		ranges = append(ranges, e+cmp+c.param(values[0]))
	}
	dir := func(desc bool) string {
		if desc != q.reversed {
			return " DESC"
		}
		return ""
	}
	seek := "true"
	if len(seeks) > 0 {
		seek = strings.Join(seeks, " AND ")
	}
	// The later sort keys, then the key, as orderText writes them.
	rest := orderText(q.sorts[1:], "n", q.reversed)
	var branches []string
	if present {
		branches = append(branches, "MATCH (n:"+rt.label+") WHERE "+strings.Join(append([]string{e + " IS NOT NULL"}, ranges...), " AND ")+" AND "+where+
			"\n    WITH n ORDER BY "+e+dir(s.desc)+", "+rest+" WHERE "+seek+"\n    WITH n LIMIT $limit")
	}
	if missing {
		branches = append(branches, "MATCH (n:"+rt.label+") WHERE "+e+" IS NULL AND "+where+
			"\n    WITH n ORDER BY "+rest+" WHERE "+seek+"\n    WITH n LIMIT $limit")
	}
	if q.reversed {
		slices.Reverse(branches) // the rows lacking prop come first
	}
	for len(branches) < 2 {
		branches = append(branches, "UNWIND [] AS n")
	}
	out := *q
	out.cypher = strings.NewReplacer("__FIRST__", branches[0], "__SECOND__", branches[1],
		"__SORT_VALUES__", sortValuesText(q.sorts, "n")).Replace(statement("page_root_indexed"))
	return &out, nil
}

// runPage runs a page statement and reads its pages, one per key.
func (s *Store) runPage(ctx context.Context, name, cypher string, params map[string]any, q *pageQuery) (map[string]*Page, error) {
	recs, err := s.readQuery(ctx, name, cypher, params)
	if err != nil {
		return nil, err
	}
	return pagesOf(name, recs, q)
}

func pageOf(pages map[string]*Page, key string) *Page {
	if p, ok := pages[key]; ok {
		return p
	}
	return &Page{Edges: []*model.Edge{}}
}

// rowReader is a row of a page: a record of the statement, or a row of a nested list (nestedRow).
type rowReader interface {
	Get(key string) (any, bool)
}

// pagesOf groups the records of a page statement by key, keeping their order, gives each edge
// the means to make its cursor and works out what lies before and after each page.
func pagesOf(name string, recs []*neo4j.Record, q *pageQuery) (map[string]*Page, error) {
	out := map[string]*Page{}
	for _, r := range recs {
		key, _ := r.Get("key")
		k, _ := key.(string)
		p, ok := out[k]
		if !ok {
			total, _ := r.Get("total")
			p = &Page{Edges: []*model.Edge{}, Total: toInt(total)}
			out[k] = p
		}
		if q.parentKind != "" && p.Parent == nil {
			parent, _ := r.Get("parentProps")
			if m, ok := parent.(map[string]any); ok {
				node, err := mapNode(q.parentKind, m, refs{})
				if err != nil {
					return nil, fmt.Errorf("%s: the parent: %w", name, err)
				}
				p.Parent = node
			}
		}
		if err := addEdge(name, p, r, q); err != nil {
			return nil, err
		}
	}
	for _, p := range out {
		finishPage(p, q)
	}
	return out, nil
}

// addEdge reads one row of a page into an edge of p, with the nested counts and lists of its
// node; a row without a node (an empty page) adds nothing.
func addEdge(name string, p *Page, r rowReader, q *pageQuery) error {
	kind, _ := r.Get("kind")
	if kind == nil {
		return nil // an empty page
	}
	props, _ := r.Get("props")
	m := q.props.read(props)
	nodeKey, _ := m["id"].(string)
	if len(q.counts) > 0 {
		counts, _ := r.Get("counts")
		c, _ := counts.(map[string]any)
		if p.NestedTotals == nil {
			p.NestedTotals = map[string]map[string]int{}
		}
		for i, name := range q.counts {
			if p.NestedTotals[name] == nil {
				p.NestedTotals[name] = map[string]int{}
			}
			p.NestedTotals[name][nodeKey] = toInt(c[fmt.Sprintf("c%d", i)])
		}
	}
	refs, _ := r.Get("refs")
	node, err := mapNode(kind.(string), m, refsOf(refs))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	relType, _ := r.Get("relType")
	rel, _ := r.Get("rel")
	score, _ := r.Get("score")
	e, err := mapEdge(relType, q.relProps.read(rel), node, !q.relProps.selected)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	e.Score, _ = score.(float64)
	values, _ := r.Get("sortValues")
	list, _ := values.([]any)
	tag := q.spec
	e.MakeCursor = func() string { return encodeCursorTagged(orderTag(tag), cursorValues(list)) }
	// The row read past the page (to tell whether more follow) has nothing read below it.
	inPage := len(p.Edges) < q.limit
	p.Edges = append(p.Edges, e)
	if len(q.nested) > 0 && inPage {
		nested, _ := r.Get("nested")
		pages, err := nestedPages(name, nested, q)
		if err != nil {
			return err
		}
		if p.Nested == nil {
			p.Nested = make([]map[string]*Page, len(q.nested))
			for i := range p.Nested {
				p.Nested[i] = map[string]*Page{}
			}
		}
		for i, np := range pages {
			p.Nested[i][nodeKey] = np
		}
	}
	return nil
}

// finishPage cuts a page to its size (its statement reads one row more, to tell whether more
// follow), puts the rows of a backward page in order and works out what lies before and after.
func finishPage(p *Page, q *pageQuery) {
	more := len(p.Edges) > q.limit
	if more {
		p.Edges = p.Edges[:q.limit]
	}
	if q.reversed {
		for i, j := 0, len(p.Edges)-1; i < j; i, j = i+1, j-1 {
			p.Edges[i], p.Edges[j] = p.Edges[j], p.Edges[i]
		}
		// Paging backwards: beyond `before` there are items for sure; before the page, the
		// extra row tells.
		p.HasPrevious, p.HasNext = more || q.page.After != nil, q.page.Before != nil
	} else {
		p.HasNext, p.HasPrevious = more || q.page.Before != nil, q.page.After != nil
	}
}

// cursorValues makes sort values fit JSON: whole numbers from Neo4j become JSON numbers.
func cursorValues(list []any) []any {
	out := make([]any, len(list))
	for i, v := range list {
		if x, ok := v.(int64); ok {
			out[i] = float64(x)
			continue
		}
		out[i] = v
	}
	return out
}

func toInt(v any) int {
	n, _ := v.(int64)
	return int(n)
}

// mapEdge reads the properties of the relationship that leads to node into an edge, with its
// version when rel holds every property (withVersion).
func mapEdge(relType any, m map[string]any, node model.Node, withVersion bool) (*model.Edge, error) {
	e := &model.Edge{Node: node, Sources: []*model.SourceRef{}}
	if m == nil {
		return e, nil
	}
	p := &props{m: m}
	e.Sources = p.sources()
	if withVersion {
		e.Version = VersionOf(m)
	}
	readEdge(relType, e, p)
	if p.err != nil {
		return nil, fmt.Errorf("stored %v relationship does not match the model: %w", relType, p.err)
	}
	return e, nil
}

package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// shape is one query shape measured on the three systems: this API (ours), the Neo4j GraphQL
// Library (lib) and hand-written Cypher through the Go driver (floor). Each system's answer is
// normalised to the same plain value (lists of tuples), so that the three can be compared.
type shape struct {
	name  string // short name, for -shapes and the report
	title string // what the shape asks, for the report

	ours     string // GraphQL for this API
	normOurs func(data any) any

	lib     string // GraphQL for the library; "" when it cannot answer the shape
	normLib func(data any) any
	libNote string // how the library's query differs, or why there is none

	floor       string // Cypher
	floorParams map[string]any
	normFloor   func(recs []*neo4j.Record) any

	note string // anything else the report must say about the shape
}

// graphInfo is what the shapes need to know about the graph they run on.
type graphInfo struct {
	projects  int
	countries []string // ISO alpha-2 codes, sorted
	donors    []string // the keys of the first organisations, sorted
	deepAfter int      // rows before the deep page
	deepTitle string   // title and key of the last row before the deep page (the floor's keyset)
	deepKey   string
	// deepCursor is this API's cursor after deepAfter rows (the cursor of row deepAfter-1).
	deepCursor string
}

// builtCursor is this API's cursor, in the order by title, of the row with that title and key, as
// the API encodes it today (a keyset cursor: the order's tag and the row's sort values). If the
// API does not give the next row for it (its cursors changed), the driver pages through to get a
// real one.
func builtCursor(title, key string) string {
	sum := sha256.Sum256([]byte("kind:Project,TITLE:false:"))
	values, _ := json.Marshal([]string{title, key})
	return base64.RawURLEncoding.EncodeToString([]byte("pg2:" + hex.EncodeToString(sum[:4]) + ":" + string(values)))
}

// Query parameters of the shapes.
const (
	pageSize      = 20
	filterStatus  = "IMPLEMENTATION"
	filterBudgetL = 5_000_000
	filterBudgetH = 30_000_000
	searchText    = "project 012"
	// searchLucene is the Lucene query this API builds from searchText (internal/store/search.go);
	// the library passes its phrase to the index as it is, so it gets this string.
	searchLucene = "+(project OR project* OR project~1) +(012 OR 012*)"
)

func (g graphInfo) filterCodes() []string {
	n := len(g.countries)
	if n < 3 {
		return g.countries
	}
	return []string{g.countries[1], g.countries[n/3], g.countries[2*n/3]}
}

// pageCountry is the country of the country page: the second one whose code is made of letters
// only (the API's `country(code:)` takes ISO codes; synthetic graphs also have codes like A1).
func (g graphInfo) pageCountry() string {
	var letters []string
	for _, c := range g.countries {
		if strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
			letters = append(letters, c)
		}
	}
	switch len(letters) {
	case 0:
		return g.countries[0]
	case 1:
		return letters[0]
	}
	return letters[1]
}

func quoted(list []string) string {
	out := "["
	for i, s := range list {
		if i > 0 {
			out += ", "
		}
		out += strconv.Quote(s)
	}
	return out + "]"
}

func anyList(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// shapes builds the shapes for a graph.
func shapes(g graphInfo) []shape {
	codes := g.filterCodes()
	code := g.pageCountry()
	donors := g.donors
	return []shape{
		{
			name:  "first-page",
			title: fmt.Sprintf("first page: `projects(first: %d, orderBy: TITLE)`", pageSize),
			ours: fmt.Sprintf(`{ projects(first: %d, orderBy: [{field: TITLE, direction: ASC}]) { edges { node { key title } } } }`,
				pageSize),
			normOurs:    func(d any) any { return tuples(nodes(at(d, "projects")), "key", "title") },
			lib:         fmt.Sprintf(`{ projects(limit: %d, sort: [{title: ASC}, {id: ASC}]) { id title } }`, pageSize),
			normLib:     func(d any) any { return tuples(list(at(d, "projects")), "id", "title") },
			floor:       `MATCH (p:Project) WHERE p.title IS NOT NULL RETURN p.id AS key, p.title AS title ORDER BY p.title, p.id LIMIT $n`,
			floorParams: map[string]any{"n": pageSize},
			normFloor:   rows("key", "title"),
		},
		{
			name:  "deep-page",
			title: fmt.Sprintf("deep page: %d projects by title after %d rows", pageSize, g.deepAfter),
			ours: fmt.Sprintf(`{ projects(first: %d, after: %q, orderBy: [{field: TITLE, direction: ASC}]) { edges { node { key title } } } }`,
				pageSize, g.deepCursor),
			normOurs: func(d any) any { return tuples(nodes(at(d, "projects")), "key", "title") },
			lib: fmt.Sprintf(`{ projects(limit: %d, offset: %d, sort: [{title: ASC}, {id: ASC}]) { id title } }`,
				pageSize, g.deepAfter),
			normLib: func(d any) any { return tuples(list(at(d, "projects")), "id", "title") },
			libNote: "offset pagination (`limit`/`offset`); its connection cursors are offsets too",
			floor: `MATCH (p:Project) WHERE p.title >= $title
WITH p ORDER BY p.title, p.id WHERE p.title > $title OR p.id > $key
RETURN p.id AS key, p.title AS title LIMIT $n`,
			floorParams: map[string]any{"n": pageSize, "title": g.deepTitle, "key": g.deepKey},
			normFloor:   rows("key", "title"),
			note: "ours pages from the cursor of row " + strconv.Itoa(g.deepAfter) + " (counting from 1); the floor seeks past that row's title and key (keyset); " +
				"both floors read the title index in order",
		},
		{
			name:  "nested-count",
			title: "100 countries, each with `projects { totalCount }`",
			ours:  `{ countries(first: 100, orderBy: [{field: NAME, direction: ASC}]) { edges { node { key projects(first: 1) { totalCount } } } } }`,
			normOurs: func(d any) any {
				var out []any
				for _, n := range nodes(at(d, "countries")) {
					out = append(out, []any{at(n, "key"), at(n, "projects", "totalCount")})
				}
				return out
			},
			lib: `{ countries(limit: 100, sort: [{name: ASC}, {id: ASC}]) { id projectsConnection { totalCount } } }`,
			normLib: func(d any) any {
				var out []any
				for _, n := range list(at(d, "countries")) {
					out = append(out, []any{at(n, "id"), at(n, "projectsConnection", "totalCount")})
				}
				return out
			},
			floor: `MATCH (c:Country) WITH c ORDER BY c.name, c.id LIMIT 100
RETURN c.id AS key, COUNT { (c)<-[:TARGETS]-() } AS total`,
			normFloor: rows("key", "total"),
			note:      "ours needs `first` on every list, so it asks `projects(first: 1) { totalCount }`",
		},
		{
			name: "filtered",
			title: fmt.Sprintf("projects with status %s, in %d countries, budget %d..%d: first %d by title + totalCount",
				filterStatus, len(codes), filterBudgetL, filterBudgetH, pageSize),
			ours: fmt.Sprintf(`{ projects(first: %d, where: {status: [%s], countries: %s, budget: {gte: %d, lte: %d}}, orderBy: [{field: TITLE, direction: ASC}]) { totalCount edges { node { key title } } } }`,
				pageSize, filterStatus, quoted(codes), filterBudgetL, filterBudgetH),
			normOurs: func(d any) any {
				c := at(d, "projects")
				return []any{at(c, "totalCount"), tuples(nodes(c), "key", "title")}
			},
			lib: fmt.Sprintf(`{ projectsConnection(first: %d, sort: [{title: ASC}, {id: ASC}], where: {status: {in: [%q]}, budget: {gte: %d, lte: %d}, countries: {some: {iso2: {in: %s}}}}) { totalCount edges { node { id title } } } }`,
				pageSize, filterStatus, filterBudgetL, filterBudgetH, quoted(codes)),
			normLib: func(d any) any {
				c := at(d, "projectsConnection")
				return []any{at(c, "totalCount"), tuples(nodes(c), "id", "title")}
			},
			floor: `MATCH (c:Country) WHERE c.iso2 IN $codes
MATCH (c)<-[:TARGETS]-(p:Project)
WHERE p.status IN $status AND p.budget >= $low AND p.budget <= $high
WITH DISTINCT p ORDER BY p.title, p.id
WITH collect(p) AS ps
RETURN size(ps) AS total, [x IN ps[..$n] | [x.id, x.title]] AS page`,
			floorParams: map[string]any{"codes": anyList(codes), "status": []any{filterStatus},
				"low": float64(filterBudgetL), "high": float64(filterBudgetH), "n": pageSize},
			normFloor: func(recs []*neo4j.Record) any {
				if len(recs) != 1 {
					return nil
				}
				return []any{get(recs[0], "total"), get(recs[0], "page")}
			},
		},
		{
			name:  "country-page",
			title: "a country page: the country, 20 projects (share), their donors (amount) and themes",
			ours: fmt.Sprintf(`{ country(code: %q) { key name projects(first: %d, orderBy: [{field: TITLE, direction: ASC}]) { edges { share node { key title donors(first: 10) { edges { amount { amount currency } node { key shortName } } } themes(first: 10) { edges { node { key name } } } } } } } }`,
				code, pageSize),
			normOurs: func(d any) any {
				c := at(d, "country")
				var projects []any
				for _, e := range list(at(c, "projects", "edges")) {
					n := at(e, "node")
					var ds []any
					for _, de := range list(at(n, "donors", "edges")) {
						ds = append(ds, []any{at(de, "node", "key"), at(de, "node", "shortName"), decimal(at(de, "amount", "amount")), at(de, "amount", "currency")})
					}
					projects = append(projects, []any{at(e, "share"), at(n, "key"), at(n, "title"), ds,
						tuples(nodes(at(n, "themes")), "key", "name")})
				}
				return []any{at(c, "key"), at(c, "name"), projects}
			},
			lib: fmt.Sprintf(`{ countries(where: {iso2: {eq: %q}}) { id name projectsConnection(first: %d, sort: [{node: {title: ASC}}, {node: {id: ASC}}]) { edges { properties { share } node { id title donorsConnection(first: 10, sort: [{node: {name: ASC}}, {node: {id: ASC}}]) { edges { properties { amount currency } node { id shortName } } } themes(limit: 10, sort: [{name: ASC}, {id: ASC}]) { id name } } } } } }`,
				code, pageSize),
			normLib: func(d any) any {
				cs := list(at(d, "countries"))
				if len(cs) != 1 {
					return nil
				}
				c := cs[0]
				var projects []any
				for _, e := range list(at(c, "projectsConnection", "edges")) {
					n := at(e, "node")
					var ds []any
					for _, de := range list(at(n, "donorsConnection", "edges")) {
						ds = append(ds, []any{at(de, "node", "id"), at(de, "node", "shortName"), at(de, "properties", "amount"), at(de, "properties", "currency")})
					}
					projects = append(projects, []any{at(e, "properties", "share"), at(n, "id"), at(n, "title"), ds,
						tuples(list(at(n, "themes")), "id", "name")})
				}
				return []any{at(c, "id"), at(c, "name"), projects}
			},
			floor: `MATCH (c:Country {iso2: $code})
CALL (c) {
  MATCH (c)<-[t:TARGETS]-(p:Project)
  WITH t, p ORDER BY p.title, p.id LIMIT $n
  CALL (p) {
    MATCH (p)<-[f:FUNDS]-(o:Organisation)
    WITH f, o ORDER BY o.name, o.id LIMIT 10
    RETURN collect([o.id, o.shortName, f.amount, f.currency]) AS donors
  }
  CALL (p) {
    MATCH (p)-[:ADDRESSES]->(th:ThematicArea)
    WITH th ORDER BY th.name, th.id LIMIT 10
    RETURN collect([th.id, th.name]) AS themes
  }
  RETURN collect([t.share, p.id, p.title, donors, themes]) AS projects
}
RETURN c.id AS key, c.name AS name, projects`,
			floorParams: map[string]any{"code": code, "n": pageSize},
			normFloor: func(recs []*neo4j.Record) any {
				if len(recs) != 1 {
					return nil
				}
				return []any{get(recs[0], "key"), get(recs[0], "name"), get(recs[0], "projects")}
			},
		},
		{
			name:  "deep-nested",
			title: "deep nesting: 5 countries -> 10 projects -> 3 donors -> 5 funded projects",
			ours:  `{ countries(first: 5, orderBy: [{field: NAME, direction: ASC}]) { edges { node { key projects(first: 10, orderBy: [{field: TITLE, direction: ASC}]) { edges { node { key donors(first: 3) { edges { node { key funds(first: 5, orderBy: [{field: TITLE, direction: ASC}]) { edges { node { key title } } } } } } } } } } } } }`,
			normOurs: func(d any) any {
				var out []any
				for _, c := range nodes(at(d, "countries")) {
					var ps []any
					for _, p := range nodes(at(c, "projects")) {
						var ds []any
						for _, o := range nodes(at(p, "donors")) {
							ds = append(ds, []any{at(o, "key"), tuples(nodes(at(o, "funds")), "key", "title")})
						}
						ps = append(ps, []any{at(p, "key"), ds})
					}
					out = append(out, []any{at(c, "key"), ps})
				}
				return out
			},
			lib: `{ countries(limit: 5, sort: [{name: ASC}, {id: ASC}]) { id projects(limit: 10, sort: [{title: ASC}, {id: ASC}]) { id donors(limit: 3, sort: [{name: ASC}, {id: ASC}]) { id funds(limit: 5, sort: [{title: ASC}, {id: ASC}]) { id title } } } } }`,
			normLib: func(d any) any {
				var out []any
				for _, c := range list(at(d, "countries")) {
					var ps []any
					for _, p := range list(at(c, "projects")) {
						var ds []any
						for _, o := range list(at(p, "donors")) {
							ds = append(ds, []any{at(o, "id"), tuples(list(at(o, "funds")), "id", "title")})
						}
						ps = append(ps, []any{at(p, "id"), ds})
					}
					out = append(out, []any{at(c, "id"), ps})
				}
				return out
			},
			floor: `MATCH (c:Country) WITH c ORDER BY c.name, c.id LIMIT 5
CALL (c) {
  MATCH (c)<-[:TARGETS]-(p:Project)
  WITH p ORDER BY p.title, p.id LIMIT 10
  CALL (p) {
    MATCH (p)<-[:FUNDS]-(o:Organisation)
    WITH o ORDER BY o.name, o.id LIMIT 3
    CALL (o) {
      MATCH (o)-[:FUNDS]->(q:Project)
      WITH q ORDER BY q.title, q.id LIMIT 5
      RETURN collect([q.id, q.title]) AS funds
    }
    RETURN collect([o.id, funds]) AS donors
  }
  RETURN collect([p.id, donors]) AS projects
}
RETURN c.id AS key, projects`,
			normFloor: rows("key", "projects"),
		},
		{
			name:  "count-sort",
			title: "20 countries by number of projects (most first), with the count",
			ours:  `{ countries(first: 20, orderBy: [{field: PROJECT_COUNT, direction: DESC}]) { edges { node { key name projects(first: 1) { totalCount } } } } }`,
			normOurs: func(d any) any {
				var out []any
				for _, n := range nodes(at(d, "countries")) {
					out = append(out, []any{at(n, "key"), at(n, "name"), at(n, "projects", "totalCount")})
				}
				return out
			},
			libNote: "cannot: its sort inputs take the node's own properties only, not a relationship count " +
				"(aggregations can be selected and filtered on, not sorted by)",
			floor: `MATCH (c:Country) WITH c, COUNT { (c)<-[:TARGETS]-() } AS total
ORDER BY total DESC, c.id LIMIT 20
RETURN c.id AS key, c.name AS name, total`,
			normFloor: rows("key", "name", "total"),
		},
		{
			name:  "search",
			title: fmt.Sprintf("full-text search %q over projects: first %d + totalCount", searchText, pageSize),
			ours: fmt.Sprintf(`{ search(text: %q, types: [PROJECT], first: %d) { totalCount edges { score node { ... on Project { key title } } } } }`,
				searchText, pageSize),
			normOurs: func(d any) any {
				c := at(d, "search")
				var hits []any
				for _, e := range list(at(c, "edges")) {
					hits = append(hits, []any{at(e, "node", "key"), at(e, "node", "title"), at(e, "score")})
				}
				return []any{at(c, "totalCount"), hits}
			},
			lib: fmt.Sprintf(`{ projectSearch(phrase: %q, first: %d, sort: [{score: DESC}, {node: {id: ASC}}]) { totalCount edges { score node { id title } } } }`,
				searchLucene, pageSize),
			normLib: func(d any) any {
				c := at(d, "projectSearch")
				var hits []any
				for _, e := range list(at(c, "edges")) {
					hits = append(hits, []any{at(e, "node", "id"), at(e, "node", "title"), at(e, "score")})
				}
				return []any{at(c, "totalCount"), hits}
			},
			libNote: "`@fulltext` on Project over the same index `entity_search`; it passes the phrase to Lucene " +
				"as is, so it gets the Lucene query ours builds from the words (" + "`" + searchLucene + "`" + ")",
			floor: `CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node, score
WITH node, score WHERE node:Project
WITH node, score ORDER BY score DESC, node.id
WITH collect([node.id, node.title, score]) AS hits
RETURN size(hits) AS total, hits[..$n] AS page`,
			floorParams: map[string]any{"query": searchLucene, "n": pageSize},
			normFloor: func(recs []*neo4j.Record) any {
				if len(recs) != 1 {
					return nil
				}
				return []any{get(recs[0], "total"), get(recs[0], "page")}
			},
		},
		{
			name:  "funding-summary",
			title: fmt.Sprintf("`fundingSummary(groupBy: [DONOR])` for %d donors: total, fundings and projects per donor and currency", len(donors)),
			ours: fmt.Sprintf(`{ fundingSummary(groupBy: [DONOR], donorWhere: {keys: %s}, orderBy: KEYS) { groups { donor { key } currency total fundingCount projectCount } } }`,
				quoted(donors)),
			normOurs: func(d any) any {
				var out []any
				for _, g := range list(at(d, "fundingSummary", "groups")) {
					out = append(out, []any{at(g, "donor", "key"), at(g, "currency"), decimal(at(g, "total")), at(g, "fundingCount"), at(g, "projectCount")})
				}
				return out
			},
			lib: fmt.Sprintf(`{ organisations(where: {id: {in: %s}}, sort: [{id: ASC}]) { id %s } }`, quoted(donors), libCurrencyAggregates()),
			normLib: func(d any) any {
				var out []any
				for _, o := range list(at(d, "organisations")) {
					for _, c := range fundingCurrencies {
						agg := at(o, currencyAlias(c), "aggregate")
						edges := at(agg, "count", "edges")
						if n, _ := edges.(float64); n == 0 {
							continue
						}
						var cur, total any
						if c != "" {
							cur, total = c, at(agg, "edge", "amount", "sum")
						}
						out = append(out, []any{at(o, "id"), cur, total, edges, at(agg, "count", "nodes")})
					}
				}
				return out
			},
			libNote: "no grouping: one aliased `fundsConnection { aggregate }` per currency (the client must know the currencies: " +
				"EUR, USD, CHF and none) on each donor; grouping by country, theme, instrument or year has no equivalent",
			floor: `MATCH (o:Organisation)-[f:FUNDS]->(p:Project) WHERE o.id IN $keys
WITH o.id AS donor, f.currency AS currency, sum(f.amount) AS total, count(f) AS fundings, count(DISTINCT p) AS projects
RETURN donor, currency, CASE WHEN currency IS NULL THEN null ELSE total END AS total, fundings, projects
ORDER BY donor, currency IS NULL, currency`,
			floorParams: map[string]any{"keys": anyList(donors)},
			normFloor:   rows("donor", "currency", "total", "fundings", "projects"),
		},
	}
}

// fundingCurrencies are the currencies of the synthetic graph, in the order ours sorts groups
// (by currency, null last); "" stands for fundings without a stated amount.
var fundingCurrencies = []string{"CHF", "EUR", "USD", ""}

func currencyAlias(c string) string {
	if c == "" {
		return "none"
	}
	return "c" + c
}

func libCurrencyAggregates() string {
	out := ""
	for _, c := range fundingCurrencies {
		cond := "null"
		if c != "" {
			cond = strconv.Quote(c)
		}
		out += fmt.Sprintf(`%s: fundsConnection(where: {edge: {currency: {eq: %s}}}) { aggregate { count { nodes edges } edge { amount { sum } } } } `,
			currencyAlias(c), cond)
	}
	return out
}

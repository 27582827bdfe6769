package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// NestedList is a list selected below every node of a page ("Project.donors" below a page of
// Country.projects), read in the page's own statement: one subquery per node of the page, each
// sorted and cut to its own page inside (cypher/page_nested.cypher), so a query of several levels
// costs one round trip instead of one per level. Its Request may hold further NestedLists.
type NestedList struct {
	Name    string
	Request ListRequest
}

// MaxNestedDepth bounds how many levels of lists one statement reads; deeper lists are left to
// statements of their own.
const MaxNestedDepth = 4

// resolveNested resolves the codes in the filters of the nested lists (as Related does for its
// own), level by level.
func (s *Store) resolveNested(ctx context.Context, nested []NestedList) ([]NestedList, error) {
	if len(nested) == 0 {
		return nil, nil
	}
	out := make([]NestedList, len(nested))
	for i, n := range nested {
		rel, ok := relations[n.Name]
		if !ok {
			return nil, fmt.Errorf("nested: no list %q", n.Name)
		}
		if rel.kind != "" {
			where, err := s.ResolveWhere(ctx, rel.kind, n.Request.Where, "where")
			if err != nil {
				return nil, err
			}
			n.Request.Where = where
		}
		below, err := s.resolveNested(ctx, n.Request.Nested)
		if err != nil {
			return nil, err
		}
		n.Request.Nested = below
		out[i] = n
	}
	return out, nil
}

// withNested fills the nested lists of a page statement of nodes of kind: their subqueries
// (__NESTED__) and the list of their columns (__NESTED_COLUMNS__, null when there are none). It
// records in q how to read them.
func (c *compiler) withNested(q *pageQuery, kind string, nested []NestedList) error {
	text, columns, queries, err := c.nested(kind, nested, 1, "")
	if err != nil {
		return err
	}
	q.nested = queries
	q.cypher = strings.NewReplacer("__NESTED__", text, "__NESTED_COLUMNS__", columns).Replace(q.cypher)
	return nil
}

// nested writes the subqueries of the lists below the nodes (of kind, bound to n) of a page at
// this level, with the list expression of their columns and how to read each. path names the
// lists above (their positions), so that each list's page size is a parameter of its own.
func (c *compiler) nested(kind string, nested []NestedList, level int, path string) (text, columns string, queries []*pageQuery, err error) {
	if len(nested) == 0 {
		return "", "null", nil, nil
	}
	if level > MaxNestedDepth {
		return "", "", nil, fmt.Errorf("nested: more than %d levels of lists in one statement", MaxNestedDepth)
	}
	var texts, cols []string
	for i, n := range nested {
		rel, ok := relations[n.Name]
		if !ok || rel.kind == "" || kind == "" || !strings.HasPrefix(n.Name, kind+".") {
			return "", "", nil, fmt.Errorf("nested: %s is not a list of one kind below %s", n.Name, kind)
		}
		column := fmt.Sprintf("l%dc%d", level, i)
		outer := c.limit
		at := fmt.Sprintf("%s_%d", path, i)
		c.limit = "limit" + at
		q, err := c.relatedPage("page_nested", rel, n.Request, map[string]string{"__COLUMN__": column, "__PARENT__": "parent" + at})
		c.limit = outer
		if err != nil {
			return "", "", nil, err
		}
		below, belowColumns, belowQueries, err := c.nested(rel.kind, n.Request.Nested, level+1, at)
		if err != nil {
			return "", "", nil, err
		}
		q.nested = belowQueries
		q.cypher = strings.NewReplacer("__NESTED__", below, "__NESTED_COLUMNS__", belowColumns).Replace(q.cypher)
		texts = append(texts, q.cypher)
		cols = append(cols, column)
		queries = append(queries, q)
	}
	return strings.Join(texts, "\n"), "[" + strings.Join(cols, ", ") + "]", queries, nil
}

// relatedTotal is the count of a nested list for its parent a: none when not asked for, the
// parent's degree when nothing filters (where "true"), else a count of the matching rows.
func relatedTotal(rel relation, req ListRequest, where string) string {
	switch {
	case !req.WithTotal:
		return "RETURN null AS total"
	case where == "true":
		// Unfiltered: the parent's degree, which Neo4j reads from its degree store.
		return "RETURN COUNT { " + degreePattern(rel.pattern) + " } AS total"
	default:
		return "RETURN COUNT { MATCH " + rel.pattern + " WHERE " + where + " } AS total"
	}
}

// nestedRow is a row of a nested list (one element of the rows page_nested collects: a list of
// the values a record of page_related has, in the order of nestedRowColumns), read like a record.
type nestedRow []any

var nestedRowColumns = map[string]int{"relType": 0, "rel": 1, "sortValues": 2, "kind": 3, "props": 4, "refs": 5, "nested": 6}

func (r nestedRow) Get(key string) (any, bool) {
	i, ok := nestedRowColumns[key]
	if !ok || i >= len(r) {
		return nil, false
	}
	return r[i], true
}

// nestedPages reads the nested lists of one node (the list in its nested column, one [total,
// rows] per list of q.nested, in order) into pages.
func nestedPages(name string, value any, q *pageQuery) ([]*Page, error) {
	if len(q.nested) == 0 {
		return nil, nil
	}
	lists, _ := value.([]any)
	out := make([]*Page, len(q.nested))
	for i, nq := range q.nested {
		var total any
		var rows []any
		if i < len(lists) {
			if l, _ := lists[i].([]any); len(l) == 2 {
				total = l[0]
				rows, _ = l[1].([]any)
			}
		}
		p := &Page{Edges: make([]*model.Edge, 0, len(rows)), Total: toInt(total)}
		for _, r := range rows {
			row, ok := r.([]any)
			if !ok {
				continue
			}
			if err := addEdge(name, p, nestedRow(row), nq); err != nil {
				return nil, err
			}
		}
		finishPage(p, nq)
		out[i] = p
	}
	return out, nil
}

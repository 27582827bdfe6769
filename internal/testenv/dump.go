package testenv

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// GraphDump lists every node and relationship of the test graph with all their properties, one
// line each, sorted, the record of when things changed aside (changedAt, tombstones and the data
// version) and the audit log (change sets, what they touched, the curation lock) aside: two
// dumps are equal exactly when the graphs hold the same facts.
func GraphDump(t testing.TB) string { return Dump{}.String(t) }

// FullGraphDump is GraphDump with the record of changes: equal dumps are equal graphs.
func FullGraphDump(t testing.TB) string { return Dump{Changes: true}.String(t) }

// WholeGraphDump is FullGraphDump with the audit log too: nothing is left out, so a write that
// failed leaves it unchanged only if it wrote nothing at all.
func WholeGraphDump(t testing.TB) string { return Dump{Changes: true, Audit: true}.String(t) }

// Dump says what a dump of the test graph holds: every node and relationship (the record of
// migrations aside: it says when the schema was made, not what the graph holds), one line each
// with its labels or type and each property with its Go type, sorted.
type Dump struct {
	Changes bool // the record of changes: changedAt, tombstones, the data version
	Audit   bool // the audit log: change sets, what they touched, the curation lock
	// Props, when set, chooses the properties of each node and relationship that count.
	Props func(props map[string]any) map[string]any
}

// String is the dump as one text.
func (d Dump) String(t testing.TB) string {
	t.Helper()
	return strings.Join(d.Lines(t), "\n")
}

// Lines is the dump, one sorted line per node and relationship.
func (d Dump) Lines(t testing.TB) []string {
	t.Helper()
	ctx := context.Background()
	var lines []string
	for _, q := range []string{
		"MATCH (n) WHERE NOT n:SchemaMigration AND ($changes OR NOT (n:Tombstone OR n:GraphVersion)) AND ($audit OR NOT (n:ChangeSet OR n:ChangeTouch OR n:CurationLock)) RETURN n.id AS id, labels(n) AS what, properties(n) AS props",
		"MATCH (a)-[r]->(b) RETURN a.id + ' -> ' + b.id AS id, type(r) AS what, properties(r) AS props",
	} {
		res, err := neo4j.ExecuteQuery(ctx, Driver(t), q, map[string]any{"changes": d.Changes, "audit": d.Audit}, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			m := r.AsMap()
			props := m["props"].(map[string]any)
			if d.Props != nil {
				props = d.Props(props)
			}
			keys := make([]string, 0, len(props))
			for k := range props {
				if d.Changes || k != "changedAt" {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			var b strings.Builder
			fmt.Fprintf(&b, "%v %v", m["id"], m["what"])
			for _, k := range keys {
				fmt.Fprintf(&b, " %s=%T:%v", k, props[k], props[k])
			}
			lines = append(lines, b.String())
		}
	}
	sort.Strings(lines)
	return lines
}

// DiffLines shows the lines only one of two dumps has.
func DiffLines(want, got string) string {
	w, g := map[string]bool{}, map[string]bool{}
	for _, l := range strings.Split(want, "\n") {
		w[l] = true
	}
	for _, l := range strings.Split(got, "\n") {
		g[l] = true
	}
	var b strings.Builder
	for l := range w {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for l := range g {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

// ExportScope is what a whole-graph export holds: the projects matching Where (nil: all) and
// what links them, and with Since only what changed after it.
type ExportScope struct {
	Where map[string]any
	Since *time.Time
}

// ExportedNode is a node with the relationships its seed file writes in the node's row.
type ExportedNode struct {
	Props map[string]any
	// Links are those relationships, by column of the seed file.
	Links []ExportedRel
}

// ExportedRel is one relationship with its ends' keys; Column is the node file's column that
// holds it, for relationships written in a node's row.
type ExportedRel struct {
	Type, From, To, Column string
	Props                  map[string]any
}

// compileExportWhere resolves a project filter and compiles it once per variable (each a
// project); nil gives "true".
func (s *Store) compileExportWhere(ctx context.Context, where map[string]any, params map[string]any, vars ...string) ([]string, error) {
	out := make([]string, len(vars))
	if where == nil {
		for i := range out {
			out[i] = "true"
		}
		return out, nil
	}
	where, err := s.ResolveWhere(ctx, KindProject, where, "where")
	if err != nil {
		return nil, err
	}
	c := newCompiler(params)
	for i, v := range vars {
		if out[i], err = c.where(KindProject, v, where, "where"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func sinceParam(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

// ExportNodes hands the nodes of one seed file (f.Kind) in scope to fn, in key order, reading
// batches by keyset: only projects are filtered by scope.Where, every other node is written.
func (s *Store) ExportNodes(ctx context.Context, f dataset.ExportFile, scope ExportScope, fn func(*ExportedNode) error) error {
	if !writableKinds[f.Kind] {
		return fmt.Errorf("export nodes: kind %q is not a dataset kind", f.Kind)
	}
	params := map[string]any{"since": sinceParam(scope.Since)}
	filter := "true"
	if f.Kind == KindProject {
		compiled, err := s.compileExportWhere(ctx, scope.Where, params, "n")
		if err != nil {
			return err
		}
		filter = compiled[0]
	}
	out, in := []string{}, []string{}
	for _, l := range f.Inline {
		if !writableRelTypes[l.Type] {
			return fmt.Errorf("export nodes: type %q is not a dataset type", l.Type)
		}
		if l.Reverse {
			in = append(in, l.Type)
		} else {
			out = append(out, l.Type)
		}
	}
	// The seed file's own types (from the dataset catalogue, checked above) go into the patterns,
	// so that Neo4j expands only relationships of those types.
	lists, changed := map[string]string{"__OUT__": "[]", "__IN__": "[]"}, []string{}
	for _, c := range []struct {
		slot    string
		types   []string
		pattern string
	}{{"__OUT__", out, "(n)-[r:%s]->(m:Entity)"}, {"__IN__", in, "(n)<-[r:%s]-(m:Entity)"}} {
		if len(c.types) == 0 {
			continue
		}
		pattern := fmt.Sprintf(c.pattern, strings.Join(c.types, "|"))
		lists[c.slot] = "[" + pattern + " | {type: type(r), id: m.id, labels: labels(m), props: properties(r)}]"
		changed = append(changed, "EXISTS { "+pattern+" WHERE r.changedAt > $since }")
	}
	if len(changed) == 0 {
		changed = []string{"false"}
	}
	cypher := strings.NewReplacer("__LABEL__", f.Kind, "__WHERE__", filter, "__OUT__", lists["__OUT__"], "__IN__", lists["__IN__"],
		"__CHANGED__", strings.Join(changed, " OR ")).Replace(statement("export_nodes"))
	after, batch := "", firstExportBatch
	for ; ; batch = exportBatch {
		params["after"], params["batch"] = after, int64(batch)
		recs, err := s.readQuery(ctx, "export_nodes", cypher, params)
		if err != nil {
			return err
		}
		for _, r := range recs {
			m := r.AsMap()
			n := &ExportedNode{Props: asMap(m["props"])}
			id := fmt.Sprint(n.Props["id"])
			for dir, list := range map[bool]any{false: m["out"], true: m["in"]} {
				for _, l := range maps(list) {
					col := inlineColumn(f, fmt.Sprint(l["type"]), dir, stringList(l["labels"]))
					if col == "" {
						continue
					}
					rel := ExportedRel{Type: fmt.Sprint(l["type"]), From: id, To: fmt.Sprint(l["id"]), Column: col, Props: asMap(l["props"])}
					if dir {
						rel.From, rel.To = rel.To, rel.From
					}
					n.Links = append(n.Links, rel)
				}
			}
			sort.Slice(n.Links, func(i, j int) bool {
				return n.Links[i].Column+n.Links[i].From+n.Links[i].To < n.Links[j].Column+n.Links[j].From+n.Links[j].To
			})
			if err := fn(n); err != nil {
				return err
			}
			after = id
		}
		if len(recs) < batch {
			return nil
		}
	}
}

// inlineColumn is the column of f that holds a relationship of typ (to the node when reverse)
// whose far end has labels; "" when none does.
func inlineColumn(f dataset.ExportFile, typ string, reverse bool, labels []string) string {
	for _, l := range f.Inline {
		if l.Type == typ && l.Reverse == reverse && slices.ContainsFunc(l.Kinds, func(k string) bool { return slices.Contains(labels, k) }) {
			return l.Column
		}
	}
	return ""
}

// ExportRelationships hands the relationships of one relationship file (f.RelType between
// f.FromKinds and f.ToKinds) in scope to fn, read by their project end where they have one, in
// key order of that end: with scope.Where, only relationships whose project ends all match.
func (s *Store) ExportRelationships(ctx context.Context, f dataset.ExportFile, scope ExportScope, fn func(*ExportedRel) error) error {
	if !writableRelTypes[f.RelType] {
		return fmt.Errorf("export relationships: type %q is not a dataset type", f.RelType)
	}
	anchor, other, pattern := f.FromKinds, f.ToKinds, "(a)-[r:"+f.RelType+"]->(b:__OTHER__)"
	if slices.Contains(f.ToKinds, KindProject) && !slices.Contains(f.FromKinds, KindProject) {
		anchor, other, pattern = f.ToKinds, f.FromKinds, "(a)<-[r:"+f.RelType+"]-(b:__OTHER__)"
	}
	for _, k := range append(append([]string{}, anchor...), other...) {
		if !writableKinds[k] {
			return fmt.Errorf("export relationships: kind %q is not a dataset kind", k)
		}
	}
	params := map[string]any{"since": sinceParam(scope.Since)}
	filters, err := s.compileExportWhere(ctx, scope.Where, params, "a", "b")
	if err != nil {
		return err
	}
	whereA, whereB := "true", "true"
	if slices.Contains(anchor, KindProject) {
		whereA = "(NOT a:Project OR " + filters[0] + ")"
	}
	if slices.Contains(other, KindProject) {
		whereB = "(NOT b:Project OR " + filters[1] + ")"
	}
	cypher := strings.NewReplacer("__PATTERN__", pattern, "__ANCHOR__", strings.Join(anchor, "|"),
		"__WHERE_A__", whereA, "__WHERE_B__", whereB).Replace(statement("export_relationships"))
	cypher = strings.ReplaceAll(cypher, "__OTHER__", strings.Join(other, "|"))
	after := ""
	for {
		params["after"], params["batch"] = after, int64(exportBatch)
		recs, err := s.readQuery(ctx, "export_relationships", cypher, params)
		if err != nil {
			return err
		}
		for _, r := range recs {
			m := r.AsMap()
			rels := maps(m["rels"])
			sort.Slice(rels, func(i, j int) bool {
				return fmt.Sprint(rels[i]["props"].(map[string]any)["key"]) < fmt.Sprint(rels[j]["props"].(map[string]any)["key"])
			})
			for _, l := range rels {
				if err := fn(&ExportedRel{Type: f.RelType, From: fmt.Sprint(l["from"]), To: fmt.Sprint(l["to"]), Props: asMap(l["props"])}); err != nil {
					return err
				}
			}
			after = fmt.Sprint(m["anchor"])
		}
		if len(recs) < exportBatch {
			return nil
		}
	}
}

package store

import (
	"context"
	"fmt"
	"strings"
)

// ExportedProject is a project with every fact a bulk export writes about it, as the graph holds
// them (property maps of the node, its relationships and the nodes at their other ends).
type ExportedProject struct {
	Project      map[string]any
	Funders      []ExportedLink // org: the funding organisation; rel: the FUNDS relationship
	Implementers []ExportedLink // org: the organisation; rel: the IMPLEMENTS relationship (role)
	Countries    []map[string]any
	Themes       []map[string]any
	Instruments  []map[string]any
	Parents      []map[string]any
	Children     []map[string]any
	Sources      []map[string]any
}

// ExportedLink is an organisation and the relationship that links it to the project.
type ExportedLink struct {
	Org map[string]any
	Rel map[string]any
}

// exportBatch is how many projects one statement of an export reads; the first reads fewer, so
// that the first records follow the headers at once.
const (
	exportBatch      = 500
	firstExportBatch = 50
)

// ExportProjects hands every project in scope (matching its ProjectWhere, references resolved as
// in lists; with Since, changed after it or at one of its relationships) to fn, in key order, reading batches of a few hundred projects by keyset: the caller
// holds one batch at a time, however many projects match. It stops at fn's first error.
func (s *Store) ExportProjects(ctx context.Context, scope ExportScope, fn func(*ExportedProject) error) error {
	params := map[string]any{"since": sinceParam(scope.Since)}
	filter, err := s.compileExportWhere(ctx, scope.Where, params, "p")
	if err != nil {
		return err
	}
	cypher := strings.ReplaceAll(statement("export_projects"), "__WHERE__", filter[0])
	after, batch := "", firstExportBatch
	for ; ; batch = exportBatch {
		params["after"], params["batch"] = after, int64(batch)
		recs, err := s.readQuery(ctx, "export_projects", cypher, params)
		if err != nil {
			return err
		}
		for _, r := range recs {
			m := r.AsMap()
			p := &ExportedProject{Project: asMap(m["project"]), Countries: maps(m["countries"]), Themes: maps(m["themes"]),
				Instruments: maps(m["instruments"]), Parents: maps(m["parents"]), Children: maps(m["children"]), Sources: maps(m["sources"])}
			for _, l := range maps(m["funders"]) {
				p.Funders = append(p.Funders, ExportedLink{Org: asMap(l["org"]), Rel: asMap(l["rel"])})
			}
			for _, l := range maps(m["implementers"]) {
				p.Implementers = append(p.Implementers, ExportedLink{Org: asMap(l["org"]), Rel: asMap(l["rel"])})
			}
			if err := fn(p); err != nil {
				return err
			}
			after = fmt.Sprint(p.Project["id"])
		}
		if len(recs) < batch {
			return nil
		}
	}
}

// CountChangedProjects counts the projects an export with scope.Since covers (matching
// scope.Where, changed after Since or at one of their relationships), without reading their facts:
// what prices such an export. Without Since it is an error (the filter's count says it).
func (s *Store) CountChangedProjects(ctx context.Context, scope ExportScope) (int, error) {
	if scope.Since == nil {
		return 0, fmt.Errorf("count changed projects: no since")
	}
	params := map[string]any{"since": *scope.Since}
	filter, err := s.compileExportWhere(ctx, scope.Where, params, "p")
	if err != nil {
		return 0, err
	}
	recs, err := s.readQuery(ctx, "export_count_projects", strings.ReplaceAll(statement("export_count_projects"), "__WHERE__", filter[0]), params)
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	n, _ := recs[0].AsMap()["projects"].(int64)
	return int(n), nil
}

func maps(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, it := range list {
		if m := asMap(it); m != nil {
			out = append(out, m)
		}
	}
	return out
}

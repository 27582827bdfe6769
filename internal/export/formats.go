package export

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Flusher sends what was written so far to the client (http.Flusher); exports flush after every
// few hundred projects so that the first bytes come at once.
type Flusher interface{ Flush() }

func flushEvery(w io.Writer, n int) {
	if f, ok := w.(Flusher); ok && n%200 == 0 {
		f.Flush()
	}
}

// WriteNDJSON streams the matching projects as newline-delimited JSON, one ProjectDocument per
// line.
func WriteNDJSON(ctx context.Context, w io.Writer, st *store.Store, base string, scope store.ExportScope) error {
	enc := json.NewEncoder(w)
	n := 0
	return st.ExportProjects(ctx, scope, func(p *store.ExportedProject) error {
		n++
		defer flushEvery(w, n)
		return enc.Encode(ProjectDocument(base, p))
	})
}

// CSVColumns are the columns of the CSV export, in order; lists are joined with "; ".
var CSVColumns = []string{"key", "iri", "iati_identifier", "title", "status", "scope", "planned_start", "actual_start",
	"planned_end", "actual_end", "budget", "budget_currency", "countries", "donors", "implementers", "themes",
	"instruments", "parent", "datasets", "sources"}

// WriteCSV streams the matching projects as CSV (RFC 4180, a header line first), one row per
// project; related nodes are listed by key, countries by ISO code with their share.
func WriteCSV(ctx context.Context, w io.Writer, st *store.Store, base string, scope store.ExportScope) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	n := 0
	err := st.ExportProjects(ctx, scope, func(p *store.ExportedProject) error {
		n++
		props := p.Project
		str := func(k string) string {
			if v, ok := props[k]; ok && v != nil {
				return fmt.Sprint(v)
			}
			return ""
		}
		var countries, donors, implementers []string
		for _, c := range p.Countries {
			s := fmt.Sprint(c["iso2"])
			if rel, _ := c["rel"].(map[string]any); rel != nil && rel["share"] != nil {
				s += fmt.Sprintf(" (%v%%)", rel["share"])
			}
			countries = append(countries, s)
		}
		for _, f := range p.Funders {
			s := fmt.Sprint(f.Org["id"])
			if a, ok := f.Rel["amount"]; ok && a != nil {
				s += fmt.Sprintf(" (%v %v)", a, f.Rel["currency"])
			}
			donors = append(donors, s)
		}
		for _, i := range p.Implementers {
			implementers = append(implementers, fmt.Sprintf("%v (%v)", i.Org["id"], i.Rel["role"]))
		}
		parent := ""
		if len(p.Parents) > 0 {
			parent = fmt.Sprint(p.Parents[0]["id"])
		}
		key := str("id")
		row := []string{key, IRI(base, key), str("iatiIdentifier"), str("title"), str("status"), str("scope"),
			str("plannedStart"), str("actualStart"), str("plannedEnd"), str("actualEnd"), str("budget"), str("budgetCurrency"),
			strings.Join(countries, "; "), strings.Join(donors, "; "), strings.Join(implementers, "; "),
			strings.Join(ids(p.Themes), "; "), strings.Join(ids(p.Instruments), "; "), parent,
			joinAny(props["datasets"]), joinAny(props["sourceIds"])}
		if err := cw.Write(row); err != nil {
			return err
		}
		if n%200 == 0 {
			cw.Flush()
			flushEvery(w, n)
		}
		return cw.Error()
	})
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

func ids(nodes []map[string]any) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, fmt.Sprint(n["id"]))
	}
	return out
}

func joinAny(v any) string {
	list, _ := v.([]any)
	parts := make([]string, len(list))
	for i, x := range list {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, "; ")
}

// WriteJSONLD streams one JSON-LD document with the published context. Without where and since
// its @graph is the whole graph: every node (NodeDocument) and every relationship
// (RelationshipDocument), in the order and keyset batches of graph.ndjson. Otherwise it is the
// matching projects with, once each, the organisations, countries, themes, instruments and
// sources they link to (by name), and with since then what was deleted after it
// (DeletionDocument); only the set of nodes written so far is held.
func WriteJSONLD(ctx context.Context, w io.Writer, st *store.Store, base string, scope store.ExportScope) error {
	if _, err := fmt.Fprintf(w, "{\"@context\": %q,\n\"@graph\": [\n", ContextIRI(base)); err != nil {
		return err
	}
	if f, ok := w.(Flusher); ok {
		f.Flush()
	}
	written := map[string]bool{}
	first := true
	emit := func(doc map[string]any) error {
		b, err := json.Marshal(doc)
		if err != nil {
			return err
		}
		if !first {
			if _, err := io.WriteString(w, ",\n"); err != nil {
				return err
			}
		}
		first = false
		_, err = w.Write(b)
		return err
	}
	n := 0
	if scope.Where == nil && scope.Since == nil {
		err := walkGraph(ctx, st, scope, func(kind string, props map[string]any) error {
			n++
			defer flushEvery(w, n)
			return emit(NodeDocument(base, kind, props))
		}, func(r store.ExportedRel) error {
			n++
			defer flushEvery(w, n)
			return emit(RelationshipDocument(base, r))
		})
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, "\n]}\n")
		return err
	}
	related := func(kind string, id, name any, extra map[string]any) error {
		iri := IRI(base, fmt.Sprint(id))
		if written[iri] {
			return nil
		}
		written[iri] = true
		doc := map[string]any{"@id": iri, "@type": kind, "key": id, "name": name}
		for k, v := range extra {
			if v != nil {
				doc[k] = v
			}
		}
		return emit(doc)
	}
	err := st.ExportProjects(ctx, scope, func(p *store.ExportedProject) error {
		n++
		defer flushEvery(w, n)
		if err := emit(ProjectDocument(base, p)); err != nil {
			return err
		}
		for _, f := range append(append([]store.ExportedLink{}, p.Funders...), p.Implementers...) {
			extra := map[string]any{"shortName": f.Org["shortName"], "iatiIdentifier": f.Org["iatiIdentifier"]}
			if t, ok := f.Org["iatiType"].(string); ok {
				extra["organisationType"] = IATICodeIRI("OrganisationType", t)
			}
			if err := related("Organisation", f.Org["id"], f.Org["name"], extra); err != nil {
				return err
			}
		}
		for _, c := range p.Countries {
			if err := related("Country", c["id"], c["name"], map[string]any{"iso2": c["iso2"]}); err != nil {
				return err
			}
		}
		for _, t := range p.Themes {
			if err := related("ThematicArea", t["id"], t["name"], nil); err != nil {
				return err
			}
		}
		for _, i := range p.Instruments {
			if err := related("Instrument", i["id"], i["name"], nil); err != nil {
				return err
			}
		}
		for _, s := range p.Sources {
			if err := related("Source", s["id"], s["title"], map[string]any{"url": s["url"], "publisher": s["publisher"]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && scope.Since != nil {
		err = st.ExportTombstones(ctx, *scope.Since, func(t store.Tombstone) error { return emit(DeletionDocument(base, t)) })
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n]}\n")
	return err
}

// Package synthetic generates a deterministic graph of any size, shaped like the curated one, for
// tests and benchmarks at scale.
package synthetic

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

// Size is how many nodes of each kind to generate.
type Size struct {
	Countries     int
	Processes     int
	Instruments   int
	Organisations int
	Projects      int
	Themes        int
}

// Scale is the size benchmarks use: the order of magnitude of every migration project ever
// published to IATI, several times over.
var Scale = Size{Countries: 200, Processes: 50, Instruments: 500, Organisations: 2000, Projects: 100_000, Themes: 18}

// Validate checks that a size can be generated.
func (s Size) Validate() error {
	switch {
	case s.Countries < 1 || s.Countries > len(codeChars)*len(codeChars):
		return fmt.Errorf("countries must be 1 to %d, got %d", len(codeChars)*len(codeChars), s.Countries)
	case s.Processes < 0, s.Instruments < 0, s.Organisations < 1, s.Projects < 0:
		return fmt.Errorf("processes, instruments and projects must not be negative, organisations at least 1: %+v", s)
	case s.Themes < 1:
		return fmt.Errorf("themes must be at least 1, got %d", s.Themes)
	}
	return nil
}

// codeChars make the synthetic country codes: two letters, as the dataset's rules want of an ISO
// alpha-2 code.
const codeChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

var (
	regions       = []string{"Africa", "Asia", "Europe", "Americas", "Oceania"}
	euRelations   = []string{"MEMBER_STATE", "CANDIDATE", "NEIGHBOURHOOD", "OTHER", "OTHER", "OTHER"}
	orgKinds      = []string{"GOVERNMENT", "GOVERNMENT_AGENCY", "INTERNATIONAL_ORGANISATION", "NGO", "EU_INSTITUTION"}
	currencies    = []string{"EUR", "EUR", "EUR", "EUR", "USD", "CHF"}
	implRoles     = []string{"IMPLEMENTING", "IMPLEMENTING", "EXTENDING", "ACCOUNTABLE"}
	instrumentMix = []string{"FUNDING_INSTRUMENT", "FUNDING_INSTRUMENT", "FUNDING_INSTRUMENT", "PARTNERSHIP_AGREEMENT", "ACTION_PLAN"}
)

// Generate builds the graph for a size from a seed; the same size and seed always give the same
// graph. Keys start with `syn-` so they never meet curated keys. It holds the whole graph in
// memory: Stream writes graphs of any size in bounded memory.
func Generate(size Size, seed uint64) (*dataset.Dataset, error) {
	var d *dataset.Dataset
	err := Stream(size, seed, math.MaxInt, func(chunk *dataset.Dataset) error {
		d = chunk
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Stream generates the graph Generate builds for a size and seed, handing it to emit in chunks of
// about chunkRows nodes and relationships each (one node's relationships are never split from
// it). Every relationship of a chunk joins nodes of that chunk or of earlier ones, so the chunks
// can be written in order as they come; together they are Generate's graph, whatever chunkRows
// is. emit owns each chunk it is given. An error from emit stops the generation and is returned.
func Stream(size Size, seed uint64, chunkRows int, emit func(*dataset.Dataset) error) error {
	if err := size.Validate(); err != nil {
		return err
	}
	if chunkRows < 1 {
		return fmt.Errorf("chunks must hold at least one row, got %d", chunkRows)
	}
	g := &generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), d: &dataset.Dataset{},
		chunkRows: chunkRows, emit: emit}
	themes := g.themes(size.Themes)
	countries := g.countries(size.Countries)
	orgs := g.organisations(size.Organisations, countries)
	g.processes(size.Processes, countries, themes)
	instruments := g.instruments(size.Instruments)
	g.projects(size.Projects, countries, orgs, instruments, themes)
	g.priorities(countries, themes)
	if g.err == nil && len(g.d.Nodes)+len(g.d.Rels) > 0 {
		g.err = emit(g.d)
	}
	return g.err
}

// Counts are how many nodes and relationships of each kind and type a generated graph holds.
type Counts struct {
	Nodes map[string]int
	Rels  map[string]int
}

// Count generates the graph of a size and seed without keeping it, and counts what it holds.
func Count(size Size, seed uint64) (Counts, error) {
	c := Counts{Nodes: map[string]int{}, Rels: map[string]int{}}
	err := Stream(size, seed, 10_000, func(chunk *dataset.Dataset) error {
		for _, n := range chunk.Nodes {
			c.Nodes[n.Kind]++
		}
		for _, r := range chunk.Rels {
			c.Rels[r.Type]++
		}
		return nil
	})
	return c, err
}

// Total is the number of nodes and of relationships.
func (c Counts) Total() (nodes, rels int) {
	for _, n := range c.Nodes {
		nodes += n
	}
	for _, n := range c.Rels {
		rels += n
	}
	return nodes, rels
}

type generator struct {
	rng       *rand.Rand
	d         *dataset.Dataset // the chunk being filled
	chunkRows int
	emit      func(*dataset.Dataset) error
	err       error // emit's error: nothing more is generated
}

// node starts a node, handing the chunk so far to emit first when it is full: a node and the
// relationships generated after it stay in one chunk.
func (g *generator) node(kind string, props map[string]any) string {
	if g.err == nil && len(g.d.Nodes)+len(g.d.Rels) >= g.chunkRows {
		g.err = g.emit(g.d)
		g.d = &dataset.Dataset{}
	}
	g.d.Nodes = append(g.d.Nodes, dataset.Node{Kind: kind, Props: props})
	return props["id"].(string)
}

func (g *generator) rel(typ, from, to string, props map[string]any) {
	if props == nil {
		props = map[string]any{}
	}
	g.d.Rels = append(g.d.Rels, dataset.Rel{Type: typ, From: from, To: to, Props: props})
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// some picks n distinct elements of list (all of it when n is larger).
func (g *generator) some(list []string, n int) []string {
	if n >= len(list) {
		return list
	}
	seen := map[int]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		i := g.rng.IntN(len(list))
		if !seen[i] {
			seen[i] = true
			out = append(out, list[i])
		}
	}
	return out
}

func (g *generator) date(fromYear, years int) string {
	return fmt.Sprintf("%04d-%02d-%02d", fromYear+g.rng.IntN(years), 1+g.rng.IntN(12), 1+g.rng.IntN(28))
}

func (g *generator) themes(n int) []string {
	out := make([]string, n)
	for i := range n {
		out[i] = g.node(dataset.KindThematicArea, map[string]any{
			"id": fmt.Sprintf("theme:syn-%02d", i+1), "name": fmt.Sprintf("Theme %02d", i+1),
			"dacCodes": []string{fmt.Sprintf("15%03d", 100+i)},
		})
	}
	return out
}

func (g *generator) countries(n int) []string {
	out := make([]string, n)
	for i := range n {
		iso2 := string([]byte{codeChars[i/len(codeChars)], codeChars[i%len(codeChars)]})
		out[i] = g.node(dataset.KindCountry, map[string]any{
			"id": "country:syn-" + iso2, "iso2": iso2, "iso3": "Q" + iso2, "name": fmt.Sprintf("Country %s", iso2),
			"region": regions[i%len(regions)], "subregion": fmt.Sprintf("%s %d", regions[i%len(regions)], i%4),
			"euRelation": g.pick(euRelations),
		})
	}
	return out
}

func (g *generator) organisations(n int, countries []string) []string {
	out := make([]string, n)
	for i := range n {
		kind := orgKinds[i%len(orgKinds)]
		id := g.node(dataset.KindOrganisation, map[string]any{
			"id": fmt.Sprintf("org:syn-%05d", i+1), "name": fmt.Sprintf("Organisation %05d", i+1),
			"shortName": fmt.Sprintf("O%05d", i+1), "kind": kind,
		})
		if kind == "GOVERNMENT" || kind == "GOVERNMENT_AGENCY" {
			g.rel(dataset.RelBasedIn, id, g.pick(countries), nil)
		}
		out[i] = id
	}
	return out
}

func (g *generator) processes(n int, countries, themes []string) {
	for i := range n {
		id := g.node(dataset.KindRegionalProcess, map[string]any{
			"id": fmt.Sprintf("process:syn-%03d", i+1), "name": fmt.Sprintf("Regional dialogue %03d", i+1),
			"shortName": fmt.Sprintf("Process %03d", i+1), "launched": g.date(1991, 30),
		})
		for _, c := range g.some(countries, 10+g.rng.IntN(50)) {
			g.rel(dataset.RelMemberOf, c, id, map[string]any{"role": "MEMBER", "from": g.date(1991, 30)})
		}
		for j, t := range g.some(themes, 2+g.rng.IntN(4)) {
			g.rel(dataset.RelHasPillar, id, t, map[string]any{"pillar": fmt.Sprintf("Pillar %d", j+1)})
		}
	}
}

func (g *generator) instruments(n int) []string {
	out := make([]string, n)
	for i := range n {
		id := g.node(dataset.KindInstrument, map[string]any{
			"id": fmt.Sprintf("instrument:syn-%04d", i+1), "name": fmt.Sprintf("Instrument %04d", i+1),
			"shortName": fmt.Sprintf("I%04d", i+1), "kind": g.pick(instrumentMix), "started": g.date(2000, 25),
		})
		if i > 10 && g.rng.IntN(10) == 0 {
			g.d.Nodes[len(g.d.Nodes)-1].Props["kind"] = "FUNDING_WINDOW"
			g.rel(dataset.RelPartOf, id, out[g.rng.IntN(10)], nil)
		}
		out[i] = id
	}
	return out
}

func (g *generator) projects(n int, countries, orgs, instruments, themes []string) {
	for i := 0; i < n && g.err == nil; i++ {
		start := 2005 + g.rng.IntN(22)
		years := 1 + g.rng.IntN(6)
		status := "CLOSED"
		switch {
		case start > 2026:
			status = "PIPELINE"
		case start+years >= 2026:
			status = "IMPLEMENTATION"
		}
		scope, targets := "NATIONAL", 1
		switch r := g.rng.IntN(20); {
		case r < 5:
			scope, targets = "REGIONAL", 2+g.rng.IntN(7)
		case r == 5:
			scope, targets = "GLOBAL", 10+g.rng.IntN(10)
		}
		props := map[string]any{
			"id": fmt.Sprintf("project:syn-%06d", i+1), "title": fmt.Sprintf("Project %06d", i+1),
			"status": status, "scope": scope,
			"plannedStart": fmt.Sprintf("%04d-%02d-01", start, 1+g.rng.IntN(12)),
			"plannedEnd":   fmt.Sprintf("%04d-%02d-28", start+years, 1+g.rng.IntN(12)),
		}
		if status != "PIPELINE" {
			props["actualStart"] = props["plannedStart"]
		}
		currency := g.pick(currencies)
		budget := float64(100_000 * (1 + g.rng.IntN(500)))
		props["budget"], props["budgetCurrency"] = budget, currency
		id := g.node(dataset.KindProject, props)

		share := 100.0 / float64(targets)
		for _, c := range g.some(countries, targets) {
			g.rel(dataset.RelTargets, id, c, map[string]any{"share": share})
		}
		donors := g.some(orgs, 1+g.rng.IntN(3))
		for _, o := range donors {
			f := map[string]any{}
			if g.rng.IntN(10) > 0 {
				f["amount"], f["currency"] = budget/float64(len(donors)), currency
			}
			g.rel(dataset.RelFunds, o, id, f)
		}
		for j, o := range g.some(orgs, 1+g.rng.IntN(2)) {
			g.rel(dataset.RelImplements, o, id, map[string]any{"role": g.pick(implRoles), "lead": j == 0})
		}
		if len(instruments) > 0 && g.rng.IntN(5) > 0 {
			g.rel(dataset.RelFinancedBy, id, g.pick(instruments), nil)
		}
		for _, t := range g.some(themes, 1+g.rng.IntN(3)) {
			g.rel(dataset.RelAddresses, id, t, nil)
		}
	}
}

// priorities gives about half of the countries one to three stated priorities.
func (g *generator) priorities(countries, themes []string) {
	n := 0
	for _, c := range countries {
		if g.rng.IntN(2) == 0 {
			continue
		}
		for _, t := range g.some(themes, 1+g.rng.IntN(3)) {
			n++
			id := g.node(dataset.KindPriority, map[string]any{
				"id": fmt.Sprintf("priority:syn-%05d", n), "statedBy": "Government of " + c,
				"statement": "Stated priority " + t, "stated": g.date(2015, 10),
			})
			g.rel(dataset.RelStates, c, id, nil)
			g.rel(dataset.RelAbout, id, t, nil)
		}
	}
}

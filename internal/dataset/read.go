package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Node is one node to write: its kind (label) and properties, "id" among them.
type Node struct {
	Kind  string
	Props map[string]any
	// Ref marks a node the dataset names (its relationships reach it) without stating any of its
	// properties: it must exist already, and the dataset is recorded among those asserting it.
	Ref bool
	// Version is the version of the facts as their publisher states it (an IATI activity's
	// last-updated-datetime), recorded with the dataset's assertion; "" when none.
	Version string
	// Preserve names properties that an existing node keeps when the dataset rewrites it (the
	// first import time of a file's source).
	Preserve []string
}

// Rel is one relationship to write between two node ids.
type Rel struct {
	Type  string
	From  string
	To    string
	Props map[string]any
}

// Key identifies a relationship in the graph: its type, its ends, and the property that tells
// two relationships of one type between the same nodes apart (a membership's role, a pillar).
func (r Rel) Key() string {
	disc := ""
	for _, p := range []string{"role", "pillar"} {
		if v, ok := r.Props[p]; ok && v != nil {
			disc += fmt.Sprint(v)
		}
		disc += "|"
	}
	return r.Type + "|" + r.From + "|" + r.To + "|" + disc
}

// Dataset is a whole, validated seed: every reference in it resolves.
type Dataset struct {
	Nodes []Node
	Rels  []Rel
}

// Problem is one wrong value, located by file, line and field.
type Problem struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (p Problem) String() string {
	switch {
	case p.Line == 0:
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	case p.Field == "":
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	default:
		return fmt.Sprintf("%s:%d: field %q: %s", p.File, p.Line, p.Field, p.Msg)
	}
}

// InvalidError lists every problem found in a seed; nothing of such a seed is written.
type InvalidError struct {
	Problems []Problem
}

// maxReported bounds the problems listed in the error text.
const maxReported = 50

func (e *InvalidError) Error() string {
	return ListProblems(fmt.Sprintf("seed is invalid (%d problems); nothing was written", len(e.Problems)), e.Problems)
}

// ListProblems writes a heading and the first problems under it, one per line, saying how many
// more there are: the text of every error that refuses a file for its content.
func ListProblems[P fmt.Stringer](heading string, problems []P) string {
	var b strings.Builder
	b.WriteString(heading)
	for i, p := range problems {
		if i == maxReported {
			fmt.Fprintf(&b, "\n  ... and %d more", len(problems)-maxReported)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// pendingRef is a reference checked once every file is read.
type pendingRef struct {
	at    Problem // where the reference is written
	id    string
	kinds []string // kinds the referenced node may have
}

type reader struct {
	dir      string
	problems []Problem
	kindOf   map[string]string // node id -> kind
	refs     []pendingRef
	relKeys  map[string]Problem
	aliases  []pendingAlias
	data     Dataset
}

// pendingAlias is a row of an alias file, applied once every file is read.
type pendingAlias struct {
	at    Problem
	node  string
	alias string
}

// Read reads and validates every seed file in dir. It returns *InvalidError listing every
// problem (file, line, field) when any file is wrong.
func Read(dir string) (*Dataset, error) {
	r := &reader{dir: dir, kindOf: map[string]string{}, relKeys: map[string]Problem{}}
	if err := r.checkFileNames(); err != nil {
		return nil, err
	}
	for _, spec := range fileSpecs {
		if err := r.readFile(spec); err != nil {
			return nil, err
		}
	}
	r.checkRefs()
	r.applyAliases()
	if len(r.problems) > 0 {
		return nil, &InvalidError{Problems: r.problems}
	}
	return &r.data, nil
}

// checkFileNames reports CSV files that no spec reads, so that a misspelt file name is not
// silently ignored.
func (r *reader) checkFileNames() error {
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	known := make([]string, 0, len(fileSpecs))
	for _, spec := range fileSpecs {
		known = append(known, spec.file)
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".csv") && !slices.Contains(known, e.Name()) {
			r.problem(filepath.Join(r.dir, e.Name()), 0, "", "unknown seed file; the known ones are %s", strings.Join(known, ", "))
		}
	}
	return nil
}

func (r *reader) problem(file string, line int, field, format string, args ...any) {
	r.problems = append(r.problems, Problem{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// readFile reads one CSV file. Only I/O failures are returned; wrong content becomes problems.
func (r *reader) readFile(spec fileSpec) error {
	path := filepath.Join(r.dir, spec.file)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // a dataset may leave out the files it has nothing for
	}
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer f.Close()

	cr := csv.NewReader(f)
	cr.Comment = '#'
	header, err := cr.Read()
	if err == io.EOF {
		r.problem(path, 1, "", "file is empty; want a header line")
		return nil
	}
	if err != nil {
		r.problem(path, csvLine(err), "", "%v", csvMessage(err))
		return nil
	}
	columns := spec.columns
	if spec.facts {
		columns = append(append([]column{}, columns...), sourceColumns...)
	}
	index, ok := r.checkHeader(path, header, columns)
	if !ok {
		return nil
	}
	for {
		record, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			r.problem(path, csvLine(err), "", "%v", csvMessage(err))
			return nil
		}
		line, _ := cr.FieldPos(0)
		r.readRow(spec, columns, index, path, line, record)
	}
}

func (r *reader) checkHeader(path string, header []string, columns []column) (map[string]int, bool) {
	index := map[string]int{}
	ok := true
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := index[h]; dup {
			r.problem(path, 1, h, "column appears twice in the header")
			ok = false
		}
		index[h] = i
	}
	want := map[string]bool{}
	for _, c := range columns {
		want[c.name] = true
		// Optional columns may be left out of a file; required ones may not.
		if _, found := index[c.name]; !found && (c.required || c.name == "source" || c.name == "status") {
			r.problem(path, 1, c.name, "required column is missing from the header")
			ok = false
		}
	}
	for _, h := range header {
		if !want[strings.TrimSpace(h)] {
			r.problem(path, 1, h, "unknown column")
			ok = false
		}
	}
	return index, ok
}

func (r *reader) readRow(spec fileSpec, columns []column, index map[string]int, path string, line int, record []string) {
	props := map[string]any{}
	values := map[string]string{}
	refs := map[string]string{} // column name -> referenced id
	bad := false
	for _, c := range columns {
		raw := ""
		if i, found := index[c.name]; found {
			raw = record[i]
		}
		values[c.name] = strings.TrimSpace(raw)
		v, err := parseValue(c, raw)
		if err != nil {
			r.problem(path, line, c.name, "%v", err)
			bad = true
			continue
		}
		if c.kind == ref && v != nil {
			id := refID(c.refKinds, v.(string))
			r.refs = append(r.refs, pendingRef{at: Problem{File: path, Line: line, Field: c.name}, id: id, kinds: c.refKinds})
			refs[c.name] = id
			v = id
		}
		if c.prop != "" && v != nil {
			props[c.prop] = v
		}
	}
	if spec.facts {
		if !r.readSources(path, line, values, props) {
			bad = true
		}
	}
	if bad {
		return
	}
	if spec.aliasOf != "" {
		r.aliases = append(r.aliases, pendingAlias{at: Problem{File: path, Line: line, Field: spec.aliasColumn},
			node: refs[spec.aliasOf], alias: values[spec.aliasColumn]})
		return
	}
	if spec.kind == "" {
		r.addRel(path, line, spec.relType, refs[spec.fromColumn], refs[spec.toColumn], props)
		return
	}
	id := spec.idPrefix + values[spec.idColumn]
	props["id"] = id
	if prev, dup := r.kindOf[id]; dup {
		r.problem(path, line, spec.idColumn, "id %s is already used (kind %s)", id, prev)
		return
	}
	r.kindOf[id] = spec.kind
	r.data.Nodes = append(r.data.Nodes, Node{Kind: spec.kind, Props: props})
	// Reference columns of node files become relationships carrying the row's sources.
	for _, c := range columns {
		target, ok := refs[c.name]
		if !ok || c.relType == "" {
			continue
		}
		relProps := map[string]any{"sourceIds": props["sourceIds"], "sourceLocators": props["sourceLocators"], "sourceStatuses": props["sourceStatuses"]}
		if c.relReverse {
			r.addRel(path, line, c.relType, target, id, relProps)
		} else {
			r.addRel(path, line, c.relType, id, target, relProps)
		}
	}
}

// addRel records a relationship, refusing a second one of the same type, ends and role or pillar.
func (r *reader) addRel(path string, line int, relType, from, to string, props map[string]any) {
	key := Rel{Type: relType, From: from, To: to, Props: props}.Key()
	if prev, dup := r.relKeys[key]; dup {
		r.problem(path, line, "", "same %s from %s to %s as line %d; give one row several sources instead", relType, from, to, prev.Line)
		return
	}
	r.relKeys[key] = Problem{File: path, Line: line}
	r.data.Rels = append(r.data.Rels, Rel{Type: relType, From: from, To: to, Props: props})
}

// readSources checks the source, locator and status cells (several separated by " | ") and sets
// the parallel list properties sourceIds, sourceLocators and sourceStatuses.
func (r *reader) readSources(path string, line int, values map[string]string, props map[string]any) bool {
	ids := splitSources(values["source"])
	statuses := splitSources(values["status"])
	locators := splitSources(values["locator"])
	ok := true
	if len(statuses) != len(ids) {
		r.problem(path, line, "status", "want one status per source (%d), got %d", len(ids), len(statuses))
		ok = false
	}
	if values["locator"] != "" && len(locators) != len(ids) {
		r.problem(path, line, "locator", "want one locator per source (%d), got %d; leave a part empty if a source has none", len(ids), len(locators))
		ok = false
	}
	for len(locators) < len(ids) {
		locators = append(locators, "")
	}
	mapped := make([]string, 0, len(statuses))
	for _, s := range statuses {
		v, known := verificationStatus[s]
		if !known {
			r.problem(path, line, "status", "want V (verified), W (weak) or U (unverified), got %q", s)
			ok = false
		}
		mapped = append(mapped, v)
	}
	for _, id := range ids {
		r.refs = append(r.refs, pendingRef{at: Problem{File: path, Line: line, Field: "source"}, id: id, kinds: []string{KindSource}})
	}
	props["sourceIds"] = ids
	props["sourceLocators"] = locators
	props["sourceStatuses"] = mapped
	return ok
}

func splitSources(s string) []string {
	if strings.TrimSpace(s) == "" {
		return []string{}
	}
	parts := strings.Split(s, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// checkRefs reports references to ids no file defines, or to nodes of a kind the column does not take.
func (r *reader) checkRefs() {
	for _, ref := range r.refs {
		kind, ok := r.kindOf[ref.id]
		switch {
		case !ok:
			r.problem(ref.at.File, ref.at.Line, ref.at.Field, "%s is not defined in any seed file", ref.id)
		case !slices.Contains(ref.kinds, kind):
			r.problem(ref.at.File, ref.at.Line, ref.at.Field, "%s is of kind %s; want kind %s", ref.id, kind, strings.Join(ref.kinds, " or "))
		}
	}
}

// applyAliases adds the rows of alias files to their nodes' aliases. An alias that another node
// of the same kind already answers to (by name, short name or alias, compared as NameKey) would make resolution
// by name ambiguous, and one the node already has is redundant: both are problems.
func (r *reader) applyAliases() {
	if len(r.aliases) == 0 {
		return
	}
	nodes := map[string]*Node{}
	owner := map[string]string{} // kind + NameKey -> node id
	for i := range r.data.Nodes {
		n := &r.data.Nodes[i]
		id, _ := n.Props["id"].(string)
		nodes[id] = n
		for _, name := range namesOf(n) {
			if _, taken := owner[n.Kind+"|"+NameKey(name)]; !taken {
				owner[n.Kind+"|"+NameKey(name)] = id
			}
		}
	}
	for _, a := range r.aliases {
		n, ok := nodes[a.node]
		if !ok {
			continue // reported by checkRefs
		}
		key := n.Kind + "|" + NameKey(a.alias)
		if NameKey(a.alias) == "" {
			r.problem(a.at.File, a.at.Line, a.at.Field, "alias %q has no letters or digits", a.alias)
			continue
		}
		switch other, taken := owner[key]; {
		case taken && other == a.node:
			r.problem(a.at.File, a.at.Line, a.at.Field, "%s already answers to %q (its name, short name or an alias)", a.node, a.alias)
			continue
		case taken:
			r.problem(a.at.File, a.at.Line, a.at.Field, "%q is already a name of %s; one name may resolve to one node only", a.alias, other)
			continue
		}
		owner[key] = a.node
		aliases, _ := n.Props["aliases"].([]string)
		n.Props["aliases"] = append(aliases, a.alias)
	}
}

// namesOf returns the names a node answers to.
func namesOf(n *Node) []string {
	var names []string
	for _, p := range []string{"name", "shortName"} {
		if s, ok := n.Props[p].(string); ok && s != "" {
			names = append(names, s)
		}
	}
	aliases, _ := n.Props["aliases"].([]string)
	return append(names, aliases...)
}

// refID turns a reference cell into a node id: countries are written as ISO alpha-2 codes.
func refID(kinds []string, v string) string {
	if slices.Contains(kinds, KindCountry) && iso2Pattern.MatchString(v) {
		return "country:" + v
	}
	return v
}

func csvLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return 0
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

package dataset

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// RowSource is the file name that Problems of a row checked by CheckRow carry.
const RowSource = "input"

// RowMode says what a row checked by CheckRow stands for.
type RowMode int

const (
	// RowCreate is a new node (or relationship): every required column must be given, and the
	// reference columns of a node file become its relationships, as in a seed file.
	RowCreate RowMode = iota
	// RowRewrite is an existing node's whole new statement: the reference columns of node files
	// are left out (its relationships change on their own, not through its properties).
	RowRewrite
)

// KindOfIDs tells the kind of each id the graph holds (ids it does not hold are left out).
type KindOfIDs func(ids []string) (map[string]string, error)

// CheckRow checks one row, given as column name -> text exactly as a seed file would hold it,
// for the node kind or relationship type named by what, with the rules `seed load` and the
// importers apply to files (the same column specs, value parsing, sources and references):
// references are resolved through kindOf instead of other files. For a relationship, from and to
// are its ends (node ids, or ISO alpha-2 codes where a country is wanted). It returns the node
// (or none) and the relationships the row makes, or every problem found, each naming the column
// in Field.
func CheckRow(what string, mode RowMode, from, to string, values map[string]string, kindOf KindOfIDs) (*Dataset, []Problem, error) {
	spec, ok := specOf(what)
	if !ok {
		return nil, []Problem{{File: RowSource, Field: "kind", Msg: fmt.Sprintf("%s is not a kind or relationship type the dataset holds", what)}}, nil
	}
	columns := spec.columns
	if mode == RowRewrite && spec.kind != "" {
		columns = slices.DeleteFunc(slices.Clone(columns), func(c column) bool { return c.relType != "" })
	}
	if spec.facts {
		columns = append(slices.Clone(columns), sourceColumns...)
	}
	r := &reader{dir: "", kindOf: map[string]string{}, relKeys: map[string]Problem{}}
	index := map[string]int{}
	record := make([]string, 0, len(columns))
	known := map[string]bool{}
	for _, c := range columns {
		known[c.name] = true
	}
	values = maps.Clone(values)
	if values == nil {
		values = map[string]string{}
	}
	if spec.kind == "" {
		values[spec.fromColumn], values[spec.toColumn] = from, to
	}
	for _, name := range sortedNames(values) {
		if !known[name] {
			hint := "not a column of " + spec.file
			if c, isRel := relColumn(spec, name); isRel {
				hint = fmt.Sprintf("a relationship (%s): add or remove it as a relationship", c.relType)
			}
			r.problem(RowSource, 0, name, "%s", hint)
		}
	}
	for i, c := range columns {
		index[c.name] = i
		record = append(record, values[c.name])
	}
	r.readRow(spec, columns, index, RowSource, 0, record)
	ids := make([]string, 0, len(r.refs))
	for _, ref := range r.refs {
		ids = append(ids, ref.id)
	}
	if len(ids) > 0 {
		kinds, err := kindOf(ids)
		if err != nil {
			return nil, nil, err
		}
		for id, k := range kinds {
			if _, own := r.kindOf[id]; !own {
				r.kindOf[id] = k
			}
		}
	}
	r.checkRefs()
	if len(r.problems) > 0 {
		return nil, r.problems, nil
	}
	return &r.data, nil, nil
}

// RowOf writes a node's properties as read from the graph back as the row of the file holding
// its kind (the columns CheckRow takes), sources included; reference columns are left out.
func RowOf(kind string, props map[string]any) map[string]string {
	spec, found := specOf(kind)
	out := map[string]string{}
	if !found {
		return out
	}
	for _, c := range spec.columns {
		if c.prop == "" || c.relType != "" {
			continue
		}
		v, ok := props[c.prop]
		if !ok || v == nil {
			continue
		}
		if spec.idPrefix != "" && c.prop == "id" {
			continue
		}
		out[c.name] = cellText(v)
	}
	if spec.facts {
		ids, locators, statuses := textList(props["sourceIds"]), textList(props["sourceLocators"]), textList(props["sourceStatuses"])
		for i, s := range statuses {
			if l, ok := StatusLetter(s); ok {
				statuses[i] = l
			}
		}
		if len(ids) > 0 {
			out["source"], out["status"] = strings.Join(ids, " | "), strings.Join(statuses, " | ")
			if strings.Join(locators, "") != "" {
				out["locator"] = strings.Join(locators, " | ")
			}
		}
	}
	return out
}

// cellText writes one property value as a seed file's cell holds it.
func cellText(v any) string {
	switch x := v.(type) {
	case []any, []string:
		return strings.Join(textList(x), "; ")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}

func textList(v any) []string {
	switch x := v.(type) {
	case []string:
		return slices.Clone(x)
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}

// PropertiesOf lists the properties the file holding what states (reference columns left out),
// its sources included: those a rewrite through CheckRow decides.
func PropertiesOf(what string) []string {
	spec, found := specOf(what)
	if !found {
		return nil
	}
	var out []string
	for _, c := range spec.columns {
		if c.prop != "" && c.relType == "" {
			out = append(out, c.prop)
		}
	}
	if spec.facts {
		out = append(out, "sourceIds", "sourceLocators", "sourceStatuses")
	}
	return out
}

// StatesFacts says whether the rows of what's file state facts and so cite their sources
// (source, locator and status columns): every kind and type but sources themselves.
func StatesFacts(what string) bool {
	spec, found := specOf(what)
	return found && spec.facts
}

// StatusLetter is the letter a source status has in seed files (VERIFIED -> V...).
func StatusLetter(status string) (string, bool) {
	for letter, s := range verificationStatus {
		if s == status {
			return letter, true
		}
	}
	return "", false
}

// specOf finds the file that holds a node kind or relationship type; a relationship that node
// files make from a reference column gets a spec of its own, with the ends that column allows.
func specOf(what string) (fileSpec, bool) {
	for _, s := range fileSpecs {
		if s.aliasOf == "" && (s.kind == what || (s.kind == "" && s.relType == what)) {
			return s, true
		}
	}
	for _, s := range fileSpecs {
		for _, c := range s.columns {
			if c.relType != what {
				continue
			}
			fromKinds, toKinds := []string{s.kind}, c.refKinds
			if c.relReverse {
				fromKinds, toKinds = c.refKinds, []string{s.kind}
			}
			return fileSpec{file: s.file + " (column " + c.name + ")", relType: what, fromColumn: "from", toColumn: "to", facts: true,
				columns: []column{refCol("from", true, fromKinds...), refCol("to", true, toKinds...)}}, true
		}
	}
	return fileSpec{}, false
}

func relColumn(spec fileSpec, name string) (column, bool) {
	for _, c := range spec.columns {
		if c.name == name && c.relType != "" {
			return c, true
		}
	}
	return column{}, false
}

func sortedNames(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package dataset

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// ExportFile is one file of the seed format as an export of the graph writes it: a node file
// (Kind, with the relationships its reference columns hold) or a relationship file (RelType).
type ExportFile struct {
	Name string
	Kind string
	// Inline are the reference columns of a node file: relationships written in its rows.
	Inline []InlineRel
	// A relationship file: its type and the kinds at its two ends.
	RelType            string
	FromKinds, ToKinds []string
}

// InlineRel is a reference column of a node file: a relationship of Type from the row's node to
// a node of one of Kinds (to the row's node when Reverse), carrying the row's sources.
type InlineRel struct {
	Column  string
	Type    string
	Reverse bool
	Kinds   []string
}

// ExportFiles lists the files an export writes, in the order the loader reads them. Alias files
// are left out: an export writes every alias in its node's aliases column.
func ExportFiles() []ExportFile {
	var out []ExportFile
	for _, spec := range fileSpecs {
		if spec.aliasOf != "" {
			continue
		}
		f := ExportFile{Name: spec.file, Kind: spec.kind, RelType: spec.relType}
		for _, c := range spec.columns {
			switch {
			case spec.kind != "" && c.relType != "":
				f.Inline = append(f.Inline, InlineRel{Column: c.name, Type: c.relType, Reverse: c.relReverse, Kinds: c.refKinds})
			case spec.kind == "" && c.name == spec.fromColumn:
				f.FromKinds = c.refKinds
			case spec.kind == "" && c.name == spec.toColumn:
				f.ToKinds = c.refKinds
			}
		}
		out = append(out, f)
	}
	return out
}

// FileWriter writes one seed file from the graph's values: the inverse of Read, so that a folder
// of such files reads back into the same nodes and relationships.
type FileWriter struct {
	spec    fileSpec
	columns []column
	cw      *csv.Writer
}

// NewFileWriter starts the seed file name (one of ExportFiles) on w with its header line.
func NewFileWriter(w io.Writer, name string) (*FileWriter, error) {
	i := slices.IndexFunc(fileSpecs, func(s fileSpec) bool { return s.file == name && s.aliasOf == "" })
	if i < 0 {
		return nil, fmt.Errorf("seed format: no file %q", name)
	}
	f := &FileWriter{spec: fileSpecs[i], columns: fileSpecs[i].columns, cw: csv.NewWriter(w)}
	if f.spec.facts {
		f.columns = append(append([]column{}, f.columns...), sourceColumns...)
	}
	header := make([]string, len(f.columns))
	for i, c := range f.columns {
		header[i] = c.name
	}
	return f, f.cw.Write(header)
}

// Node writes a row of a node file: the node's properties and, by column name, the ids its
// reference columns name.
func (f *FileWriter) Node(props map[string]any, links map[string]string) error {
	row := make([]string, len(f.columns))
	for i, c := range f.columns {
		var v any
		switch {
		case c.name == f.spec.idColumn:
			v = strings.TrimPrefix(fmt.Sprint(props["id"]), f.spec.idPrefix)
		case c.kind == ref:
			if id, ok := links[c.name]; ok {
				v = id
			}
		case c.prop != "":
			v = props[c.prop]
		}
		cell, err := cellOf(c, v)
		if err != nil {
			return fmt.Errorf("%s: %v: column %s: %w", f.spec.file, props["id"], c.name, err)
		}
		row[i] = cell
	}
	if err := f.sources(row, props); err != nil {
		return fmt.Errorf("%s: %v: %w", f.spec.file, props["id"], err)
	}
	return f.cw.Write(row)
}

// Rel writes a row of a relationship file.
func (f *FileWriter) Rel(from, to string, props map[string]any) error {
	row := make([]string, len(f.columns))
	for i, c := range f.columns {
		var v any
		switch {
		case c.name == f.spec.fromColumn:
			v = from
		case c.name == f.spec.toColumn:
			v = to
		case c.prop != "":
			v = props[c.prop]
		}
		cell, err := cellOf(c, v)
		if err != nil {
			return fmt.Errorf("%s: %s -> %s: column %s: %w", f.spec.file, from, to, c.name, err)
		}
		row[i] = cell
	}
	if err := f.sources(row, props); err != nil {
		return fmt.Errorf("%s: %s -> %s: %w", f.spec.file, from, to, err)
	}
	return f.cw.Write(row)
}

// Flush sends the rows written so far to the underlying writer.
func (f *FileWriter) Flush() error {
	f.cw.Flush()
	return f.cw.Error()
}

// sources fills the source, locator and status cells from the parallel source lists.
func (f *FileWriter) sources(row []string, props map[string]any) error {
	if !f.spec.facts {
		return nil
	}
	ids, locators, statuses := texts(props["sourceIds"]), texts(props["sourceLocators"]), texts(props["sourceStatuses"])
	letters := make([]string, len(statuses))
	for i, s := range statuses {
		for letter, status := range verificationStatus {
			if status == s {
				letters[i] = letter
			}
		}
		if letters[i] == "" {
			return fmt.Errorf("verification status %q has no letter in the seed format", s)
		}
	}
	cells := map[string]string{"source": strings.Join(ids, " | "), "status": strings.Join(letters, " | ")}
	if slices.ContainsFunc(locators, func(l string) bool { return l != "" }) {
		cells["locator"] = strings.Join(locators, " | ")
	}
	for _, list := range [][]string{ids, locators} {
		for _, s := range list {
			if strings.Contains(s, "|") || strings.TrimSpace(s) != s {
				return fmt.Errorf("source value %q has a | or surrounding spaces, which the seed format cannot hold", s)
			}
		}
	}
	for i, c := range f.columns {
		if cell, ok := cells[c.name]; ok {
			row[i] = cell
		}
	}
	return nil
}

// cellOf writes one value as Read's parseValue reads it back; nil is an empty cell.
func cellOf(c column, v any) (string, error) {
	if v == nil {
		return "", nil
	}
	var cell string
	switch x := v.(type) {
	case []any, []string:
		parts := texts(x)
		for _, p := range parts {
			if strings.Contains(p, ";") {
				return "", fmt.Errorf("list value %q holds a ;, which the seed format cannot hold", p)
			}
		}
		cell = strings.Join(parts, ";")
	case float64:
		cell = strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		cell = strconv.FormatInt(x, 10)
	case bool:
		cell = strconv.FormatBool(x)
	case string:
		cell = x
	default:
		return "", fmt.Errorf("value %v of type %T has no form in the seed format", v, v)
	}
	if c.kind == ref && slices.Contains(c.refKinds, KindCountry) {
		cell = strings.TrimPrefix(cell, "country:")
	}
	if strings.TrimSpace(cell) != cell {
		return "", fmt.Errorf("value %q has surrounding spaces, which the seed format drops", cell)
	}
	return cell, nil
}

func texts(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = fmt.Sprint(e)
		}
		return out
	}
	return nil
}

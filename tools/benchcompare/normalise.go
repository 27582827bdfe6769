package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// at walks decoded JSON by object keys; a missing step gives nil.
func at(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// list is a JSON array, or nil.
func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// nodes are the nodes of a Relay connection's edges.
func nodes(conn any) []any {
	var out []any
	for _, e := range list(at(conn, "edges")) {
		out = append(out, at(e, "node"))
	}
	return out
}

// tuples turns a list of objects into a list of tuples of some of their fields.
func tuples(objs []any, fields ...string) []any {
	out := make([]any, 0, len(objs))
	for _, o := range objs {
		t := make([]any, len(fields))
		for i, f := range fields {
			t[i] = at(o, f)
		}
		out = append(out, t)
	}
	return out
}

// decimal reads a value of this API's Decimal scalar, which JSON carries as a string to keep its
// digits, as a number (anything else stays as it is).
func decimal(v any) any {
	if s, ok := v.(string); ok {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return v
}

// get is a record's value by column name (nil when missing).
func get(r *neo4j.Record, key string) any {
	v, _ := r.Get(key)
	return v
}

// rows turns records into a list of tuples of some columns.
func rows(columns ...string) func([]*neo4j.Record) any {
	return func(recs []*neo4j.Record) any {
		out := make([]any, 0, len(recs))
		for _, r := range recs {
			t := make([]any, len(columns))
			for i, c := range columns {
				t[i] = get(r, c)
			}
			out = append(out, t)
		}
		return out
	}
}

// canonical encodes a normalised value so that equal data gives equal text whatever system it
// came from: every number (int64 from Bolt, float64 from JSON) is written with 10 significant
// digits, so float sums added in another order still compare equal; empty and missing lists
// are the same.
func canonical(v any) string {
	b, err := json.Marshal(canon(v))
	if err != nil {
		return fmt.Sprintf("unencodable: %v", err)
	}
	return string(b)
}

func canon(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canon(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = canon(e)
		}
		return out
	case int64:
		return number(float64(x))
	case int:
		return number(float64(x))
	case float64:
		return number(x)
	default:
		return x
	}
}

func number(f float64) json.Number {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return json.Number(strconv.FormatInt(int64(f), 10))
	}
	return json.Number(strconv.FormatFloat(f, 'g', 10, 64))
}

// firstDifference shows where two canonical texts part, with some context.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-60)
	cut := func(s string) string {
		return s[min(from, len(s)):min(i+60, len(s))]
	}
	return fmt.Sprintf("at byte %d: ...%s... vs ...%s...", i, cut(a), cut(b))
}

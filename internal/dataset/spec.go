package dataset

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A column's kind says how its text is checked and turned into a property value.
type columnKind int

const (
	text      columnKind = iota // any text, stored as is
	date                        // YYYY-MM-DD
	number                      // decimal number
	integer                     // whole number
	boolean                     // true or false
	list                        // values separated by ";"
	enumValue                   // one of column.values
	ref                         // id of a node of one of column.refKinds (countries: ISO alpha-2)
)

// column describes one CSV column of a seed file.
type column struct {
	name     string // header in the CSV file
	prop     string // property name in the graph; "" when the column is not a property
	kind     columnKind
	required bool
	values   []string // allowed values of an enum column
	refKinds []string // node kinds a ref column may point to
	pattern  *regexp.Regexp
	// In node files, a ref column becomes a relationship of type relType from the row's node to
	// the referenced one (or the other way round when relReverse), carrying the row's sources.
	relType    string
	relReverse bool
}

// Source columns every fact-bearing file has: ids of sources.csv rows, locators and verification
// statuses, several separated by " | " in the same order.
var sourceColumns = []column{
	{name: "source", kind: text, required: true},
	{name: "locator", kind: text},
	{name: "status", kind: text, required: true},
}

// verificationStatus maps the letters used in the dataset to the schema's enum values.
var verificationStatus = map[string]string{"V": "VERIFIED", "W": "WEAK", "U": "UNVERIFIED"}

var (
	datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	idPattern   = regexp.MustCompile(`^[a-z]+:[a-z0-9][a-z0-9.-]*$`)
	iso2Pattern = regexp.MustCompile(`^[A-Z]{2}$`)
	iso3Pattern = regexp.MustCompile(`^[A-Z]{3}$`)
	currPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

// parseValue checks one cell against its column and returns the property value (nil when empty).
func parseValue(c column, raw string) (any, error) {
	v := strings.TrimSpace(raw)
	if v == "" {
		if c.required {
			return nil, fmt.Errorf("is required")
		}
		return nil, nil
	}
	if c.pattern != nil && !c.pattern.MatchString(v) {
		return nil, fmt.Errorf("%q does not match %s", v, c.pattern)
	}
	switch c.kind {
	case date:
		if !datePattern.MatchString(v) {
			return nil, fmt.Errorf("want a date YYYY-MM-DD, got %q", v)
		}
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return nil, fmt.Errorf("%q is not a calendar date", v)
		}
		return v, nil
	case number:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("want a number such as 40000000 or 12.5, got %q", v)
		}
		return f, nil
	case integer:
		i, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("want a whole number such as 1 or 2, got %q", v)
		}
		return i, nil
	case boolean:
		switch v {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("want true or false, got %q", v)
	case list:
		parts := strings.Split(v, ";")
		out := make([]string, 0, len(parts))
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out, nil
	case enumValue:
		for _, allowed := range c.values {
			if v == allowed {
				return v, nil
			}
		}
		return nil, fmt.Errorf("want one of %s, got %q", strings.Join(c.values, ", "), v)
	default:
		return v, nil
	}
}

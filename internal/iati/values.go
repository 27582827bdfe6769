package iati

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// valueKind is the XML Schema type of an attribute or of an element's text.
type valueKind int

const (
	kindString     valueKind = iota
	kindInt                  // xsd:int
	kindDecimal              // xsd:decimal
	kindPercentage           // xsd:decimal from 0 to 100
	kindDate                 // xsd:date
	kindDateTime             // xsd:dateTime
	kindBool                 // xsd:boolean
)

// invalid returns what is wrong with value for kind, "" when it is well typed.
func (k valueKind) invalid(value string) string {
	switch k {
	case kindInt:
		if _, err := strconv.ParseInt(value, 10, 32); err != nil {
			return fmt.Sprintf("%q is not an integer", value)
		}
	case kindDecimal:
		if _, ok := parseDecimal(value); !ok {
			return fmt.Sprintf("%q is not a decimal number", value)
		}
	case kindPercentage:
		if p, ok := parseDecimal(value); !ok || p < 0 || p > 100 {
			return fmt.Sprintf("%q is not a percentage (a decimal number from 0 to 100)", value)
		}
	case kindDate:
		if _, ok := parseDate(value); !ok {
			return fmt.Sprintf("%q is not a date (YYYY-MM-DD)", value)
		}
	case kindDateTime:
		if !isDateTime(value) {
			return fmt.Sprintf("%q is not a date and time (YYYY-MM-DDThh:mm:ss, with an optional zone)", value)
		}
	case kindBool:
		if _, ok := parseBool(value); !ok {
			return fmt.Sprintf("%q is not a boolean (1, 0, true or false)", value)
		}
	}
	return ""
}

// parseDecimal reads an xsd:decimal: an optional sign, digits with an optional fraction, no
// exponent.
func parseDecimal(s string) (float64, bool) {
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" || digits == "." {
		return 0, false
	}
	seenPoint := false
	for _, r := range digits {
		switch {
		case r == '.' && !seenPoint:
			seenPoint = true
		case r < '0' || r > '9':
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// parseDate reads an xsd:date (YYYY-MM-DD, optionally followed by Z or ±hh:mm) and returns its
// YYYY-MM-DD part.
func parseDate(s string) (string, bool) {
	if len(s) < 10 {
		return "", false
	}
	day, zone := s[:10], s[10:]
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return "", false
	}
	if zone != "" && !isZone(zone) {
		return "", false
	}
	return day, true
}

// isDateTime reports whether s is an xsd:dateTime: YYYY-MM-DDThh:mm:ss, optional fraction of a
// second, optional Z or ±hh:mm.
func isDateTime(s string) bool {
	if len(s) < 19 {
		return false
	}
	if _, err := time.Parse("2006-01-02T15:04:05", s[:19]); err != nil {
		return false
	}
	rest := s[19:]
	if strings.HasPrefix(rest, ".") {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 1 {
			return false
		}
		rest = rest[i:]
	}
	return rest == "" || isZone(rest)
}

func isZone(s string) bool {
	if s == "Z" {
		return true
	}
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') {
		return false
	}
	_, err := time.Parse("15:04", s[1:])
	return err == nil
}

// parseBool reads an xsd:boolean.
func parseBool(s string) (bool, bool) {
	switch s {
	case "1", "true":
		return true, true
	case "0", "false":
		return false, true
	}
	return false, false
}

package graph

import (
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// unknownEnum is an error about a value an enum does not have, taken apart so that its message
// can end with the enum's valid values.
type unknownEnum struct {
	statement string   // what is wrong, without the final period
	valid     []string // the enum's values, in schema order
	rest      string   // what followed the statement (a suggestion), or ""
}

// maxQuotedValue bounds how much of the wrong value an enum error quotes.
const maxQuotedValue = 80

// message writes the error; the valid values are schema facts, listed only when withValues.
func (e unknownEnum) message(withValues bool) string {
	msg := e.statement
	if withValues {
		msg += "; valid values: " + strings.Join(e.valid, ", ")
	}
	return msg + "." + e.rest
}

var (
	// The validator's message for an enum literal the enum lacks (`status: OPEN`), which
	// checkVariables also uses, after the path of the wrong value.
	unknownEnumLiteral = regexp.MustCompile(`(?s)^(.*?)Value "(.*)" does not exist in "([^"]+)" enum\.(.*)$`)
	// The validator's message for another kind of literal given to an enum (`status: "OPEN"`).
	nonEnumLiteral = regexp.MustCompile(`(?s)^Enum "([^"]+)" cannot represent non-enum value: (.*?)\.((?:\s*Did you mean .*)?)$`)
	// The variable coercion's message for a value the enum lacks (`"status": "OPEN"`).
	unknownEnumVariable = regexp.MustCompile(`(?s)^(.*) is not a valid ([_A-Za-z][_0-9A-Za-z]*)$`)
)

// unknownEnumValue recognises the errors of validation and variable coercion about a value an
// enum does not have (msg is e's message, possibly rewritten already) and rewrites them all in
// the validator's form, naming the enum without list or non-null marks: Value "OPEN" does not
// exist in "ProjectStatus" enum.
func unknownEnumValue(schema *ast.Schema, e *gqlerror.Error, msg string) (unknownEnum, bool) {
	if m := unknownEnumLiteral.FindStringSubmatch(msg); m != nil {
		if name, valid := enumValues(schema, m[3]); valid != nil {
			return unknownEnum{statement: m[1] + `Value "` + cut(m[2]) + `" does not exist in "` + name + `" enum`, valid: valid, rest: m[4]}, true
		}
	}
	if m := nonEnumLiteral.FindStringSubmatch(msg); m != nil {
		if name, valid := enumValues(schema, m[1]); valid != nil {
			return unknownEnum{statement: `Enum "` + name + `" cannot represent non-enum value: ` + cut(m[2]), valid: valid, rest: m[3]}, true
		}
	}
	if len(e.Path) > 1 && e.Path[0] == ast.PathName("variable") {
		if m := unknownEnumVariable.FindStringSubmatch(msg); m != nil {
			if name, valid := enumValues(schema, m[2]); valid != nil {
				return unknownEnum{statement: `Value "` + cut(m[1]) + `" does not exist in "` + name + `" enum`, valid: valid}, true
			}
		}
	}
	return unknownEnum{}, false
}

// enumValues gives the name and the values of the enum a type reference names
// ("ProjectStatus", "[ProjectStatus!]!"), or nil values when it names no enum.
func enumValues(schema *ast.Schema, typeRef string) (string, []string) {
	def := schema.Types[strings.Trim(typeRef, "[]!")]
	if def == nil || def.Kind != ast.Enum {
		return "", nil
	}
	valid := make([]string, len(def.EnumValues))
	for i, v := range def.EnumValues {
		valid[i] = v.Name
	}
	return def.Name, valid
}

// cut shortens a quoted input to maxQuotedValue bytes, on a character boundary.
func cut(s string) string {
	if len(s) <= maxQuotedValue {
		return s
	}
	return truncateTo(s, maxQuotedValue)
}

package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
)

// checkVariables refuses variable values that the GraphQL specification does not coerce to
// their declared type, although the parser lets them through: a string for an Int or Float
// (`"first": "100"`), a fraction or a number beyond 32 bits for an Int, anything but a string
// for a String or an enum, and an enum value written in another case. Resolvers and the cost walker then read the same numbers.
func checkVariables(schema *ast.Schema, op *ast.OperationDefinition, vars map[string]any) *gqlerror.Error {
	for _, def := range op.VariableDefinitions {
		v, ok := vars[def.Variable]
		if !ok {
			continue
		}
		if msg := checkValue(schema, def.Type, v, 0); msg != "" {
			return &gqlerror.Error{
				Message:    truncate(fmt.Sprintf("variable $%s: %s", def.Variable, msg)),
				Path:       ast.Path{ast.PathName("variable"), ast.PathName(def.Variable)},
				Extensions: map[string]any{"code": string(apperr.BadUserInput)},
			}
		}
	}
	return nil
}

// maxCheckDepth bounds the walk; deeper values are refused by the input limits.
const maxCheckDepth = 64

func checkValue(schema *ast.Schema, t *ast.Type, v any, depth int) string {
	if v == nil || depth > maxCheckDepth {
		return ""
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			return checkValue(schema, t.Elem, v, depth+1) // a single value stands for a list of one
		}
		for i, e := range list {
			if msg := checkValue(schema, t.Elem, e, depth+1); msg != "" {
				return fmt.Sprintf("[%d]: %s", i, msg)
			}
		}
		return ""
	}
	def := schema.Types[t.NamedType]
	if def == nil {
		return ""
	}
	switch def.Kind {
	case ast.Scalar:
		return checkScalar(def.Name, v)
	case ast.Enum:
		s, ok := v.(string)
		if !ok {
			return fmt.Sprintf("want a %s value as a string, got %s", def.Name, describe(v))
		}
		// The parser's coercion accepts an enum value in any case; the specification does not.
		if def.EnumValues.ForName(s) == nil {
			return fmt.Sprintf(`Value "%s" does not exist in "%s" enum.`, cut(s), def.Name)
		}
	case ast.InputObject:
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		for name, e := range m {
			f := def.Fields.ForName(name)
			if f == nil {
				continue
			}
			if msg := checkValue(schema, f.Type, e, depth+1); msg != "" {
				return name + ": " + msg
			}
		}
	}
	return ""
}

func checkScalar(name string, v any) string {
	switch name {
	case "Int":
		n, ok := number(v)
		if !ok {
			return fmt.Sprintf("want an Int, got %s", describe(v))
		}
		if n != math.Trunc(n) || n < math.MinInt32 || n > math.MaxInt32 {
			return fmt.Sprintf("want an Int, a whole number from %d to %d, got %v", math.MinInt32, math.MaxInt32, n)
		}
	case "Float":
		if _, ok := number(v); !ok {
			return fmt.Sprintf("want a Float, got %s", describe(v))
		}
	case "String":
		if _, ok := v.(string); !ok {
			return fmt.Sprintf("want a String, got %s", describe(v))
		}
	case "Boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Sprintf("want a Boolean, got %s", describe(v))
		}
	case "ID":
		if _, ok := v.(string); ok {
			return ""
		}
		if n, ok := number(v); !ok || n != math.Trunc(n) {
			return fmt.Sprintf("want an ID (a string), got %s", describe(v))
		}
	}
	return ""
}

// number reads a JSON number as the parser leaves it: int64 at the top of a variable,
// json.Number inside lists and objects.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return truncate(fmt.Sprintf("the string %q", x))
	case json.Number:
		return "the number " + truncate(string(x))
	case bool:
		return fmt.Sprintf("%v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%v", v)
}

// normaliseNumbers rewrites variables before the parser coerces them: a JSON number with a
// fraction or exponent that is a whole number (`2.0`, `1e2`) becomes that whole number, which an
// Int accepts as the specification says and a Float reads the same.
func normaliseNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if strings.ContainsAny(s, ".eE") {
			if f, err := x.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
				return json.Number(fmt.Sprintf("%.0f", f))
			}
		}
		return x
	case map[string]any:
		for k, e := range x {
			x[k] = normaliseNumbers(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normaliseNumbers(e)
		}
		return x
	}
	return v
}

// numberNormaliser applies normaliseNumbers to every request's variables.
type numberNormaliser struct{}

func (numberNormaliser) ExtensionName() string                   { return "NumberNormaliser" }
func (numberNormaliser) Validate(graphql.ExecutableSchema) error { return nil }
func (numberNormaliser) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	for k, v := range p.Variables {
		p.Variables[k] = normaliseNumbers(v)
	}
	return nil
}

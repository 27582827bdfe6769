package graph

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

func TestUnknownEnumValueMessages(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	variable := ast.Path{ast.PathName("variable"), ast.PathName("s"), ast.PathIndex(0)}
	for _, c := range []struct {
		msg        string
		path       ast.Path
		withValues string
		without    string
	}{
		{`Value "OPEN" does not exist in "ProjectStatus!" enum.`, nil,
			`Value "OPEN" does not exist in "ProjectStatus" enum; valid values: PIPELINE, IMPLEMENTATION, FINALISATION, CLOSED, CANCELLED, SUSPENDED.`,
			`Value "OPEN" does not exist in "ProjectStatus" enum.`},
		{`Value "UP" does not exist in "OrderDirection" enum. Did you mean the enum value "ASC"?`, nil,
			`Value "UP" does not exist in "OrderDirection" enum; valid values: ASC, DESC. Did you mean the enum value "ASC"?`,
			`Value "UP" does not exist in "OrderDirection" enum. Did you mean the enum value "ASC"?`},
		{`Enum "[OrderDirection]" cannot represent non-enum value: "UP".`, nil,
			`Enum "OrderDirection" cannot represent non-enum value: "UP"; valid values: ASC, DESC.`,
			`Enum "OrderDirection" cannot represent non-enum value: "UP".`},
		{`UP is not a valid OrderDirection`, variable,
			`Value "UP" does not exist in "OrderDirection" enum; valid values: ASC, DESC.`,
			`Value "UP" does not exist in "OrderDirection" enum.`},
		{`variable $o: direction: Value "up" does not exist in "OrderDirection" enum.`, variable,
			`variable $o: direction: Value "up" does not exist in "OrderDirection" enum; valid values: ASC, DESC.`,
			`variable $o: direction: Value "up" does not exist in "OrderDirection" enum.`},
	} {
		e, ok := unknownEnumValue(schema, &gqlerror.Error{Message: c.msg, Path: c.path}, c.msg)
		if !ok {
			t.Errorf("%q: not recognised", c.msg)
			continue
		}
		if got := e.message(true); got != c.withValues {
			t.Errorf("%q with values:\n got %q\nwant %q", c.msg, got, c.withValues)
		}
		if got := e.message(false); got != c.without {
			t.Errorf("%q without values:\n got %q\nwant %q", c.msg, got, c.without)
		}
	}
	// Not about an enum: left alone.
	for _, c := range []struct {
		msg  string
		path ast.Path
	}{
		{`Value "X" does not exist in "Project" enum.`, nil},
		{`x is not a valid ProjectStatus`, nil},
		{`Cannot query field "projcts" on type "Query".`, nil},
		{`x is not a valid Project`, variable},
	} {
		if _, ok := unknownEnumValue(schema, &gqlerror.Error{Message: c.msg, Path: c.path}, c.msg); ok {
			t.Errorf("%q taken for an enum error", c.msg)
		}
	}
	// A long wrong value is quoted in part, so the list is never cut.
	long := strings.Repeat("X", 1000)
	e, _ := unknownEnumValue(schema, &gqlerror.Error{Path: variable}, long+" is not a valid ProjectStatus")
	if got := e.message(true); len(got) > 300 || !strings.HasSuffix(got, "SUSPENDED.") {
		t.Errorf("long value: %q", got)
	}
}

package store

import (
	"regexp"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestLuceneQueryKeepsOnlyWords(t *testing.T) {
	cases := map[string]string{
		"Rabat":                   "+(rabat OR rabat* OR rabat~1)",
		"EU trust fund":           "+(eu OR eu*) +(trust OR trust* OR trust~1) +(fund OR fund*)",
		`title:"x" OR *:* ~ \ )(`: "+(title OR title* OR title~1) +(x OR x*) (or OR or*)",
		"Türkiye":                 "+(turkiye OR turkiye* OR turkiye~1)",
		"SÖDERKÖPING":             "+(soderkoping OR soderkoping* OR soderkoping~1)",
		"Søren Straße":            "+(soren OR soren* OR soren~1) +(strasse OR strasse* OR strasse~1)",
		"  ":                      "",
		"AND && || !":             "(and OR and*)",
		"the Khartoum Process":    "(the OR the*) +(khartoum OR khartoum* OR khartoum~1) +(process OR process* OR process~1)",
		"a~2^3 b\\*":              "(a OR a*) +(2 OR 2*) +(3 OR 3*) +(b OR b*)",
	}
	for in, want := range cases {
		if got := luceneQuery(in); got != want {
			t.Errorf("luceneQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

// Go's regexp reads the patterns' syntax (code point escapes, \p classes, (?i)) as Java does for
// these forms; Neo4j itself is tested through the search golden cases.
func TestNamePatternsCompareAsNameKeys(t *testing.T) {
	cases := []struct {
		text, name    string
		exact, prefix bool
	}{
		{"Khartoum Process", "Khartoum Process", true, true},
		{"khartoum  process!", "Khartoum-Process", true, true},
		{"Khartoum", "Khartoum Process", false, true},
		{"Soderkoping", "Söderköping Process", false, true},
		{"Söderköping process", "SODERKOPING PROCESS", true, true},
		{"Process", "Khartoum Process", false, false},
		{".*", "anything", false, false},
		{"a|b", "b", false, false},
	}
	for _, c := range cases {
		exact, prefix, ok := namePatterns(c.text)
		if !ok {
			if c.exact || c.prefix {
				t.Errorf("namePatterns(%q): no patterns", c.text)
			}
			continue
		}
		name := norm.NFD.String(c.name)
		if got := javaLike(exact).MatchString(name); got != c.exact {
			t.Errorf("%q exact-matches %q: %v, want %v", c.text, c.name, got, c.exact)
		}
		if got := javaLike(prefix).MatchString(name); got != c.prefix {
			t.Errorf("%q prefix-matches %q: %v, want %v", c.text, c.name, got, c.prefix)
		}
	}
}

// javaLike compiles a pattern for a whole-string match, as Cypher's =~ applies it; Go's (?i) is
// Unicode-aware already, so Java's u flag is dropped.
func javaLike(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`^(?:` + regexp.MustCompile(`^\(\?iu\)`).ReplaceAllString(pattern, "(?i)") + `)$`)
}

package store

import "testing"

func TestLuceneQueryKeepsOnlyWords(t *testing.T) {
	cases := map[string]string{
		"Rabat":                   "+(rabat OR rabat*)",
		"EU trust fund":           "+(eu OR eu*) +(trust OR trust*) +(fund OR fund*)",
		`title:"x" OR *:* ~ \ )(`: "+(title OR title*) +(x OR x*) +(or OR or*)",
		"Türkiye":                 "+(türkiye OR türkiye*)",
		"  ":                      "",
		"AND && || !":             "+(and OR and*)",
	}
	for in, want := range cases {
		if got := luceneQuery(in); got != want {
			t.Errorf("luceneQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

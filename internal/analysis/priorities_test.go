package analysis

import (
	"testing"
)

// An unstated theme counts every project on it, funded or not (as a priority does), and is listed
// only when one of them is funded; with BY_SHARE a regional project counts by its part.
func TestPriorityGapsUnstatedThemes(t *testing.T) {
	fund := Funding{Donor: "org:a", Amount: amount("1000"), Hundredths: hundredths(100000), Currency: str("EUR")}
	theme := "theme:a"
	facts := []TargetedProject{
		{Country: "c", Project: "p1", Themes: []string{"theme:b"}, Fundings: []Funding{fund}, CountryCount: 3, SharePart: Part{1, 3}},
		{Country: "c", Project: "p2", Themes: []string{"theme:b"}, CountryCount: 1, SharePart: Whole},
		{Country: "c", Project: "p3", Themes: []string{"theme:c"}, CountryCount: 1, SharePart: Whole},
	}
	priorities := []StatedPriority{{Country: "c", Priority: "priority:a", Theme: &theme}}
	for _, c := range []struct {
		byShare bool
		total   string
		part    float64
	}{{false, "1000", 1}, {true, "333.33", 1.0 / 3}} {
		g := PriorityGaps([]string{"c"}, priorities, facts, c.byShare)[0]
		if len(g.UnstatedThemes) != 1 {
			t.Fatalf("unstated themes %+v, want theme:b only (theme:c has no funded project)", g.UnstatedThemes)
		}
		u := g.UnstatedThemes[0]
		if u.ThemeKey != "theme:b" || u.ProjectCount != 2 || len(u.ProjectKeys) != 2 {
			t.Errorf("theme:b counts %d projects %v, want p1 and the unfunded p2", u.ProjectCount, u.ProjectKeys)
		}
		if len(u.Totals) != 1 || u.Totals[0].Amount.String() != c.total || g.Totals[0].Amount.String() != c.total {
			t.Errorf("byShare %v: totals %v and %v, want %s", c.byShare, u.Totals[0].Amount, g.Totals[0].Amount, c.total)
		}
		if len(g.RegionalProjects) != 1 || g.RegionalProjects[0].ProjectKey != "p1" || g.RegionalProjects[0].Part != c.part {
			t.Errorf("byShare %v: regional projects %+v, want p1 with part %v", c.byShare, g.RegionalProjects, c.part)
		}
	}
}

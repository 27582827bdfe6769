package analysis

import (
	"sort"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// StatedPriority is a priority that applies to a country: stated by it, or by the partner
// countries of a process it is a member of (Via).
type StatedPriority struct {
	Country  string
	Priority string
	Theme    *string
	Via      *string
}

// PriorityGaps compares, for each country, its stated priorities with the projects targeting it
// (facts holds those projects; every country of countries gets an entry, in that order). A
// regional project's funding counts in full, or by its share when byShare is set.
func PriorityGaps(countries []string, priorities []StatedPriority, facts []TargetedProject, byShare bool) []*model.CountryPriorityGaps {
	byCountry := map[string][]TargetedProject{}
	for _, p := range facts {
		byCountry[p.Country] = append(byCountry[p.Country], p)
	}
	stated := map[string][]StatedPriority{}
	for _, p := range priorities {
		stated[p.Country] = append(stated[p.Country], p)
	}
	out := make([]*model.CountryPriorityGaps, 0, len(countries))
	for _, c := range countries {
		out = append(out, countryGaps(c, stated[c], byCountry[c], byShare))
	}
	return out
}

func countryGaps(country string, priorities []StatedPriority, projects []TargetedProject, byShare bool) *model.CountryPriorityGaps {
	g := &model.CountryPriorityGaps{
		CountryKey: country, Priorities: []*model.PriorityFunding{}, UnstatedThemes: []*model.ThemeFunding{},
		Shares: []*model.PriorityShare{}, ProjectCount: len(projects), RegionalProjects: regionalParts(projects, byShare),
	}
	priorityThemes := set{}
	seen := set{}
	sort.Slice(priorities, func(i, j int) bool { return priorities[i].Priority < priorities[j].Priority })
	for _, p := range priorities {
		if seen[p.Priority] {
			continue
		}
		seen[p.Priority] = true
		f := &model.PriorityFunding{PriorityKey: p.Priority, ThemeKey: p.Theme, ViaProcessKey: p.Via, Unfunded: true, ProjectKeys: []string{}}
		t := totals{}
		if p.Theme != nil {
			priorityThemes[*p.Theme] = true
			for _, pr := range projects {
				if !contains(pr.Themes, *p.Theme) {
					continue
				}
				f.ProjectKeys = append(f.ProjectKeys, pr.Project)
				if len(pr.Fundings) > 0 {
					f.Unfunded = false
				}
				for _, fu := range pr.Fundings {
					t.add(fu, pr.Counted(byShare))
				}
			}
		}
		sort.Strings(f.ProjectKeys)
		f.ProjectCount, f.Totals = len(f.ProjectKeys), t.money()
		g.Priorities = append(g.Priorities, f)
	}

	all, toPriorities := totals{}, totals{}
	unstated := map[string]*model.ThemeFunding{}
	unstatedTotals := map[string]totals{}
	funded := set{}
	for _, pr := range projects {
		addressesPriority := false
		for _, th := range pr.Themes {
			addressesPriority = addressesPriority || priorityThemes[th]
		}
		for _, fu := range pr.Fundings {
			all.add(fu, pr.Counted(byShare))
			if addressesPriority {
				toPriorities.add(fu, pr.Counted(byShare))
			}
			if fu.Amount == nil {
				g.FundingsWithoutAmount++
			}
		}
		// An unstated theme lists every project on it, like a priority does; the theme is
		// listed when at least one of them is funded.
		for _, th := range pr.Themes {
			if priorityThemes[th] {
				continue
			}
			u, ok := unstated[th]
			if !ok {
				u = &model.ThemeFunding{ThemeKey: th}
				unstated[th], unstatedTotals[th] = u, totals{}
			}
			u.ProjectKeys = append(u.ProjectKeys, pr.Project)
			if len(pr.Fundings) > 0 {
				funded[th] = true
			}
			for _, fu := range pr.Fundings {
				unstatedTotals[th].add(fu, pr.Counted(byShare))
			}
		}
	}
	for th, u := range unstated {
		if !funded[th] {
			continue
		}
		sort.Strings(u.ProjectKeys)
		u.ProjectCount, u.Totals = len(u.ProjectKeys), unstatedTotals[th].money()
		g.UnstatedThemes = append(g.UnstatedThemes, u)
	}
	sort.Slice(g.UnstatedThemes, func(i, j int) bool {
		a, b := g.UnstatedThemes[i], g.UnstatedThemes[j]
		if a.ProjectCount != b.ProjectCount {
			return a.ProjectCount > b.ProjectCount
		}
		return a.ThemeKey < b.ThemeKey
	})
	g.Totals = all.money()
	for _, m := range g.Totals {
		total := all[m.Currency]
		if total == 0 {
			continue
		}
		part := toPriorities[m.Currency]
		g.Shares = append(g.Shares, &model.PriorityShare{
			Currency: m.Currency, PriorityAmount: model.DecimalFromHundredths(part), TotalAmount: m.Amount,
			Share: float64(part) / float64(total),
		})
	}
	return g
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

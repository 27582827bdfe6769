package analysis

import (
	"sort"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// DonorGovernment says which government a donor belongs to: the highest organisation of kind
// GOVERNMENT at or above it (Government), the country that government or the donor is based in
// (Country), and the donor's own kind.
type DonorGovernment struct {
	Government *string
	Country    *string
	Kind       string
}

// Coordination describes the donors of the projects targeting one country (facts) and how their
// work meets: shared themes, co-funded projects, pairs without a joint project, and several
// bodies of one government. Co-funded projects and opportunities are counted in full and listed up
// to first. A regional project's funding counts in the donors' totals in full, or by its share
// when byShare is set.
func Coordination(country string, facts []TargetedProject, governments map[string]DonorGovernment, first int, byShare bool) *model.DonorCoordination {
	c := &model.DonorCoordination{
		CountryKey: country, Donors: []*model.ActiveDonor{}, SharedThemes: []*model.SharedTheme{},
		CoFundedProjects: []*model.ProjectActivity{}, Opportunities: []*model.CoordinationOpportunity{},
		WholeOfGovernment: []*model.GovernmentPresence{}, RegionalProjects: regionalParts(facts, byShare),
	}
	sort.Slice(facts, func(i, j int) bool { return facts[i].Project < facts[j].Project })
	donorProjects := map[string]set{}
	donorThemes := map[string]set{}
	donorTotals := map[string]totals{}
	themeDonors := map[string]set{}
	themeProjects := map[string]set{}
	// themeDonorProjects[theme][donor] are the donor's projects on the theme.
	themeDonorProjects := map[string]map[string]set{}
	jointOnTheme := map[string]set{} // theme -> "a|b" pairs with a project funded by both
	for _, p := range facts {
		donors := set{}
		for _, f := range p.Fundings {
			donors[f.Donor] = true
			if donorProjects[f.Donor] == nil {
				donorProjects[f.Donor], donorThemes[f.Donor], donorTotals[f.Donor] = set{}, set{}, totals{}
			}
			donorProjects[f.Donor][p.Project] = true
			donorTotals[f.Donor].add(f, p.Counted(byShare))
		}
		if len(donors) == 0 {
			continue
		}
		if len(donors) >= 2 {
			if c.CoFundedProjectCount++; c.CoFundedProjectCount <= first {
				c.CoFundedProjects = append(c.CoFundedProjects, activity(p, p.End, false))
			}
		}
		list := donors.sorted()
		for _, th := range p.Themes {
			if themeDonors[th] == nil {
				themeDonors[th], themeProjects[th], themeDonorProjects[th], jointOnTheme[th] = set{}, set{}, map[string]set{}, set{}
			}
			themeProjects[th][p.Project] = true
			for i, d := range list {
				donorThemes[d][th] = true
				themeDonors[th][d] = true
				if themeDonorProjects[th][d] == nil {
					themeDonorProjects[th][d] = set{}
				}
				themeDonorProjects[th][d][p.Project] = true
				for _, other := range list[i+1:] {
					jointOnTheme[th][d+"|"+other] = true
				}
			}
		}
	}
	for _, d := range sortedKeys(donorProjects) {
		c.Donors = append(c.Donors, &model.ActiveDonor{
			DonorKey: d, ProjectKeys: donorProjects[d].sorted(), ThemeKeys: donorThemes[d].sorted(), Totals: donorTotals[d].money(),
		})
	}
	for _, th := range sortedKeys(themeDonors) {
		donors := themeDonors[th].sorted()
		if len(donors) < 2 {
			continue
		}
		c.SharedThemes = append(c.SharedThemes, &model.SharedTheme{ThemeKey: th, DonorKeys: donors, ProjectKeys: themeProjects[th].sorted()})
		for i, a := range donors {
			for _, b := range donors[i+1:] {
				if jointOnTheme[th][a+"|"+b] {
					continue
				}
				if c.OpportunityCount++; c.OpportunityCount > first {
					continue
				}
				c.Opportunities = append(c.Opportunities, &model.CoordinationOpportunity{
					ThemeKey: th, DonorKey: a, OtherDonorKey: b,
					ProjectKeys: themeDonorProjects[th][a].sorted(), OtherProjectKeys: themeDonorProjects[th][b].sorted(),
				})
			}
		}
	}
	c.WholeOfGovernment = wholeOfGovernment(donorProjects, governments)
	return c
}

// wholeOfGovernment groups the donors by government and keeps the governments with two or more.
func wholeOfGovernment(donorProjects map[string]set, governments map[string]DonorGovernment) []*model.GovernmentPresence {
	type presence struct {
		gov, country *string
		agencies     set
		projects     set
	}
	groups := map[string]*presence{}
	for d, projects := range donorProjects {
		g, ok := governments[d]
		if !ok {
			continue
		}
		var id string
		switch {
		case g.Government != nil:
			id = "government " + *g.Government
		case g.Country != nil && (g.Kind == string(model.OrganisationKindGovernment) || g.Kind == string(model.OrganisationKindGovernmentAgency)):
			id = "country " + *g.Country
		default:
			continue
		}
		p, ok := groups[id]
		if !ok {
			p = &presence{gov: g.Government, country: g.Country, agencies: set{}, projects: set{}}
			groups[id] = p
		}
		p.agencies[d] = true
		for pr := range projects {
			p.projects[pr] = true
		}
	}
	out := []*model.GovernmentPresence{}
	for _, id := range sortedKeys(groups) {
		p := groups[id]
		if len(p.agencies) < 2 {
			continue
		}
		out = append(out, &model.GovernmentPresence{
			GovernmentKey: p.gov, GovernmentCountryKey: p.country, AgencyKeys: p.agencies.sorted(), ProjectKeys: p.projects.sorted(),
		})
	}
	return out
}

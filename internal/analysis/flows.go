package analysis

import (
	"fmt"
	"sort"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// FlowRef is a node a funding flows through, with its label and, for countries, the part of the
// project's funding the country gets with allocation BY_SHARE.
type FlowRef struct {
	Key       string
	Label     string
	SharePart Part
}

// FlowFunding is one donor-project funding with where the project leads. Amount is as stated,
// Hundredths the same in hundredths of the currency unit (both nil when none is stated).
type FlowFunding struct {
	Donor       FlowRef
	Project     FlowRef
	Amount      *model.Decimal
	Hundredths  *int64
	Currency    *string
	Instruments []FlowRef
	Countries   []FlowRef
	Themes      []FlowRef
}

// FlowLevels are the levels in the only order a diagram may use.
var FlowLevels = []model.FlowLevel{
	model.FlowLevelDonor, model.FlowLevelInstrument, model.FlowLevelProject, model.FlowLevelCountry, model.FlowLevelTheme,
}

// CheckLevels accepts two or more distinct levels in the order of FlowLevels.
func CheckLevels(levels []model.FlowLevel) error {
	if len(levels) < 2 {
		return fmt.Errorf("a flow needs at least two levels, got %d", len(levels))
	}
	rank := map[model.FlowLevel]int{}
	for i, l := range FlowLevels {
		rank[l] = i
	}
	for i := 1; i < len(levels); i++ {
		if rank[levels[i]] <= rank[levels[i-1]] {
			return fmt.Errorf("levels must be distinct and in the order DONOR, INSTRUMENT, PROJECT, COUNTRY, THEME; %s cannot follow %s", levels[i], levels[i-1])
		}
	}
	return nil
}

// weighted is a node of one level with the part of a funding that reaches it.
type weighted struct {
	ref         FlowRef
	placeholder bool
	part        Part
}

// parts splits one funding over the nodes of a level: countries by their share parts (byShare)
// or each in full, other levels evenly; a placeholder when there is none.
func parts(f FlowFunding, level model.FlowLevel, byShare bool) []weighted {
	var refs []FlowRef
	switch level {
	case model.FlowLevelDonor:
		refs = []FlowRef{f.Donor}
	case model.FlowLevelProject:
		refs = []FlowRef{f.Project}
	case model.FlowLevelInstrument:
		refs = f.Instruments
	case model.FlowLevelCountry:
		refs = f.Countries
	case model.FlowLevelTheme:
		refs = f.Themes
	}
	if len(refs) == 0 {
		return []weighted{{ref: FlowRef{Key: "none:" + string(level), Label: placeholderLabels[level]}, placeholder: true, part: Whole}}
	}
	out := make([]weighted, len(refs))
	for i, r := range refs {
		out[i] = weighted{ref: r, part: Part{1, int64(len(refs))}}
		if level == model.FlowLevelCountry {
			out[i].part = Whole
			if byShare {
				out[i].part = r.SharePart
			}
		}
	}
	return out
}

var placeholderLabels = map[model.FlowLevel]string{
	model.FlowLevelInstrument: "No instrument",
	model.FlowLevelCountry:    "No country",
	model.FlowLevelTheme:      "No theme",
}

// Flows builds the links between consecutive levels; the largest `first` links are returned. A
// regional project's funding reaches each of its countries in full, or by its share when
// byShare is set.
func Flows(fundings []FlowFunding, levels []model.FlowLevel, first int, byShare bool) *model.FundingFlows {
	type linkKey struct{ source, target, currency string }
	type link struct {
		l          *model.FlowLink
		hundredths int64
		projects   set
	}
	links := map[linkKey]*link{}
	nodes := map[string]*model.FlowNode{}
	all := totals{}
	regional := map[[2]string]*model.RegionalProjectPart{}
	for _, f := range fundings {
		all.add(Funding{Hundredths: f.Hundredths, Currency: f.Currency}, Whole)
		amount, currency := int64(0), ""
		if f.Hundredths != nil && f.Currency != nil {
			amount, currency = *f.Hundredths, *f.Currency
		}
		if len(f.Countries) > 1 {
			for _, c := range parts(f, model.FlowLevelCountry, byShare) {
				regional[[2]string{f.Project.Key, c.ref.Key}] = &model.RegionalProjectPart{
					ProjectKey: f.Project.Key, CountryKey: c.ref.Key, CountryCount: len(f.Countries), Part: c.part.Float(),
				}
			}
		}
		for i := 0; i+1 < len(levels); i++ {
			from, to := parts(f, levels[i], byShare), parts(f, levels[i+1], byShare)
			for _, a := range from {
				for _, b := range to {
					k := linkKey{a.ref.Key, b.ref.Key, currency}
					l, ok := links[k]
					if !ok {
						l = &link{l: &model.FlowLink{Source: a.ref.Key, Target: b.ref.Key}, projects: set{}}
						if currency != "" {
							c := currency
							l.l.Currency = &c
						}
						links[k] = l
					}
					l.hundredths += a.part.Times(b.part).Of(amount)
					l.l.FundingCount++
					l.projects[f.Project.Key] = true
					addFlowNode(nodes, a, levels[i])
					addFlowNode(nodes, b, levels[i+1])
				}
			}
		}
	}
	sorted := make([]*link, 0, len(links))
	for _, l := range links {
		l.l.ProjectCount = len(l.projects)
		l.l.Amount = model.DecimalFromHundredths(l.hundredths)
		sorted = append(sorted, l)
	}
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].hundredths != sorted[j].hundredths {
			return sorted[i].hundredths > sorted[j].hundredths
		}
		a, b := sorted[i].l, sorted[j].l
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Target != b.Target {
			return a.Target < b.Target
		}
		return deref(a.Currency) < deref(b.Currency)
	})
	list := make([]*model.FlowLink, len(sorted))
	for i, l := range sorted {
		list[i] = l.l
	}
	out := &model.FundingFlows{Levels: levels, LinkCount: len(list), FundingCount: len(fundings), Totals: all.money(), RegionalProjects: []*model.RegionalProjectPart{}}
	for _, r := range regional {
		out.RegionalProjects = append(out.RegionalProjects, r)
	}
	sortRegionalParts(out.RegionalProjects)
	out.Links = page(list, first)
	used := set{}
	for _, l := range out.Links {
		used[l.Source], used[l.Target] = true, true
	}
	out.Nodes = []*model.FlowNode{}
	for _, k := range used.sorted() {
		out.Nodes = append(out.Nodes, nodes[k])
	}
	rank := map[model.FlowLevel]int{}
	for i, l := range FlowLevels {
		rank[l] = i
	}
	sort.SliceStable(out.Nodes, func(i, j int) bool { return rank[out.Nodes[i].Level] < rank[out.Nodes[j].Level] })
	return out
}

func addFlowNode(nodes map[string]*model.FlowNode, w weighted, level model.FlowLevel) {
	if _, ok := nodes[w.ref.Key]; ok {
		return
	}
	n := &model.FlowNode{Key: w.ref.Key, Level: level, Label: w.ref.Label, Placeholder: w.placeholder}
	if !w.placeholder {
		k := w.ref.Key
		n.NodeKey = &k
	}
	nodes[w.ref.Key] = n
}

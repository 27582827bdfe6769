package analysis

import (
	"fmt"
	"sort"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// FlowRef is a node a funding flows through, with its label and, for countries, the target share.
type FlowRef struct {
	Key   string
	Label string
	Share *float64
}

// FlowFunding is one donor-project funding with where the project leads.
type FlowFunding struct {
	Donor       FlowRef
	Project     FlowRef
	Amount      *float64
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
	part        float64
}

// parts splits one funding over the nodes of a level: countries by their shares (shareParts),
// other levels evenly; a placeholder when there is none.
func parts(f FlowFunding, level model.FlowLevel) []weighted {
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
		return []weighted{{ref: FlowRef{Key: "none:" + string(level), Label: placeholderLabels[level]}, placeholder: true, part: 1}}
	}
	out := make([]weighted, len(refs))
	for i, r := range refs {
		out[i] = weighted{ref: r}
	}
	var shares []*float64
	if level == model.FlowLevelCountry {
		for _, r := range refs {
			shares = append(shares, r.Share)
		}
	}
	for i, part := range shareParts(len(refs), shares) {
		out[i].part = part
	}
	return out
}

// shareParts splits one amount over n targets by their stated shares (percentages; nil or none
// stated: split evenly): a target with a share gets it, the targets without one split evenly
// what the stated shares leave, and when the stated shares reach or pass 100 they are scaled to
// the whole and the others get nothing. The parts always add up to 1.
func shareParts(n int, shares []*float64) []float64 {
	parts := make([]float64, n)
	stated, sum := 0, 0.0
	for _, s := range shares {
		if s != nil && *s > 0 {
			stated++
			sum += *s
		}
	}
	for i := range parts {
		var s *float64
		if i < len(shares) {
			s = shares[i]
		}
		hasShare := s != nil && *s > 0
		switch {
		case stated == 0:
			parts[i] = 1 / float64(n)
		case sum >= 100 || stated == n:
			if hasShare {
				parts[i] = *s / sum
			}
		case hasShare:
			parts[i] = *s / 100
		default:
			parts[i] = (1 - sum/100) / float64(n-stated)
		}
	}
	return parts
}

var placeholderLabels = map[model.FlowLevel]string{
	model.FlowLevelInstrument: "No instrument",
	model.FlowLevelCountry:    "No country",
	model.FlowLevelTheme:      "No theme",
}

// Flows builds the links between consecutive levels; the largest `first` links are returned.
func Flows(fundings []FlowFunding, levels []model.FlowLevel, first int) *model.FundingFlows {
	type linkKey struct{ source, target, currency string }
	type link struct {
		l        *model.FlowLink
		projects set
	}
	links := map[linkKey]*link{}
	nodes := map[string]*model.FlowNode{}
	all := totals{}
	for _, f := range fundings {
		all.add(Funding{Amount: f.Amount, Currency: f.Currency})
		amount, currency := 0.0, ""
		if f.Amount != nil && f.Currency != nil {
			amount, currency = *f.Amount, *f.Currency
		}
		for i := 0; i+1 < len(levels); i++ {
			from, to := parts(f, levels[i]), parts(f, levels[i+1])
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
					l.l.Amount += amount * a.part * b.part
					l.l.FundingCount++
					l.projects[f.Project.Key] = true
					addFlowNode(nodes, a, levels[i])
					addFlowNode(nodes, b, levels[i+1])
				}
			}
		}
	}
	list := make([]*model.FlowLink, 0, len(links))
	for _, l := range links {
		l.l.ProjectCount = len(l.projects)
		list = append(list, l.l)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Amount != b.Amount {
			return a.Amount > b.Amount
		}
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Target != b.Target {
			return a.Target < b.Target
		}
		return deref(a.Currency) < deref(b.Currency)
	})
	out := &model.FundingFlows{Levels: levels, LinkCount: len(list), FundingCount: len(fundings), Totals: all.money()}
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

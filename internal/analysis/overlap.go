package analysis

import (
	"sort"
	"strings"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// OverlapQuery says which overlaps to look for; the store has already applied country, theme,
// scope and period to the facts, Theme and the period are applied again here to cut windows.
type OverlapQuery struct {
	Theme     string // "" for every theme
	From, To  *Day   // the period, days included
	MinDonors int
	AsOf      Day
	First     int
}

// span is a project's active days in one (country, theme), cut to the period.
type span struct {
	project    TargetedProject
	start, end Day
	endAssumed bool
	donorSet   string
	donors     []string
}

// Overlaps finds, per (country, theme), the maximal windows in which at least MinDonors distinct
// donors fund active projects and at least two active projects have different donor sets.
func Overlaps(facts []TargetedProject, q OverlapQuery) *model.FundingOverlapReport {
	type group struct{ country, theme string }
	spans := map[group][]span{}
	for _, p := range facts {
		s, ok := spanOf(p, q)
		if !ok {
			continue
		}
		for _, th := range p.Themes {
			if q.Theme == "" || th == q.Theme {
				g := group{p.Country, th}
				spans[g] = append(spans[g], s)
			}
		}
	}
	// Windows are found for every group (for the count) but described only for the page.
	type found struct {
		group
		window
	}
	var all []found
	for g, list := range spans {
		for _, w := range overlapWindows(list, q.MinDonors) {
			all = append(all, found{g, w})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.country != b.country {
			return a.country < b.country
		}
		if a.theme != b.theme {
			return a.theme < b.theme
		}
		return a.from < b.from
	})
	r := &model.FundingOverlapReport{AsOf: q.AsOf.String(), WindowCount: len(all), Windows: []*model.FundingOverlap{}}
	for _, f := range page(all, q.First) {
		r.Windows = append(r.Windows, describeWindow(f.country, f.theme, f.window, spans[f.group], q.AsOf))
	}
	return r
}

// spanOf gives a funded project's active days: start to end, an open end running until AsOf,
// cut to the period; false when the project has no donor, no start, or no day left.
func spanOf(p TargetedProject, q OverlapQuery) (span, bool) {
	start, ok := optDay(p.Start)
	if !ok || len(p.Fundings) == 0 {
		return span{}, false
	}
	end, hasEnd := optDay(p.End)
	if !hasEnd {
		end = q.AsOf
	}
	if q.From != nil && start < *q.From {
		start = *q.From
	}
	if q.To != nil && end > *q.To {
		end = *q.To
	}
	if end < start {
		return span{}, false
	}
	donors := set{}
	for _, f := range p.Fundings {
		donors[f.Donor] = true
	}
	list := donors.sorted()
	return span{project: p, start: start, end: end, endAssumed: !hasEnd, donors: list, donorSet: strings.Join(list, "\x00")}, true
}

type window struct{ from, to Day }

// overlapWindows sweeps the days on which projects start or stop, keeping count of the active
// projects per donor and per donor set, and merges the runs of days on which the overlap
// condition holds. It takes O(n log n) for n projects.
func overlapWindows(spans []span, minDonors int) []window {
	type event struct {
		day   Day
		delta int
		span  *span
	}
	events := make([]event, 0, 2*len(spans))
	for i := range spans {
		events = append(events, event{spans[i].start, 1, &spans[i]}, event{spans[i].end + 1, -1, &spans[i]})
	}
	sort.Slice(events, func(i, j int) bool { return events[i].day < events[j].day })
	donors, sets := map[string]int{}, map[string]int{}
	var out []window
	for i := 0; i < len(events); {
		day := events[i].day
		for ; i < len(events) && events[i].day == day; i++ {
			e := events[i]
			count(sets, e.span.donorSet, e.delta)
			for _, d := range e.span.donors {
				count(donors, d, e.delta)
			}
		}
		if i == len(events) || len(donors) < minDonors || len(sets) < 2 {
			continue
		}
		to := events[i].day - 1 // the condition holds until the next change
		if n := len(out); n > 0 && out[n-1].to == day-1 {
			out[n-1].to = to
		} else {
			out = append(out, window{day, to})
		}
	}
	return out
}

// count adds delta to m[k] and forgets k at zero, so len(m) counts the keys present.
func count(m map[string]int, k string, delta int) {
	if m[k] += delta; m[k] == 0 {
		delete(m, k)
	}
}

// describeWindow lists the evidence of one window: the projects active on any of its days, their
// donors and amounts.
func describeWindow(country, theme string, w window, spans []span, asOf Day) *model.FundingOverlap {
	o := &model.FundingOverlap{
		CountryKey: country, ThemeKey: theme, From: w.from.String(), To: w.to.String(), Days: int(w.to-w.from) + 1,
	}
	var active []span
	for _, s := range spans {
		if s.start <= w.to && s.end >= w.from {
			active = append(active, s)
		}
	}
	sort.Slice(active, func(i, j int) bool {
		if active[i].start != active[j].start {
			return active[i].start < active[j].start
		}
		return active[i].project.Project < active[j].project.Project
	})
	all := totals{}
	byDonor := map[string]*model.OverlapDonor{}
	donorTotals := map[string]totals{}
	for _, s := range active {
		var end *string
		if s.endAssumed {
			e := asOf.String()
			end = &e
			if w.to == asOf && s.end == asOf {
				o.EndsAtAsOf = true
			}
		} else {
			end = s.project.End
		}
		o.Projects = append(o.Projects, activity(s.project, end, s.endAssumed))
		for _, f := range s.project.Fundings {
			all.add(f, Whole)
			d, ok := byDonor[f.Donor]
			if !ok {
				d = &model.OverlapDonor{DonorKey: f.Donor}
				byDonor[f.Donor] = d
				donorTotals[f.Donor] = totals{}
			}
			d.ProjectKeys = appendOnce(d.ProjectKeys, s.project.Project)
			donorTotals[f.Donor].add(f, Whole)
		}
	}
	for _, key := range sortedKeys(byDonor) {
		d := byDonor[key]
		d.Totals = donorTotals[key].money()
		o.Donors = append(o.Donors, d)
	}
	o.Totals = all.money()
	return o
}

func appendOnce(list []string, s string) []string {
	for _, e := range list {
		if e == s {
			return list
		}
	}
	return append(list, s)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

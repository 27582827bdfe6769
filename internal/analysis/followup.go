package analysis

import (
	"sort"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// RegionalActivity is a country's regional activity on a theme: a membership in a process with
// the theme among its pillars, or a regional project on the theme targeting the country.
type RegionalActivity struct {
	Kind         model.RegionalActivityKind
	Process      *string
	Project      *string
	MemberFrom   *string // membership start
	Launched     *string // process launch
	ProjectStart *string // regional project's actual, else planned, start
	Sources      []*model.SourceRef
}

// NationalProject is a national-scope project on a (country, theme) and its start.
type NationalProject struct {
	Project string
	Start   string
}

// FollowUpGroup holds the regional activities and national projects of one (country, theme).
type FollowUpGroup struct {
	Country, Theme string
	Activities     []RegionalActivity
	Nationals      []NationalProject
}

// FollowUpQuery sets the window, the day deadlines are judged against, and what to return.
type FollowUpQuery struct {
	WindowYears int
	AsOf        Day
	Statuses    map[model.FollowUpStatus]bool
	First       int
}

// FollowUps judges every regional activity: FOUND with the earliest national project starting
// within the window after it, else PENDING while the deadline is on or after AsOf, else MISSING.
func FollowUps(groups []FollowUpGroup, q FollowUpQuery) *model.FollowUpReport {
	r := &model.FollowUpReport{AsOf: q.AsOf.String(), WindowYears: q.WindowYears, Activities: []*model.RegionalActivityFollowUp{}}
	var all []*model.RegionalActivityFollowUp
	seen := map[string]bool{}
	for _, g := range groups {
		nationals := datedNationals(g.Nationals)
		for _, a := range g.Activities {
			f, ok := judge(g, a, nationals, q)
			if !ok {
				continue
			}
			id := f.CountryKey + "|" + f.ThemeKey + "|" + string(f.Kind) + "|" + deref(f.ProcessKey) + deref(f.ProjectKey) + "|" + f.Start
			if seen[id] {
				continue
			}
			seen[id] = true
			switch f.Status {
			case model.FollowUpStatusFound:
				r.FoundCount++
			case model.FollowUpStatusPending:
				r.PendingCount++
			case model.FollowUpStatusMissing:
				r.MissingCount++
			}
			if q.Statuses[f.Status] {
				all = append(all, f)
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return followUpBefore(all[i], all[j]) })
	r.Activities = page(all, q.First)
	return r
}

// datedNational is a national project with its start as a day.
type datedNational struct {
	project string
	start   Day
}

// datedNationals sorts a group's national projects by start, then key, leaving out unreadable dates.
func datedNationals(list []NationalProject) []datedNational {
	out := make([]datedNational, 0, len(list))
	for _, n := range list {
		if d, err := ParseDay(n.Start); err == nil {
			out = append(out, datedNational{n.Project, d})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].start != out[j].start {
			return out[i].start < out[j].start
		}
		return out[i].project < out[j].project
	})
	return out
}

func judge(g FollowUpGroup, a RegionalActivity, nationals []datedNational, q FollowUpQuery) (*model.RegionalActivityFollowUp, bool) {
	f := &model.RegionalActivityFollowUp{
		CountryKey: g.Country, ThemeKey: g.Theme, Kind: a.Kind, ProcessKey: a.Process, ProjectKey: a.Project, Sources: a.Sources,
	}
	if f.Sources == nil {
		f.Sources = []*model.SourceRef{}
	}
	var start Day
	var ok bool
	switch {
	case a.Kind == model.RegionalActivityKindRegionalProject:
		start, ok = optDay(a.ProjectStart)
		f.StartBasis = model.ActivityStartBasisProjectStart
	case a.MemberFrom != nil:
		start, ok = optDay(a.MemberFrom)
		f.StartBasis = model.ActivityStartBasisMembershipStart
	default:
		start, ok = optDay(a.Launched)
		f.StartBasis = model.ActivityStartBasisProcessLaunch
	}
	if !ok {
		return nil, false
	}
	deadline := start.AddYears(q.WindowYears)
	f.Start, f.Deadline = start.String(), deadline.String()
	// The earliest national project starting on or after the activity's start, found by binary
	// search; it follows up when it starts by the deadline.
	var best *datedNational
	if i := sort.Search(len(nationals), func(i int) bool { return nationals[i].start >= start }); i < len(nationals) && nationals[i].start <= deadline {
		best = &nationals[i]
	}
	if best != nil {
		key, day := best.project, best.start.String()
		f.FollowUpKey, f.FollowUpStart = &key, &day
	}
	switch {
	case best != nil && best.start <= q.AsOf:
		f.Status = model.FollowUpStatusFound
	case deadline >= q.AsOf:
		// No follow-up has started by AsOf (one may be planned: followUp names it).
		f.Status = model.FollowUpStatusPending
		left := int(deadline - q.AsOf)
		f.DaysLeft = &left
	default:
		f.Status = model.FollowUpStatusMissing
		over := int(q.AsOf - deadline)
		f.OverdueDays = &over
	}
	return f, true
}

var statusRank = map[model.FollowUpStatus]int{
	model.FollowUpStatusMissing: 0, model.FollowUpStatusPending: 1, model.FollowUpStatusFound: 2,
}

// followUpBefore orders MISSING (most overdue first), PENDING (nearest deadline first), FOUND,
// then by country, theme, start and what the activity is.
func followUpBefore(a, b *model.RegionalActivityFollowUp) bool {
	if statusRank[a.Status] != statusRank[b.Status] {
		return statusRank[a.Status] < statusRank[b.Status]
	}
	if a.OverdueDays != nil && b.OverdueDays != nil && *a.OverdueDays != *b.OverdueDays {
		return *a.OverdueDays > *b.OverdueDays
	}
	if a.DaysLeft != nil && b.DaysLeft != nil && *a.DaysLeft != *b.DaysLeft {
		return *a.DaysLeft < *b.DaysLeft
	}
	for _, pair := range [][2]string{
		{a.CountryKey, b.CountryKey}, {a.ThemeKey, b.ThemeKey}, {a.Start, b.Start},
		{string(a.Kind), string(b.Kind)}, {deref(a.ProcessKey) + deref(a.ProjectKey), deref(b.ProcessKey) + deref(b.ProjectKey)},
	} {
		if pair[0] != pair[1] {
			return pair[0] < pair[1]
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

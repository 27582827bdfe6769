package analysis

import (
	"fmt"
	"sort"
	"time"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// Funding is one donor's funding of a project as the graph records it.
type Funding struct {
	Donor    string
	Amount   *float64
	Currency *string
	AsOf     *string
	Sources  []*model.SourceRef
}

// TargetedProject is a project as seen from one country it targets.
type TargetedProject struct {
	Country  string
	Project  string
	Scope    model.ProjectScope
	Start    *string // actual start, else planned start
	End      *string // actual end, else planned end
	Share    *float64
	Themes   []string
	Fundings []Funding
}

// Day is a calendar day, counted from 1970-01-01.
type Day int

const dayLayout = "2006-01-02"

// ParseDay reads an ISO date (YYYY-MM-DD).
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(dayLayout, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not an ISO date (YYYY-MM-DD)", s)
	}
	return Day(t.Unix() / 86400), nil
}

// Today is the current day in UTC.
func Today() Day { return Day(time.Now().UTC().Unix() / 86400) }

func (d Day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String is the ISO date.
func (d Day) String() string { return d.time().Format(dayLayout) }

// AddYears moves the day by whole years. 29 February lands on 28 February in a year without
// one, as ISO 8601 arithmetic, SQL and spreadsheets do (Go's AddDate would give 1 March).
func (d Day) AddYears(n int) Day {
	t := d.time()
	moved := t.AddDate(n, 0, 0)
	if t.Month() == time.February && t.Day() == 29 && moved.Month() == time.March {
		moved = moved.AddDate(0, 0, -1)
	}
	return Day(moved.Unix() / 86400)
}

// optDay parses an optional stored date; a date the graph holds in another form is treated as unknown.
func optDay(s *string) (Day, bool) {
	if s == nil {
		return 0, false
	}
	d, err := ParseDay(*s)
	return d, err == nil
}

// totals adds amounts per currency; fundings without an amount are left out.
type totals map[string]float64

func (t totals) add(f Funding) {
	if f.Amount != nil && f.Currency != nil {
		t[*f.Currency] += *f.Amount
	}
}

func (t totals) money() []*model.Money {
	out := make([]*model.Money, 0, len(t))
	for c, a := range t {
		out = append(out, &model.Money{Amount: a, Currency: c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}

// evidence turns a funding of a project into its GraphQL evidence.
func evidence(project string, f Funding) *model.FundingEvidence {
	e := &model.FundingEvidence{DonorKey: f.Donor, ProjectKey: project, Sources: f.Sources}
	if e.Sources == nil {
		e.Sources = []*model.SourceRef{}
	}
	if f.Amount != nil && f.Currency != nil {
		e.Amount = &model.Money{Amount: *f.Amount, Currency: *f.Currency, AsOf: f.AsOf}
	}
	return e
}

// activity describes a targeted project with its effective dates.
func activity(p TargetedProject, end *string, endAssumed bool) *model.ProjectActivity {
	a := &model.ProjectActivity{
		ProjectKey: p.Project, Scope: p.Scope, Start: p.Start, End: end, EndAssumed: endAssumed,
		Share: p.Share, Fundings: make([]*model.FundingEvidence, 0, len(p.Fundings)),
	}
	for _, f := range p.Fundings {
		a.Fundings = append(a.Fundings, evidence(p.Project, f))
	}
	sort.Slice(a.Fundings, func(i, j int) bool { return a.Fundings[i].DonorKey < a.Fundings[j].DonorKey })
	return a
}

// set is a sorted set of strings.
type set map[string]bool

func (s set) sorted() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func page[T any](list []T, first int) []T {
	if first >= 0 && len(list) > first {
		return list[:first]
	}
	return list
}

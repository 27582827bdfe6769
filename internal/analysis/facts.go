package analysis

import (
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// Funding is one donor's funding of a project as the graph records it.
type Funding struct {
	Donor string
	// Amount is the amount as stated; Hundredths the same in hundredths of the currency unit,
	// what sums add (both nil when no amount is stated).
	Amount     *model.Decimal
	Hundredths *int64
	Currency   *string
	AsOf       *string
	Sources    []*model.SourceRef
}

// Part is the fraction Num/Den of a funding that counts somewhere (Den > 0).
type Part struct{ Num, Den int64 }

// Whole counts a funding in full.
var Whole = Part{1, 1}

// Of is the part of an amount in hundredths, rounded to the hundredth half away from zero (the
// rounding rule the schema states on Decimal); exact integer arithmetic throughout.
func (p Part) Of(hundredths int64) int64 {
	if p == Whole {
		return hundredths
	}
	if p.Den <= 0 || p.Num == 0 {
		return 0
	}
	n := new(big.Int).Mul(big.NewInt(hundredths), big.NewInt(p.Num))
	n.Abs(n).Mul(n, big.NewInt(2)).Add(n, big.NewInt(p.Den))
	n.Quo(n, big.NewInt(2*p.Den))
	if hundredths < 0 {
		n.Neg(n)
	}
	return n.Int64()
}

// Times is the part of a part (a funding split across countries, then across themes).
func (p Part) Times(q Part) Part { return Part{p.Num * q.Num, p.Den * q.Den} }

// Float is the part as a number from 0 to 1 (for display; nothing sums it).
func (p Part) Float() float64 {
	if p.Den == 0 {
		return 0
	}
	return float64(p.Num) / float64(p.Den)
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
	// CountryCount is how many countries the project targets (a regional project: two or more);
	// SharePart the part of its funding this country counts with allocation BY_SHARE.
	CountryCount int
	SharePart    Part
}

// Counted is the part of the project's funding this country counts under the allocation.
func (p TargetedProject) Counted(byShare bool) Part {
	if byShare {
		return p.SharePart
	}
	return Whole
}

// regionalParts lists how the regional projects among projects were counted, by project then
// country key.
func regionalParts(projects []TargetedProject, byShare bool) []*model.RegionalProjectPart {
	out := []*model.RegionalProjectPart{}
	for _, p := range projects {
		if p.CountryCount > 1 {
			out = append(out, &model.RegionalProjectPart{
				ProjectKey: p.Project, CountryKey: p.Country, CountryCount: p.CountryCount, Part: p.Counted(byShare).Float(),
			})
		}
	}
	sortRegionalParts(out)
	return out
}

func sortRegionalParts(list []*model.RegionalProjectPart) {
	sort.Slice(list, func(i, j int) bool {
		if list[i].ProjectKey != list[j].ProjectKey {
			return list[i].ProjectKey < list[j].ProjectKey
		}
		return list[i].CountryKey < list[j].CountryKey
	})
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

// totals adds amounts per currency, in hundredths; fundings without an amount are left out.
type totals map[string]int64

// add counts the given part of a funding.
func (t totals) add(f Funding, part Part) {
	if f.Hundredths != nil && f.Currency != nil {
		t[*f.Currency] += part.Of(*f.Hundredths)
	}
}

func (t totals) money() []*model.Money {
	out := make([]*model.Money, 0, len(t))
	for c, a := range t {
		out = append(out, &model.Money{Amount: model.DecimalFromHundredths(a), Currency: c})
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

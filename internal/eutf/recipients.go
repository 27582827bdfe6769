package eutf

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/iati"
)

// recipientRow is one row of the recipients file.
type recipientRow struct {
	line      int
	code      string // "" when the row names no country
	share     *float64
	budget    float64
	hasBudget bool
}

// recipientGroup is the rows of the recipients file for one identifier.
type recipientGroup struct {
	id       string
	rows     []recipientRow
	attached bool
}

func (r *reader) readRecipients() error {
	r.recipients = map[string]*recipientGroup{}
	return r.readCSV(RecipientsFile, recipientsHeader, func(rec csvRecord) {
		f := rec.fields
		if strings.TrimSpace(f["iati_id"]) == "" {
			r.problem(RecipientsFile, rec.line, "iati_id", "no identifier")
			return
		}
		id := r.canonicalIdentifier(RecipientsFile, rec.line, "iati_id", f["iati_id"])
		row := recipientRow{line: rec.line, code: strings.TrimSpace(f["recipient_country"])}
		if raw := strings.TrimSpace(f["budget"]); raw != "" {
			v, ok := parseAmount(raw)
			if !ok {
				r.problem(RecipientsFile, rec.line, "budget", "%q is not an amount", raw)
			}
			row.budget, row.hasBudget = v, ok
		}
		switch {
		case row.code == "":
			r.notice(RecipientsFile, rec.line, "recipient_country", "no country code; the row gives the activity no country")
		case !countryCode.MatchString(row.code):
			r.problem(RecipientsFile, rec.line, "recipient_country", "%q is not an ISO 3166 alpha-2 code", row.code)
			row.code = ""
		}
		if raw := strings.TrimSpace(f["recipient_percentage"]); raw != "" {
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil || !(v > 0 && v <= 100) {
				r.problem(RecipientsFile, rec.line, "recipient_percentage", "%q is not a percentage above 0 and up to 100", raw)
			} else {
				row.share = &v
			}
		}
		g := r.recipients[id]
		if g == nil {
			g = &recipientGroup{id: id}
			r.recipients[id] = g
			r.recipientIDs = append(r.recipientIDs, id)
		}
		g.rows = append(g.rows, row)
	})
}

// attachRecipients gives each activity its countries. The recipients file wins: it has one code
// a row with the share the activity states, where the projects file's column is the same codes
// joined in one cell (with unknown codes dropped). The column is used only where the recipients
// file has no country for the activity; every difference is a notice.
func (r *reader) attachRecipients() {
	for _, row := range r.rows {
		a := &row.activity
		if a.Identifier == "" || r.kept[a.Identifier] != row {
			continue
		}
		g := r.recipients[a.Identifier]
		if g != nil {
			g.attached = true
			a.Countries = r.groupCountries(g, a)
		}
		fromFile := countryCodes(a.Countries)
		column := slices.Clone(row.countryColumn)
		slices.Sort(column)
		column = slices.Compact(column)
		switch {
		case len(fromFile) == 0 && len(column) > 0:
			r.notice(ProjectsFile, row.line, "recipient_country", "the recipients file has no country for this activity; read from this column (%s)", strings.Join(column, ", "))
			for _, code := range column {
				a.Countries = append(a.Countries, iati.Recipient{Code: code, Line: row.line})
			}
		case len(fromFile) == 0:
			r.notice(ProjectsFile, row.line, "recipient_country", "no recipient country in either file")
		case !slices.Equal(fromFile, column):
			r.notice(ProjectsFile, row.line, "recipient_country", "lists %q, the recipients file %q; the recipients file is used",
				strings.Join(column, ", "), strings.Join(fromFile, ", "))
		}
		r.checkShares(row)
	}
	for _, id := range r.recipientIDs {
		if g := r.recipients[id]; !g.attached {
			r.notice(RecipientsFile, g.rows[0].line, "iati_id", "%q is no identifier of %s; its %d rows give no activity a country", id, ProjectsFile, len(g.rows))
		}
	}
}

// groupCountries makes the countries of one activity from its rows, each country once.
func (r *reader) groupCountries(g *recipientGroup, a *iati.Activity) []iati.Recipient {
	var out []iati.Recipient
	budgetChecked := false
	for _, rr := range g.rows {
		if rr.hasBudget && !budgetChecked && len(a.Budgets) > 0 && rr.budget != a.Budgets[0].Value.Amount {
			r.notice(RecipientsFile, rr.line, "budget", "%v differs from the activity's budget %v (line %d of %s)", rr.budget, a.Budgets[0].Value.Amount, a.Line, ProjectsFile)
			budgetChecked = true
		}
		if rr.code == "" {
			continue
		}
		i := slices.IndexFunc(out, func(c iati.Recipient) bool { return c.Code == rr.code })
		if i >= 0 {
			r.notice(RecipientsFile, rr.line, "recipient_country", "%s is listed again for %s (line %d); kept once", rr.code, g.id, out[i].Line)
			continue
		}
		out = append(out, iati.Recipient{Code: rr.code, Percentage: rr.share, Line: rr.line})
	}
	return out
}

// countryCodes lists the codes of recipients, sorted.
func countryCodes(rs []iati.Recipient) []string {
	codes := make([]string, 0, len(rs))
	for _, c := range rs {
		codes = append(codes, c.Code)
	}
	slices.Sort(codes)
	return codes
}

// shareTolerance is how far from 100 the stated shares may sum (rounded shares such as 3 x 33.3).
const shareTolerance = 1.0

// checkShares reports shares that are stated for some countries only, or that do not sum to 100.
func (r *reader) checkShares(row *projectRow) {
	stated, sum := 0, 0.0
	for _, c := range row.activity.Countries {
		if c.Percentage != nil {
			stated++
			sum += *c.Percentage
		}
	}
	n := len(row.activity.Countries)
	switch {
	case stated == 0:
	case stated < n:
		r.notice(RecipientsFile, row.activity.Countries[0].Line, "recipient_percentage", "%s states shares for %d of its %d countries", row.activity.Identifier, stated, n)
	case math.Abs(sum-100) > shareTolerance:
		r.notice(RecipientsFile, row.activity.Countries[0].Line, "recipient_percentage", "the shares of %s sum to %v, not 100", row.activity.Identifier, math.Round(sum*10)/10)
	}
}

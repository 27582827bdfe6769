package eutf

import (
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/iati"
)

// readConsolidated reads the compilers' consolidated list of decisions and checks the activities
// against it: identifiers, budgets, start and end dates. The list is not imported, so a value in
// it that does not read is a notice, not a problem.
func (r *reader) readConsolidated() error {
	seen := map[string]int{}
	return r.readCSV(ConsolidatedFile, consolidatedHeader, func(rec csvRecord) {
		f := rec.fields
		if strings.TrimSpace(f["ProjectID"]) == "" {
			r.notice(ConsolidatedFile, rec.line, "ProjectID", "no identifier; the row is not checked")
			return
		}
		id := r.canonicalIdentifier(ConsolidatedFile, rec.line, "ProjectID", f["ProjectID"])
		if earlier, ok := seen[id]; ok {
			r.notice(ConsolidatedFile, rec.line, "ProjectID", "%s is also on line %d", id, earlier)
		}
		seen[id] = rec.line
		for _, field := range []string{"ProjectAdoptionDate", "ProjectStartDate", "ProjectEndDate"} {
			if s := strings.TrimSpace(f[field]); s != "" {
				if _, err := time.Parse(time.DateOnly, s); err != nil {
					r.notice(ConsolidatedFile, rec.line, field, "%q is not a date (YYYY-MM-DD)", s)
				}
			}
		}
		row, ok := r.kept[id]
		if !ok {
			r.notice(ConsolidatedFile, rec.line, "ProjectID", "%s is no activity of %s", id, ProjectsFile)
			return
		}
		a := &row.activity
		if raw := strings.TrimSpace(f["ProjectBudget"]); raw != "" {
			amount, ok := parseAmount(raw)
			switch {
			case !ok:
				r.notice(ConsolidatedFile, rec.line, "ProjectBudget", "%q is not an amount", raw)
			case len(a.Budgets) == 0:
				r.notice(ConsolidatedFile, rec.line, "ProjectBudget", "%v, where the activity (line %d of %s) has no budget", amount, a.Line, ProjectsFile)
			case amount != a.Budgets[0].Value.Amount:
				r.notice(ConsolidatedFile, rec.line, "ProjectBudget", "%v differs from the activity's %v (line %d of %s)", amount, a.Budgets[0].Value.Amount, a.Line, ProjectsFile)
			}
		}
		r.compareDate(rec, "ProjectStartDate", a, startDateType)
		r.compareDate(rec, "ProjectEndDate", a, endDateType)
	})
}

func (r *reader) compareDate(rec csvRecord, field string, a *iati.Activity, dateType string) {
	listed := strings.TrimSpace(rec.fields[field])
	own := ""
	for _, d := range a.Dates {
		if d.Type == dateType {
			own = d.ISODate
		}
	}
	if listed != "" && own != "" && listed != own {
		r.notice(ConsolidatedFile, rec.line, field, "%s differs from the activity's %s (line %d of %s)", listed, own, a.Line, ProjectsFile)
	}
}

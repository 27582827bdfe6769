package analysis

import (
	"testing"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// TestFollowUpStartingAfterAsOfIsPending: a national project planned to start after the day
// the question is asked has not followed up yet, though its start is within the window.
func TestFollowUpStartingAfterAsOfIsPending(t *testing.T) {
	start := "2024-02-29"
	groups := []FollowUpGroup{{Country: "country:SN", Theme: "theme:reintegration",
		Activities: []RegionalActivity{{Kind: model.RegionalActivityKindRegionalProject, Project: strp("project:regional"), ProjectStart: &start}},
		Nationals:  []NationalProject{{Project: "project:national", Start: "2026-06-01"}}}}
	all := map[model.FollowUpStatus]bool{model.FollowUpStatusFound: true, model.FollowUpStatusPending: true, model.FollowUpStatusMissing: true}
	for _, c := range []struct {
		asOf, status string
	}{
		{"2026-01-01", "PENDING"}, // planned, not started yet
		{"2026-07-01", "FOUND"},   // started by then, within the window
	} {
		r := FollowUps(groups, FollowUpQuery{WindowYears: 3, AsOf: day(c.asOf), Statuses: all, First: 10})
		if len(r.Activities) != 1 {
			t.Fatalf("as of %s: %d activities", c.asOf, len(r.Activities))
		}
		a := r.Activities[0]
		if string(a.Status) != c.status || a.Deadline != "2027-02-28" || a.FollowUpKey == nil || *a.FollowUpKey != "project:national" {
			t.Errorf("as of %s: status %s, deadline %s, follow-up %v; want %s, 2027-02-28, project:national", c.asOf, a.Status, a.Deadline, a.FollowUpKey, c.status)
		}
	}
}

func strp(s string) *string { return &s }

package export

import (
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

// TestRelationshipTermsAreInTheContext checks the names of the qualified relationships
// (memberships as schema:Role, every other type in camel case) and that the published context
// defines every predicate and class they use.
func TestRelationshipTermsAreInTheContext(t *testing.T) {
	for typ, want := range map[string][2]string{
		"MEMBER_OF": {"memberOf", "Membership"}, "HAS_PILLAR": {"hasPillar", "HasPillar"},
		"PART_OF": {"partOf", "PartOf"}, "STATES": {"states", "States"},
	} {
		if p, c := relationshipTerms(typ); p != want[0] || c != want[1] {
			t.Errorf("%s: %s, %s; want %v", typ, p, c, want)
		}
	}
	terms := Context("http://example.org")["@context"].(map[string]any)
	if terms["Membership"] != "schema:Role" {
		t.Errorf("Membership is %v, not schema:Role", terms["Membership"])
	}
	for _, typ := range store.RelationshipTypes() {
		p, c := relationshipTerms(typ)
		if terms[p] == nil || terms[c] == nil {
			t.Errorf("%s: the context lacks %s or %s", typ, p, c)
		}
	}
}

// TestRelationshipDocumentQualifiesAMembership checks the shape of a membership: a schema:Role
// on the member naming the process by @id, with roleName, startDate and endDate, and its sources.
func TestRelationshipDocumentQualifiesAMembership(t *testing.T) {
	doc := RelationshipDocument("http://example.org", store.ExportedRel{Type: "MEMBER_OF", From: "country:SN", To: "process:rabat",
		Props: map[string]any{"role": "MEMBER", "from": "2006-07-10", "until": nil, "sourceIds": []any{"source:x"}, "assertions": "internal"}})
	if doc["@id"] != "http://example.org/id/country/SN" {
		t.Fatalf("subject %v", doc["@id"])
	}
	q := doc["memberOf"].(map[string]any)
	if q["@type"] != "Membership" || q["memberOf"].(map[string]any)["@id"] != "http://example.org/id/process/rabat" ||
		q["roleName"] != "MEMBER" || q["startDate"] != "2006-07-10" {
		t.Errorf("membership %v", q)
	}
	for _, k := range []string{"endDate", "until", "role", "from", "assertions", "sourceIds"} {
		if _, ok := q[k]; ok {
			t.Errorf("membership holds %s: %v", k, q)
		}
	}
	if len(q["sources"].([]any)) != 1 {
		t.Errorf("sources %v", q["sources"])
	}
}

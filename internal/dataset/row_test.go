package dataset

import (
	"strings"
	"testing"
)

func kinds(m map[string]string) KindOfIDs {
	return func(ids []string) (map[string]string, error) {
		out := map[string]string{}
		for _, id := range ids {
			if k, ok := m[id]; ok {
				out[id] = k
			}
		}
		return out, nil
	}
}

var graphKinds = kinds(map[string]string{"src:a": KindSource, "country:SN": KindCountry, "process:rabat": KindRegionalProcess, "org:x": KindOrganisation})

func TestCheckRowAppliesTheFileRules(t *testing.T) {
	d, problems, err := CheckRow(KindOrganisation, RowCreate, "", "", map[string]string{"id": "org:new", "name": "New", "kind": "NGO",
		"country": "SN", "source": "src:a", "status": "V", "locator": "p. 1"}, graphKinds)
	if err != nil || len(problems) > 0 {
		t.Fatalf("valid organisation: %v %v", err, problems)
	}
	if len(d.Nodes) != 1 || d.Nodes[0].Props["kind"] != "NGO" || len(d.Rels) != 1 || d.Rels[0].Type != RelBasedIn || d.Rels[0].To != "country:SN" {
		t.Fatalf("organisation row gave %+v", d)
	}
	_, problems, _ = CheckRow(KindOrganisation, RowCreate, "", "", map[string]string{"id": "org:new", "kind": "CLUB",
		"country": "ZZ", "source": "src:none", "status": "X", "colour": "red"}, graphKinds)
	var fields []string
	for _, p := range problems {
		fields = append(fields, p.Field)
	}
	if got := strings.Join(fields, ","); got != "colour,name,kind,status,country,source" {
		t.Fatalf("problems at %s: %v", got, problems)
	}
	// A rewrite leaves relationship columns out: naming one is a problem that says so.
	_, problems, _ = CheckRow(KindOrganisation, RowRewrite, "", "", map[string]string{"id": "org:x", "name": "X", "kind": "NGO",
		"country": "SN", "source": "src:a", "status": "V"}, graphKinds)
	if len(problems) != 1 || problems[0].Field != "country" || !strings.Contains(problems[0].Msg, "relationship") {
		t.Fatalf("relationship column in a rewrite: %v", problems)
	}
	// Relationships: the file's columns, its ends' kinds, and relationships that node files make.
	d, problems, _ = CheckRow(RelMemberOf, RowCreate, "SN", "process:rabat", map[string]string{"role": "MEMBER", "from": "2006-07-01", "source": "src:a", "status": "W"}, graphKinds)
	if len(problems) > 0 || d.Rels[0].From != "country:SN" || d.Rels[0].Props["role"] != "MEMBER" {
		t.Fatalf("membership: %v %+v", problems, d)
	}
	_, problems, _ = CheckRow(RelBasedIn, RowCreate, "process:rabat", "SN", map[string]string{"source": "src:a", "status": "V"}, graphKinds)
	if len(problems) != 1 || problems[0].Field != "from" {
		t.Fatalf("BASED_IN from a process: %v", problems)
	}
}

func TestRowOfWritesPropertiesBackAsCells(t *testing.T) {
	props := map[string]any{"id": "country:SN", "iso2": "SN", "iso3": "SEN", "name": "Senegal", "region": "Africa", "euRelation": "OTHER",
		"aliases": []any{"Sénégal", "Republic of Senegal"}, "sourceIds": []any{"src:a"}, "sourceLocators": []any{""}, "sourceStatuses": []any{"VERIFIED"}}
	row := RowOf(KindCountry, props)
	if row["aliases"] != "Sénégal; Republic of Senegal" || row["status"] != "V" || row["source"] != "src:a" || row["eu_relation"] != "OTHER" {
		t.Fatalf("row %v", row)
	}
	if _, hasLocator := row["locator"]; hasLocator {
		t.Error("an empty locator was written")
	}
	d, problems, _ := CheckRow(KindCountry, RowRewrite, "", "", row, graphKinds)
	if len(problems) > 0 || d.Nodes[0].Props["id"] != "country:SN" {
		t.Fatalf("the row of a node does not check as that node: %v", problems)
	}
}

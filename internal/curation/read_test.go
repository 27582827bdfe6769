package curation

import (
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

func TestPropertyChangesListOnlyWhatDiffers(t *testing.T) {
	got := propertyChanges(map[string]any{"name": "A", "budget": 1.5, "same": []any{"x"}}, map[string]any{"name": "B", "same": []string{"x"}, "until": "2020-01-01"})
	want := []string{`budget:1.5->`, `name:"A"->"B"`, `until:->"2020-01-01"`}
	if len(got) != len(want) {
		t.Fatalf("got %d changes: %+v", len(got), got)
	}
	for i, c := range got {
		s := c.Name + ":"
		if c.Before != nil {
			s += *c.Before
		}
		s += "->"
		if c.After != nil {
			s += *c.After
		}
		if s != want[i] {
			t.Errorf("change %d = %s, want %s", i, s, want[i])
		}
	}
}

func TestPagesAndCursors(t *testing.T) {
	if n, err := pageSize(nil); n != 20 || err != nil {
		t.Errorf("default page: %d %v", n, err)
	}
	for _, bad := range []int{0, 101} {
		if _, err := pageSize(&bad); err == nil {
			t.Errorf("first: %d accepted", bad)
		}
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 123, time.UTC)
	c := cursorOf(at, "changeset:ab")
	gotAt, gotID, err := parseCursor(&c)
	if err != nil || !gotAt.Equal(at) || gotID != "changeset:ab" {
		t.Errorf("cursor round trip: %v %s %v", gotAt, gotID, err)
	}
	bad := "bm90IGEgY3Vyc29y"
	if _, _, err := parseCursor(&bad); err == nil {
		t.Error("a foreign cursor was accepted")
	}
}

func TestChangeSetModelShowsEachOperation(t *testing.T) {
	cs := &store.ChangeSet{ID: "changeset:1", Status: store.ChangeProposed, Operations: []store.Operation{
		{Op: store.OpUpdateNode, Kind: "Country", ID: "country:SN", Before: map[string]any{"name": "A"}, After: map[string]any{"name": "B"}, BeforeVersion: "v1"},
		{Op: store.OpAddRelationship, Type: "TARGETS", From: "project:p", To: "country:SN", After: map[string]any{"share": 10.0}},
	}}
	m := ChangeSetModel(cs)
	if len(m.Changes) != 2 || *m.Changes[0].Node != "country:SN" || *m.Changes[0].BeforeVersion != "v1" || m.Changes[0].RelationshipType != nil ||
		*m.Changes[1].RelationshipType != "TARGETS" || m.Changes[1].Node != nil || m.Changes[1].BeforeVersion != nil || m.Source != nil {
		t.Fatalf("model %+v", m)
	}
}

package synthetic

import (
	"reflect"
	"testing"
)

func TestSameSeedSameGraph(t *testing.T) {
	size := Size{Countries: 30, Processes: 3, Instruments: 20, Organisations: 40, Projects: 300, Themes: 5}
	a, err := Generate(size, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(size, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same size and seed differ")
	}
	c, _ := Generate(size, 8)
	if reflect.DeepEqual(a, c) {
		t.Fatal("another seed gave the same graph")
	}
}

func TestSizeAndReferences(t *testing.T) {
	size := Size{Countries: 30, Processes: 3, Instruments: 20, Organisations: 40, Projects: 300, Themes: 5}
	d, err := Generate(size, 1)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	ids := map[string]bool{}
	for _, n := range d.Nodes {
		counts[n.Kind]++
		id := n.Props["id"].(string)
		if ids[id] {
			t.Fatalf("id %s generated twice", id)
		}
		ids[id] = true
	}
	if counts["Priority"] == 0 {
		t.Fatal("no stated priorities")
	}
	delete(counts, "Priority")
	want := map[string]int{"Country": 30, "RegionalProcess": 3, "Instrument": 20, "Organisation": 40, "Project": 300, "ThematicArea": 5}
	if !reflect.DeepEqual(counts, want) {
		t.Fatalf("counts %v, want %v", counts, want)
	}
	for _, r := range d.Rels {
		if !ids[r.From] || !ids[r.To] {
			t.Fatalf("%s relationship %s -> %s points outside the graph", r.Type, r.From, r.To)
		}
	}
	if len(d.Rels) < 4*size.Projects {
		t.Fatalf("only %d relationships for %d projects; want a realistic fan-out", len(d.Rels), size.Projects)
	}
}

func TestInvalidSizes(t *testing.T) {
	for _, s := range []Size{{}, {Countries: 1297, Organisations: 1, Themes: 1}, {Countries: 1, Organisations: 1, Themes: 0}} {
		if _, err := Generate(s, 1); err == nil {
			t.Errorf("size %+v accepted", s)
		}
	}
}

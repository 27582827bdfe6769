package synthetic

import (
	"maps"
	"reflect"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

// TestGeneratedGraphIsValid checks every node and relationship of a generated graph with the rules
// `seed load` applies to the curated files (dataset.CheckRow: columns, values, references and the
// kinds they join), which is why the generated graph is written without checking it again. The
// synthetic graph cites no source, which every curated fact must: each row is checked with one.
// Countries keep a `syn-` key where the seed format would make one of their code.
func TestGeneratedGraphIsValid(t *testing.T) {
	d, err := Generate(thousand, 1)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{"source:synthetic": dataset.KindSource}
	for _, n := range d.Nodes {
		kinds[n.Props["id"].(string)] = n.Kind
	}
	kindOf := func(ids []string) (map[string]string, error) {
		out := map[string]string{}
		for _, id := range ids {
			if k, ok := kinds[id]; ok {
				out[id] = k
			}
		}
		return out, nil
	}
	cited := func(values map[string]string) map[string]string {
		values["source"], values["status"] = "source:synthetic", "V"
		return values
	}
	uncited := func(props map[string]any) map[string]any {
		out := maps.Clone(props)
		for _, p := range []string{"sourceIds", "sourceLocators", "sourceStatuses"} {
			delete(out, p)
		}
		return out
	}
	for _, n := range d.Nodes {
		checked, problems, err := dataset.CheckRow(n.Kind, dataset.RowRewrite, "", "", cited(dataset.RowOf(n.Kind, n.Props)), kindOf)
		if err != nil || len(problems) > 0 {
			t.Fatalf("%s %v: %v %v", n.Kind, n.Props["id"], err, problems)
		}
		got, want := uncited(checked.Nodes[0].Props), n.Props
		if n.Kind == dataset.KindCountry {
			want = maps.Clone(want)
			want["id"] = "country:" + n.Props["iso2"].(string)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s %v reads back as\n%v\nwant\n%v", n.Kind, n.Props["id"], got, want)
		}
	}
	keys := map[string]bool{}
	for _, r := range d.Rels {
		checked, problems, err := dataset.CheckRow(r.Type, dataset.RowCreate, r.From, r.To, cited(dataset.RowOf(r.Type, r.Props)), kindOf)
		if err != nil || len(problems) > 0 {
			t.Fatalf("%s %s -> %s: %v %v", r.Type, r.From, r.To, err, problems)
		}
		if got := checked.Rels[0]; got.From != r.From || got.To != r.To || !reflect.DeepEqual(uncited(got.Props), r.Props) {
			t.Fatalf("%s %s -> %s %v reads back as %s -> %s %v", r.Type, r.From, r.To, r.Props, got.From, got.To, uncited(got.Props))
		}
		if keys[r.Key()] {
			t.Fatalf("relationship %s generated twice", r.Key())
		}
		keys[r.Key()] = true
	}
}

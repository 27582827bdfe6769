package telemetry

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

func TestOperationNamesStayBounded(t *testing.T) {
	o := operationNames{max: 2, known: map[string]bool{}}
	for _, c := range []struct{ name, want string }{
		{"", OperationUnnamed}, {"CountryPage", "CountryPage"}, {"not a name", OperationOther},
		{strings.Repeat("a", 65), OperationOther}, {"Second", "Second"}, {"Third", OperationOther},
		{"CountryPage", "CountryPage"},
	} {
		if got := o.label(c.name); got != c.want {
			t.Errorf("label(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	for code, want := range map[string]string{"": "none", "NOT_FOUND": "NOT_FOUND", "lower": "OTHER", strings.Repeat("A", 41): "OTHER"} {
		if got := codeLabel(code); got != want {
			t.Errorf("codeLabel(%q) = %q, want %q", code, got, want)
		}
	}
}

type fakeStore struct{}

func (fakeStore) BreakerOpen() bool             { return false }
func (fakeStore) SessionsInUse() store.Sessions { return store.Sessions{Max: 45, AnonymousMax: 8} }

// TestDashboardUsesOnlyMetricsThatExist reads the Grafana dashboard shipped in deploy/grafana
// and checks that every metric its queries name is one the API (or the runtime) exports.
func TestDashboardUsesOnlyMetricsThatExist(t *testing.T) {
	m := NewMetrics(0)
	m.WatchStore(fakeStore{})
	names := map[string]bool{}
	descs := make(chan *prometheus.Desc, 100)
	go func() {
		for _, c := range m.own() {
			c.Describe(descs)
		}
		close(descs)
	}()
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range descs {
		names[fqName.FindStringSubmatch(d.String())[1]] = true
	}
	families, err := m.registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		names[f.GetName()] = true
	}

	raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "grafana", "partnership-graph.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dashboard struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dashboard); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	metric := regexp.MustCompile(`\b(partnership_graph_[a-z0-9_]+|go_[a-z0-9_]+|process_[a-z0-9_]+)\b`)
	used := map[string]bool{}
	for _, p := range dashboard.Panels {
		for _, target := range p.Targets {
			for _, name := range metric.FindAllString(target.Expr, -1) {
				base := name
				for _, suffix := range []string{"_bucket", "_count", "_sum"} {
					if trimmed, ok := strings.CutSuffix(name, suffix); ok && names[trimmed] {
						base = trimmed
					}
				}
				if !names[base] {
					t.Errorf("panel %q queries %s, which no collector exports", p.Title, name)
				}
				used[base] = true
			}
		}
	}
	var unused []string
	for name := range names {
		if strings.HasPrefix(name, "partnership_graph_") && !used[name] {
			unused = append(unused, name)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("metrics without a panel: %v", unused)
	}
}

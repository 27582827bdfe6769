package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// drawnView is what the browser script reads of the drawn graph.
type drawnView struct {
	Nodes     []string `json:"nodes"`
	Edges     []string `json:"edges"`
	Path      []string `json:"path"`
	PathEdges int      `json:"pathEdges"`
	GapEdges  int      `json:"gapEdges"`
	Selected  string   `json:"selected"`
	Centre    string   `json:"centre"`
}

type pngSize struct{ Width, Height int }

// explorerReport is the JSON line web/e2e/explorer.mjs prints.
type explorerReport struct {
	ConsoleErrors []string       `json:"consoleErrors"`
	External      []string       `json:"external"`
	Failures      []string       `json:"failures"`
	Timings       map[string]any `json:"timings"`
	IsoHits       []string       `json:"isoHits"`
	IatiHits      []string       `json:"iatiHits"`
	NameHits      []string       `json:"nameHits"`
	PathHits      []string       `json:"pathHits"`
	Opened        drawnView      `json:"opened"`
	OpenedSources int            `json:"openedSourceLinks"`
	Clicked       bool           `json:"clicked"`
	Expanded      drawnView      `json:"expanded"`
	Path          drawnView      `json:"path"`
	KeyboardMoved bool           `json:"keyboardMoved"`
	Reopened      drawnView      `json:"reopened"`
	Highlighted   drawnView      `json:"highlighted"`
	SharedURL     string         `json:"sharedURL"`
	ReopenedURL   string         `json:"reopenedURL"`
	PNG           struct{ Size *pngSize }
	GapsPNG       struct{ Size *pngSize } `json:"gapsPNG"`
	SVG           struct{ Circles, Lines int }
	CSV           struct{ Nodes, Relationships int }
	GapsCSV       struct{ Overlap, FollowUp, Flow int } `json:"gapsCSV"`
	OnTheme       []string                              `json:"onTheme"`
	OnDate        struct {
		On       string   `json:"on"`
		Projects []string `json:"projects"`
	} `json:"onDate"`
	Gaps struct {
		Title       string   `json:"title"`
		WindowBars  int      `json:"windowBars"`
		WindowRows  int      `json:"windowRows"`
		FollowUps   []string `json:"followUps"`
		Unfunded    int      `json:"unfunded"`
		SankeyLinks int      `json:"sankeyLinks"`
		SankeyKeys  []string `json:"sankeyKeys"`
	} `json:"gaps"`
	Phone         struct{ ScrollWidth, Width int } `json:"phone"`
	PhoneGaps     struct{ ScrollWidth, Width int } `json:"phoneGaps"`
	MissingStatus struct {
		Text      string `json:"text"`
		ClassName string `json:"className"`
	} `json:"missingStatus"`
}

// TestExplorerInBrowser drives the network explorer (/explore) in headless Chromium over the
// fixture (web/e2e/explorer.mjs, playwright-core): search by ISO code, IATI identifier and name,
// open with the keyboard, select with the mouse, expand from the side panel, a path, the time
// slider, exports, a shared link, the Gaps view of Senegal and phone width. Every count drawn is
// compared with what the API answers to the same questions. It needs node, web/e2e/node_modules
// (`make e2e-deps`) and /usr/bin/chromium, all of which `.ci/run` installs; it fails rather than
// skips when they are missing. Set EXPLORER_SCREENSHOTS to a folder to keep its screenshots.
func TestExplorerInBrowser(t *testing.T) {
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	srv := secureAPI(t, reqctx.RoleAnonymous, 100_000, 1000, 8)
	shots := os.Getenv("EXPLORER_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	plan, _ := json.Marshal(map[string]string{
		"search": "Senegal", "iso": "SEN", "iati": "XI-IATI-EC_NEAR_T05-EUTF-SAH-SN-01", "country": "country:SN",
		"expand": "project:reg-1", "pathFrom": "country:SN", "pathSearch": "ICMPD", "on": "2015-01-01", "theme": "theme:employment",
		"missing": "country:ZZ", "shots": shots,
	})
	cmd := exec.Command("node", filepath.Join(root, "web", "e2e", "explorer.mjs"), srv.URL, string(plan))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var r explorerReport
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil || runErr != nil {
		t.Fatalf("browser test failed: %v (report: %v)\nstdout: %s\nstderr: %s\n(install its parts with: make e2e-deps; apt-get install chromium)",
			runErr, err, stdout.String(), stderr.String())
	}
	t.Logf("explorer timings over the fixture (ms): %v", r.Timings)
	if len(r.ConsoleErrors) > 0 || len(r.External) > 0 || len(r.Failures) > 0 {
		t.Fatalf("console errors %v, other origins %v, failures %v", r.ConsoleErrors, r.External, r.Failures)
	}

	first := func(hits []string) string {
		if len(hits) == 0 {
			return ""
		}
		return hits[0]
	}
	for _, c := range []struct{ what, hit, want string }{
		{"ISO code SEN", first(r.IsoHits), "Senegal"},
		{"IATI identifier", first(r.IatiHits), "Senegal employment project"},
		{"name", first(r.NameHits), "Senegal"},
		{"path end", first(r.PathHits), "ICMPD"},
	} {
		if !strings.HasPrefix(c.hit, c.want) {
			t.Errorf("search by %s: first hit %q, want %q (all: %v %v %v)", c.what, c.hit, c.want, r.IsoHits, r.IatiHits, r.NameHits)
		}
	}

	// Opened, expanded and path: the drawn nodes and edges are those the API gives.
	senegal := explorerNeighbourhood(t, srv, "country:SN")
	if !slices.Equal(r.Opened.Nodes, senegal.nodes) || !slices.Equal(r.Opened.Edges, senegal.edges) {
		t.Errorf("opened Senegal: drawn %d nodes %d edges, API %d and %d\n%v\n%v", len(r.Opened.Nodes), len(r.Opened.Edges), len(senegal.nodes), len(senegal.edges), r.Opened, senegal)
	}
	if r.OpenedSources == 0 {
		t.Error("the side panel shows no source link for Senegal")
	}
	if !r.Clicked {
		t.Error("a click on project:reg-1 did not select it")
	}
	expanded := senegal.union(explorerNeighbourhood(t, srv, "project:reg-1"))
	if !slices.Equal(r.Expanded.Nodes, expanded.nodes) || !slices.Equal(r.Expanded.Edges, expanded.edges) {
		t.Errorf("expanded project:reg-1: drawn %v / %v, API %v / %v", r.Expanded.Nodes, r.Expanded.Edges, expanded.nodes, expanded.edges)
	}
	var paths struct {
		Paths struct {
			Paths []struct {
				Nodes []struct{ Key string }
				Edges []json.RawMessage
			}
		}
	}
	explorerQuery(t, srv, `{ paths(from: "country:SN", to: "org:icmpd", maxHops: 4, first: 5) { paths { nodes { key } edges { type } } } }`, &paths)
	if len(paths.Paths.Paths) == 0 {
		t.Fatal("the API finds no path from Senegal to ICMPD in the fixture")
	}
	var pathKeys []string
	for _, n := range paths.Paths.Paths[0].Nodes {
		pathKeys = append(pathKeys, n.Key)
	}
	sort.Strings(pathKeys)
	if !slices.Equal(r.Path.Path, pathKeys) || r.Path.PathEdges != len(paths.Paths.Paths[0].Edges) {
		t.Errorf("path highlighted: %v (%d edges), API's first path %v (%d edges)", r.Path.Path, r.Path.PathEdges, pathKeys, len(paths.Paths.Paths[0].Edges))
	}
	if !r.KeyboardMoved {
		t.Error("an arrow key on the graph did not move the selection")
	}

	// The shared link reopens the same view.
	if r.ReopenedURL != r.SharedURL || !slices.Equal(r.Reopened.Nodes, r.Path.Nodes) || !slices.Equal(r.Reopened.Edges, r.Path.Edges) ||
		!slices.Equal(r.Reopened.Path, r.Path.Path) || r.Reopened.Centre != "country:SN" || r.Reopened.Selected == "" {
		t.Errorf("the shared link %s reopened %+v, want the view %+v", r.SharedURL, r.Reopened, r.Path)
	}
	if !strings.Contains(r.SharedURL, "expand=project%3Areg-1") || !strings.Contains(r.SharedURL, "path=country%3ASN%2Corg%3Aicmpd") {
		t.Errorf("shared link lacks the expansion or the path: %s", r.SharedURL)
	}

	// Exports of the drawn view.
	if r.PNG.Size == nil || r.PNG.Size.Width < 100 || r.PNG.Size.Height < 100 {
		t.Errorf("PNG export: %+v", r.PNG.Size)
	}
	if r.SVG.Circles != len(r.Path.Nodes) || r.SVG.Lines != len(r.Path.Edges) || r.CSV.Nodes != len(r.Path.Nodes) || r.CSV.Relationships != len(r.Path.Edges) {
		t.Errorf("SVG export %+v and CSV export %+v, want %d nodes and %d relationships", r.SVG, r.CSV, len(r.Path.Nodes), len(r.Path.Edges))
	}

	// The time slider shows the projects the API says were active on the day.
	var projectKeys []string
	for _, k := range r.Path.Nodes {
		if strings.HasPrefix(k, "project:") {
			projectKeys = append(projectKeys, k)
		}
	}
	var active struct {
		Projects struct{ Nodes []struct{ Key string } }
	}
	explorerQueryVars(t, srv, `query($keys: [String!]) { projects(first: 100, where: { keys: $keys, activeOn: "2015-01-01" }) { nodes { key } } }`,
		map[string]any{"keys": projectKeys}, &active)
	var activeKeys []string
	for _, n := range active.Projects.Nodes {
		activeKeys = append(activeKeys, n.Key)
	}
	sort.Strings(activeKeys)
	if r.OnDate.On != "2015-01-01" || !slices.Equal(r.OnDate.Projects, activeKeys) {
		t.Errorf("network on %s shows projects %v, API active then %v", r.OnDate.On, r.OnDate.Projects, activeKeys)
	}

	var onTheme struct {
		Projects struct{ Nodes []struct{ Key string } }
	}
	explorerQueryVars(t, srv, `query($keys: [String!]) { projects(first: 100, where: { keys: $keys, themes: ["theme:employment"] }) { nodes { key } } }`,
		map[string]any{"keys": projectKeys}, &onTheme)
	var themeKeys []string
	for _, n := range onTheme.Projects.Nodes {
		themeKeys = append(themeKeys, n.Key)
	}
	sort.Strings(themeKeys)
	if len(themeKeys) == 0 || !slices.Equal(r.OnTheme, themeKeys) {
		t.Errorf("theme filter shows projects %v, API on theme:employment %v", r.OnTheme, themeKeys)
	}

	// The Gaps view of Senegal against the API's analytics.
	var gaps struct {
		OverlappingFunding      struct{ WindowCount int }
		MissingNationalFollowUp struct {
			Activities []struct {
				Status string
				Theme  struct{ Key string }
			}
		}
		PriorityGaps struct {
			Countries []struct{ Priorities []struct{ Unfunded bool } }
		}
		FundingFlows struct {
			Totals []struct {
				Amount   string
				Currency string
			}
			Links []struct {
				Source, Target string
				Currency       *string
			}
		}
	}
	explorerQuery(t, srv, `{
		overlappingFunding(country: "country:SN", first: 100) { windowCount }
		missingNationalFollowUp(country: "country:SN", first: 100) { activities { status theme { key } } }
		priorityGaps(country: "country:SN", first: 1) { countries { priorities { unfunded } } }
		fundingFlows(country: "country:SN", first: 100) { totals { amount currency } links { source target currency } }
	}`, &gaps)
	if r.Gaps.Title != "Gaps in Senegal" || r.Gaps.WindowBars != gaps.OverlappingFunding.WindowCount || r.Gaps.WindowRows != gaps.OverlappingFunding.WindowCount || gaps.OverlappingFunding.WindowCount == 0 {
		t.Errorf("overlap timeline: %q, %d bars and %d rows, API %d windows", r.Gaps.Title, r.Gaps.WindowBars, r.Gaps.WindowRows, gaps.OverlappingFunding.WindowCount)
	}
	var statuses []string
	for _, a := range gaps.MissingNationalFollowUp.Activities {
		statuses = append(statuses, a.Status)
	}
	if !slices.Equal(r.Gaps.FollowUps, statuses) || len(statuses) == 0 || r.GapsCSV.FollowUp != len(statuses) {
		t.Errorf("follow-up list %v (CSV %d), API %v", r.Gaps.FollowUps, r.GapsCSV.FollowUp, statuses)
	}
	unfunded := 0
	for _, c := range gaps.PriorityGaps.Countries {
		for _, p := range c.Priorities {
			if p.Unfunded {
				unfunded++
			}
		}
	}
	if r.Gaps.Unfunded != unfunded {
		t.Errorf("unfunded priorities listed %d, API %d", r.Gaps.Unfunded, unfunded)
	}
	main := ""
	best := -1.0
	for _, m := range gaps.FundingFlows.Totals {
		amount, err := strconv.ParseFloat(m.Amount, 64) // only to pick the largest currency
		if err != nil {
			t.Fatalf("flow total %q: %v", m.Amount, err)
		}
		if amount > best {
			main, best = m.Currency, amount
		}
	}
	var flowKeys []string
	links := 0
	for _, l := range gaps.FundingFlows.Links {
		if l.Currency != nil && *l.Currency == main {
			links++
			flowKeys = append(flowKeys, l.Source, l.Target)
		}
	}
	sort.Strings(flowKeys)
	flowKeys = slices.Compact(flowKeys)
	if r.Gaps.SankeyLinks != links || !slices.Equal(r.Gaps.SankeyKeys, flowKeys) || links == 0 || r.GapsCSV.Flow != len(gaps.FundingFlows.Links) {
		t.Errorf("Sankey: %d links over %v (CSV %d), API %d %s links over %v", r.Gaps.SankeyLinks, r.Gaps.SankeyKeys, r.GapsCSV.Flow, links, main, flowKeys)
	}
	if r.GapsPNG.Size == nil || r.GapsPNG.Size.Width < 100 {
		t.Errorf("Gaps PNG export: %+v", r.GapsPNG.Size)
	}
	// Highlighting draws one dashed edge per theme and regional activity.
	if r.Highlighted.GapEdges != len(statuses) {
		t.Errorf("highlighted %d follow-up gaps on the graph, API %d", r.Highlighted.GapEdges, len(statuses))
	}

	if r.Phone.ScrollWidth > r.Phone.Width || r.PhoneGaps.ScrollWidth > r.PhoneGaps.Width {
		t.Errorf("phone width scrolls sideways: network %+v, gaps %+v", r.Phone, r.PhoneGaps)
	}
	if r.MissingStatus.ClassName != "error" || !strings.Contains(r.MissingStatus.Text, `no node has the key "country:ZZ"`) || strings.Contains(r.MissingStatus.Text, "{") {
		t.Errorf("an unknown node is reported as %+v", r.MissingStatus)
	}
}

// explorerGraph is a set of node keys and edge ids (`from|TYPE|to`), sorted, as the page draws them.
type explorerGraph struct{ nodes, edges []string }

func (g explorerGraph) union(o explorerGraph) explorerGraph {
	merge := func(a, b []string) []string {
		out := slices.Concat(a, b)
		sort.Strings(out)
		return slices.Compact(out)
	}
	return explorerGraph{merge(g.nodes, o.nodes), merge(g.edges, o.edges)}
}

func explorerNeighbourhood(t *testing.T, srv *httptest.Server, key string) explorerGraph {
	t.Helper()
	var out struct {
		Neighbourhood struct {
			Center struct{ Key string }
			Nodes  []struct{ Node struct{ Key string } }
			Edges  []struct {
				Type     string
				From, To struct{ Key string }
			}
		}
	}
	explorerQueryVars(t, srv, `query($id: ID!) { neighbourhood(id: $id, depth: 1, limit: 100) { center { key } nodes { node { key } } edges { type from { key } to { key } } } }`,
		map[string]any{"id": key}, &out)
	g := explorerGraph{nodes: []string{out.Neighbourhood.Center.Key}}
	for _, n := range out.Neighbourhood.Nodes {
		g.nodes = append(g.nodes, n.Node.Key)
	}
	for _, e := range out.Neighbourhood.Edges {
		g.edges = append(g.edges, e.From.Key+"|"+e.Type+"|"+e.To.Key)
	}
	sort.Strings(g.nodes)
	sort.Strings(g.edges)
	return g
}

func explorerQuery(t *testing.T, srv *httptest.Server, query string, out any) {
	t.Helper()
	explorerQueryVars(t, srv, query, nil, out)
}

// explorerQueryVars asks the API as the page does (anonymous POST) and decodes `data` into out.
func explorerQueryVars(t *testing.T, srv *httptest.Server, query string, vars map[string]any, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var envelope struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&envelope); err != nil || len(envelope.Errors) > 0 {
		t.Fatalf("query failed: %v %v\n%s", err, envelope.Errors, query)
	}
	if err := json.Unmarshal(envelope.Data, out); err != nil {
		t.Fatal(err)
	}
}

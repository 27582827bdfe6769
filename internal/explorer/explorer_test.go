package explorer

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestPageServesItsOwnFiles checks that /explore answers the page with its security headers, that
// every script, module and style the page names is served from this handler with a JavaScript or
// CSS type, and that no page file names another origin to load from.
func TestPageServesItsOwnFiles(t *testing.T) {
	h := Handler()
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	page := get("/explore?node=country%3ASN")
	if page.Code != http.StatusOK || !strings.HasPrefix(page.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(page.Header().Get("Content-Security-Policy"), "connect-src 'self'") || page.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("GET /explore: %d %v", page.Code, page.Header())
	}
	refs := regexp.MustCompile(`(?:src|href)="(/explore/[^"]+)"`).FindAllStringSubmatch(page.Body.String(), -1)
	imports := regexp.MustCompile(`from '(\./[^']+|/explore/[^']+)'`)
	seen := map[string]bool{}
	var queue []string
	for _, r := range refs {
		queue = append(queue, r[1])
	}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		rec := get(path)
		ct := rec.Header().Get("Content-Type")
		if rec.Code != http.StatusOK || !(strings.HasPrefix(ct, "text/javascript") || strings.HasPrefix(ct, "text/css")) {
			t.Errorf("GET %s: %d %q", path, rec.Code, ct)
			continue
		}
		if strings.HasSuffix(path, ".js") && !strings.Contains(path, "/assets/") {
			for _, m := range imports.FindAllStringSubmatch(rec.Body.String(), -1) {
				queue = append(queue, "/explore/"+strings.TrimPrefix(strings.TrimPrefix(m[1], "./"), "/explore/"))
			}
		}
	}
	for _, want := range []string{"/explore/main.js", "/explore/api.js", "/explore/sankey.js", "/explore/assets/cytoscape.esm.min.js", "/explore/explorer.css"} {
		if !seen[want] {
			t.Errorf("the page does not load %s (loaded %v)", want, seen)
		}
	}
	if rec := get("/explore/assets/cytoscape.esm.min.js"); !strings.Contains(rec.Header().Get("Cache-Control"), "max-age=86400") {
		t.Errorf("vendored library Cache-Control %q", rec.Header().Get("Cache-Control"))
	}
	if rec := get("/explore/nothing.js"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /explore/nothing.js: %d", rec.Code)
	}

	// Links a person follows (sources' pages) are fine; nothing the page loads may be elsewhere.
	elsewhere := regexp.MustCompile(`(?:src|href)="(?:https?:)?//|import[^;]*'(?:https?:)?//|fetch\('(?:https?:)?//|url\((?:https?:)?//`)
	_ = fs.WalkDir(files, "page", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, _ := fs.ReadFile(files, path)
		if loc := elsewhere.FindIndex(body); loc != nil {
			t.Errorf("%s loads from another origin: %q", path, body[loc[0]:min(len(body), loc[1]+40)])
		}
		return nil
	})
}

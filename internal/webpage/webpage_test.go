package webpage

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func TestEveryResponseCarriesThePagesHeaders(t *testing.T) {
	page := Page{ContentSecurityPolicy: "default-src 'self'"}
	files := fstest.MapFS{"app.js": {Data: []byte("run()")}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", page.Index([]byte("<!doctype html>")))
	mux.Handle("GET /static/", page.Files("/static/", "public, max-age=60", files))

	for _, c := range []struct{ path, contentType, cache, body string }{
		{"/", "text/html; charset=utf-8", "no-cache", "<!doctype html>"},
		{"/static/app.js", "text/javascript; charset=utf-8", "public, max-age=60", "run()"},
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.path, nil))
		h := rec.Header()
		if rec.Code != http.StatusOK || rec.Body.String() != c.body {
			t.Errorf("%s: %d %q", c.path, rec.Code, rec.Body.String())
		}
		for name, want := range map[string]string{
			"Content-Security-Policy": "default-src 'self'", "X-Content-Type-Options": "nosniff",
			"Referrer-Policy": "no-referrer", "Cache-Control": c.cache, "Content-Type": c.contentType,
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", c.path, name, got, want)
			}
		}
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/missing.js", nil))
	if rec.Code != http.StatusNotFound || rec.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("missing file: %d, CSP %q", rec.Code, rec.Header().Get("Content-Security-Policy"))
	}
}

func TestSubOfAMissingDirectoryPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Sub of an invalid directory name did not panic")
		}
	}()
	Sub(fstest.MapFS{}, "../outside")
}

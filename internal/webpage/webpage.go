// Package webpage serves the pages embedded in the binary (GraphiQL, the explorer) under one set of
// security headers: each page names its own Content-Security-Policy, the rest is shared.
package webpage

import (
	"io/fs"
	"net/http"
)

// Page is one embedded page: its Content-Security-Policy goes on every response it serves.
type Page struct {
	ContentSecurityPolicy string
}

// Sub is the directory dir of an embedded file system. dir is a constant of the caller, so an
// invalid name is a programming mistake: it panics at start-up.
func Sub(files fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Index serves the page's HTML, never cached: a new build shows at once.
func (p Page) Index(html []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p.setHeaders(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(html)
	}
}

// Files serves files of files under the URL prefix with the given Cache-Control.
func (p Page) Files(prefix, cacheControl string, files fs.FS) http.Handler {
	next := http.StripPrefix(prefix, http.FileServerFS(files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.setHeaders(w)
		w.Header().Set("Cache-Control", cacheControl)
		next.ServeHTTP(w, r)
	})
}

func (p Page) setHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", p.ContentSecurityPolicy)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

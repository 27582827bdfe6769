// Package explorer serves the network explorer at /explore: a page built on the public GraphQL API
// that draws the graph with Cytoscape.js (vendored from the npm registry by `make explorer`).
package explorer

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed assets/* page/*
var files embed.FS

// contentSecurityPolicy lets the page load only what this server serves and talk only to it.
// Cytoscape.js sizes its canvases through inline styles; exports are data and blob URLs.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// Handler serves the page at "/explore", its scripts and styles under "/explore/" and the
// vendored libraries under "/explore/assets/".
func Handler() http.Handler {
	assets, err := fs.Sub(files, "assets")
	if err != nil {
		panic(err)
	}
	page, err := fs.Sub(files, "page")
	if err != nil {
		panic(err)
	}
	index, err := fs.ReadFile(page, "index.html")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /explore", func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(index)
	})
	mux.Handle("GET /explore/assets/", withCache("public, max-age=86400", http.StripPrefix("/explore/assets/", http.FileServerFS(assets))))
	mux.Handle("GET /explore/", withCache("no-cache", http.StripPrefix("/explore/", http.FileServerFS(page))))
	return mux
}

func setHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

// withCache serves with the page's headers and the given Cache-Control: a day for the vendored
// library (a new version is a new build), none for the page's own small scripts.
func withCache(cacheControl string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w)
		w.Header().Set("Cache-Control", cacheControl)
		next.ServeHTTP(w, r)
	})
}

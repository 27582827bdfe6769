// Package playground serves GraphiQL from assets embedded in the binary (vendored from the npm
// registry by `make graphiql`), so analysts can explore the API with no internet access.
package playground

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed assets/* page/*
var files embed.FS

// contentSecurityPolicy lets the page load only what this server serves. GraphiQL sets inline
// styles and shows images as data URLs.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"

// Handler serves the GraphiQL page at "/" and its scripts and styles under "/playground/".
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
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(index)
	})
	mux.Handle("GET /playground/start.js", cached(http.StripPrefix("/playground/", http.FileServerFS(page))))
	mux.Handle("GET /playground/", cached(http.StripPrefix("/playground/", http.FileServerFS(assets))))
	return mux
}

func setHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

func cached(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

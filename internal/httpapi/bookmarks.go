package httpapi

import (
	"net/http"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

// BookmarkHeader carries Neo4j bookmarks (store.Bookmarks): a response to a request that wrote
// names the write, and a client that sends it back with its next requests has their reads wait
// for that write, on any instance and any member of a Neo4j cluster.
const BookmarkHeader = "X-Bookmark"

// Bounds of what a client may send in BookmarkHeader: Neo4j's bookmarks are a few dozen
// characters of base64 with a prefix, and a client echoes the one it was given.
const (
	maxBookmarks     = 8
	maxBookmarkBytes = 512
)

// withBookmarks reads the bookmarks a client echoed (comma-separated, in one or more
// BookmarkHeader lines; refused with 400 when malformed), makes the request's reads wait for
// them, and hands on the bookmarks of the request's writes in the response's BookmarkHeader.
func withBookmarks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent, ok := parseBookmarks(r.Header.Values(BookmarkHeader))
		if !ok {
			writeError(w, r, http.StatusBadRequest, "BAD_USER_INPUT",
				"X-Bookmark must be the value of an X-Bookmark response header, sent back unchanged")
			return
		}
		ctx, marks := store.WithBookmarks(r.Context(), sent)
		next.ServeHTTP(&bookmarkWriter{ResponseWriter: w, marks: marks}, r.WithContext(ctx))
	})
}

func parseBookmarks(lines []string) ([]string, bool) {
	var out []string
	for _, line := range lines {
		for _, b := range strings.Split(line, ",") {
			b = strings.TrimSpace(b)
			if b == "" {
				continue
			}
			if len(b) > maxBookmarkBytes || strings.IndexFunc(b, notBookmarkRune) >= 0 {
				return nil, false
			}
			out = append(out, b)
		}
	}
	return out, len(out) <= maxBookmarks
}

// notBookmarkRune tells the characters no Neo4j bookmark holds (base64, with a prefix and
// separators).
func notBookmarkRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+/=:_.-", r))
}

// bookmarkWriter sets BookmarkHeader before the response starts, when the request wrote.
type bookmarkWriter struct {
	http.ResponseWriter
	marks   *store.Bookmarks
	started bool
}

func (w *bookmarkWriter) start() {
	if w.started {
		return
	}
	w.started = true
	if written := w.marks.Written(); len(written) > 0 {
		w.Header().Set(BookmarkHeader, strings.Join(written, ","))
	}
}

func (w *bookmarkWriter) WriteHeader(status int) {
	w.start()
	w.ResponseWriter.WriteHeader(status)
}

func (w *bookmarkWriter) Write(b []byte) (int, error) {
	w.start()
	return w.ResponseWriter.Write(b)
}

// Flush passes flushes on (the underlying writer may stream).
func (w *bookmarkWriter) Flush() {
	w.start()
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *bookmarkWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

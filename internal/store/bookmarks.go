package store

import (
	"context"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Bookmarks are a request's causal chain on a Neo4j cluster. A write commits on the leader; a
// read routed to a follower or read replica may run before that follower has applied it. A
// bookmark names a committed transaction, and a transaction begun with bookmarks waits until
// the server it runs on has applied them. So the bookmarks of a client's write are handed back
// to it (the X-Bookmark response header), the client sends them with its next requests, and
// their reads wait for the write on whatever instance and follower they land. One Neo4j server
// answers at once (it has applied every commit).
//
// A request's Bookmarks hold those its client sent and those of the writes it made: its reads
// wait for all of them, and Written is what its response hands on.
type Bookmarks struct {
	mu      sync.Mutex
	sent    neo4j.Bookmarks
	written neo4j.Bookmarks
}

type bookmarksKey struct{}

// WithBookmarks returns a context whose reads wait for sent (bookmarks a client echoed) and
// whose writes are recorded in the returned Bookmarks.
func WithBookmarks(ctx context.Context, sent []string) (context.Context, *Bookmarks) {
	b := &Bookmarks{sent: sent}
	return context.WithValue(ctx, bookmarksKey{}, b), b
}

// Written returns the bookmarks of the writes made under the context so far (nil: none).
func (b *Bookmarks) Written() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.written...)
}

// waitFor is what reads under the context must wait for: what the client sent, and the
// request's own writes.
func (b *Bookmarks) waitFor() neo4j.Bookmarks {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append(append(neo4j.Bookmarks(nil), b.sent...), b.written...)
}

func bookmarksOf(ctx context.Context) *Bookmarks {
	b, _ := ctx.Value(bookmarksKey{}).(*Bookmarks)
	return b
}

// readBookmarks is the option making a read wait for the request's bookmarks; none when the
// request has none (then the read uses the driver's default bookmark manager, as before).
func readBookmarks(ctx context.Context) []neo4j.ExecuteQueryConfigurationOption {
	b := bookmarksOf(ctx)
	if b == nil {
		return nil
	}
	wait := b.waitFor()
	if len(wait) == 0 {
		return nil
	}
	return []neo4j.ExecuteQueryConfigurationOption{neo4j.ExecuteQueryWithBookmarkManager(
		neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{InitialBookmarks: wait}))}
}

// writeSession opens a session for write transactions (routed to the leader) that begins after
// the request's bookmarks. Its commits are not fed to the driver's bookmark manager: reads of
// every client would then wait for them, and after a Neo4j restart they kept failing.
func (s *Store) writeSession(ctx context.Context) neo4j.SessionWithContext {
	cfg := neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite}
	if b := bookmarksOf(ctx); b != nil {
		cfg.Bookmarks = b.waitFor()
	}
	return s.driver.NewSession(ctx, cfg)
}

// closeWrite records the bookmarks of a write session's commits in the request's Bookmarks and
// closes the session.
func (s *Store) closeWrite(ctx context.Context, session neo4j.SessionWithContext) {
	if b := bookmarksOf(ctx); b != nil {
		if last := session.LastBookmarks(); len(last) > 0 {
			b.mu.Lock()
			b.written = last
			b.mu.Unlock()
		}
	}
	_ = session.Close(ctx)
}

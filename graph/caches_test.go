package graph

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

func TestQueryCacheIsBoundedByTheHeapItsDocumentsTake(t *testing.T) {
	c := newQueryCache(40 * 1000) // about 1,000 bytes of query text
	for i := 0; i < 50; i++ {
		c.Add(context.Background(), fmt.Sprintf("{ about { version } } # %d %s", i, strings.Repeat("x", 100)), &ast.QueryDocument{})
		if c.Bytes() > 40*1000 {
			t.Fatalf("after %d documents the cache counts %d bytes, over its bound", i+1, c.Bytes())
		}
	}
	if _, ok := c.Get(context.Background(), fmt.Sprintf("{ about { version } } # %d %s", 49, strings.Repeat("x", 100))); !ok {
		t.Error("the newest document is missing")
	}
	if _, ok := c.Get(context.Background(), fmt.Sprintf("{ about { version } } # %d %s", 0, strings.Repeat("x", 100))); ok {
		t.Error("the oldest document is still there")
	}
	c.Add(context.Background(), strings.Repeat("y", 2000), &ast.QueryDocument{})
	if _, ok := c.Get(context.Background(), strings.Repeat("y", 2000)); ok {
		t.Error("a document larger than the cache was kept")
	}
}

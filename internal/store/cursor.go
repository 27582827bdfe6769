package store

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
)

// Cursors are keyset cursors: the sort values and the key of a row, so that `after` and
// `before` seek past that row instead of counting rows. They are opaque to clients (base64 of
// "pg2:<order>:<JSON values>"), versioned, and tied to the order they were made for: a cursor
// of another order, of the older positional scheme, or forged, is BAD_USER_INPUT.
const cursorVersion = "pg2"

// orderTag names an order in a cursor: a short hash of its sort keys.
func orderTag(spec string) string {
	sum := sha256.Sum256([]byte(spec))
	return hex.EncodeToString(sum[:4])
}

func encodeCursor(spec string, values []any) string {
	return encodeCursorTagged(orderTag(spec), values)
}

// encodeCursorTagged makes a cursor with the order's tag already computed (once per page).
func encodeCursorTagged(tag string, values []any) string {
	b, _ := json.Marshal(values) // sort values are strings, finite numbers (datasets refuse others) or null
	return base64.RawURLEncoding.EncodeToString([]byte(cursorVersion + ":" + tag + ":" + string(b)))
}

// decodeCursor reads a cursor made for the order spec with n sort keys: n values and the key.
func decodeCursor(arg, c, spec string, n int) ([]any, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, badCursor(arg)
	}
	s := string(raw)
	if strings.HasPrefix(s, "pg1:") {
		return nil, apperr.BadInput("argument %s is a cursor of an older version of this API; start again from the first page", arg)
	}
	version, rest, ok := strings.Cut(s, ":")
	if !ok || version != cursorVersion {
		return nil, badCursor(arg)
	}
	tag, body, ok := strings.Cut(rest, ":")
	if !ok {
		return nil, badCursor(arg)
	}
	if tag != orderTag(spec) {
		return nil, apperr.BadInput("argument %s is a cursor of the same list in another order (orderBy); page with the order it was made for, or start again", arg)
	}
	var values []any
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&values); err != nil || len(values) != n+1 || dec.More() {
		return nil, badCursor(arg)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badCursor(arg) // something after the values
	}
	if _, ok := values[n].(string); !ok {
		return nil, badCursor(arg)
	}
	for i, v := range values {
		switch x := v.(type) {
		case json.Number:
			if f, err := x.Float64(); err == nil {
				values[i] = f
			} else {
				return nil, badCursor(arg)
			}
		case string, nil, bool:
		default:
			return nil, badCursor(arg)
		}
	}
	return values, nil
}

func badCursor(arg string) error {
	return apperr.BadInput("argument %s is not a cursor of this API: pass the cursor of an edge or pageInfo as returned", arg)
}

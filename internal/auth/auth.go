// Package auth identifies callers by API key (kept only as SHA-256 hashes) and gives each a role.
package auth

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/reqctx"
)

// Key is one API key as the keys file describes it; the key itself is never stored.
type Key struct {
	Name    string
	Role    reqctx.Role
	Revoked bool
}

// Keys maps the SHA-256 of each key (hex) to its description.
type Keys map[string]Key

// Hash is how a key is stored: hex SHA-256 of its text.
func Hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// LoadKeys reads a keys file: CSV with the header `name,role,sha256,revoked`, one key per line.
// Errors name the file, line and field.
func LoadKeys(path string) (Keys, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	r.FieldsPerRecord = 4
	header, err := r.Read()
	if err != nil || strings.Join(header, ",") != "name,role,sha256,revoked" {
		return nil, fmt.Errorf("%s:1: header must be name,role,sha256,revoked", path)
	}
	keys := Keys{}
	names := map[string]bool{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return keys, nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		name, roleName, hash, revoked := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1]), strings.ToLower(strings.TrimSpace(rec[2])), strings.TrimSpace(rec[3])
		role, ok := reqctx.ParseRole(roleName)
		switch {
		case name == "" || names[name]:
			return nil, fmt.Errorf("%s:%d: field \"name\": empty or used twice", path, line)
		case !ok || role == reqctx.RoleAnonymous:
			return nil, fmt.Errorf("%s:%d: field \"role\": want reader, analyst, editor or admin, got %q", path, line, roleName)
		case len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "":
			return nil, fmt.Errorf("%s:%d: field \"sha256\": want 64 hex digits (the SHA-256 of the key), got %q", path, line, hash)
		case revoked != "true" && revoked != "false":
			return nil, fmt.Errorf("%s:%d: field \"revoked\": want true or false, got %q", path, line, revoked)
		}
		if _, dup := keys[hash]; dup {
			return nil, fmt.Errorf("%s:%d: field \"sha256\": the same key is listed twice", path, line)
		}
		names[name] = true
		keys[hash] = Key{Name: name, Role: role, Revoked: revoked == "true"}
	}
}

// Options configure Middleware.
type Options struct {
	Keys Keys
	// Anonymous is the role of requests without a key; 0 refuses them.
	Anonymous reqctx.Role
	// Refuse writes the answer to a request that is not let in.
	Refuse func(w http.ResponseWriter, r *http.Request, status int, code, message string)
	// TrustedProxies are the proxies whose X-Forwarded-For header names the client.
	TrustedProxies []netip.Prefix
}

// Middleware identifies the caller of each request from `Authorization: Bearer <key>` or
// `X-API-Key: <key>` and fills the request's reqctx.Caller (adding one when the context has
// none). An unknown or revoked key, or a missing one when anonymous access is off, is refused
// with 401 UNAUTHENTICATED.
func Middleware(o Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := presentedKey(r)
		caller := reqctx.CallerOf(r.Context())
		if caller == nil {
			caller = &reqctx.Caller{}
			r = r.WithContext(reqctx.WithCaller(r.Context(), caller))
		}
		switch {
		case key == "" && o.Anonymous == 0:
			w.Header().Set("WWW-Authenticate", `Bearer realm="partnership-graph"`)
			o.Refuse(w, r, http.StatusUnauthorized, "UNAUTHENTICATED", "an API key is required: send it as Authorization: Bearer <key>")
			return
		case key == "":
			caller.Client, caller.Role = "anonymous@"+ClientAddress(r, o.TrustedProxies), o.Anonymous
		default:
			k, ok := o.Keys[Hash(key)]
			if !ok || k.Revoked {
				w.Header().Set("WWW-Authenticate", `Bearer realm="partnership-graph", error="invalid_token"`)
				o.Refuse(w, r, http.StatusUnauthorized, "UNAUTHENTICATED", "the API key is unknown or revoked")
				return
			}
			caller.Client, caller.Role, caller.Keyed = k.Name, k.Role, true
		}
		caller.Header = w.Header()
		next.ServeHTTP(w, r)
	})
}

func presentedKey(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if k, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(k)
		}
		return h // a malformed header is an unknown key, not anonymous access
	}
	return strings.TrimSpace(r.Header.Get("X-API-Key"))
}

// ClientAddress is who an anonymous request comes from, for its budget: the peer address, or,
// when the peer is a trusted proxy, the last address of X-Forwarded-For that is not a trusted
// proxy (the proxies append; what comes before the first untrusted hop may be forged). IPv6
// addresses are grouped by /64, the block one subscriber usually holds.
func ClientAddress(r *http.Request, trusted []netip.Prefix) string {
	peer := peerAddr(r.RemoteAddr)
	if peer.IsValid() && isTrusted(peer, trusted) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := hopAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a garbled hop: stop at the last address we can trust
			}
			hop = hop.Unmap()
			peer = hop
			if !isTrusted(hop, trusted) {
				break
			}
		}
	}
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	if peer.Is6() {
		p, _ := peer.Prefix(64)
		return p.String()
	}
	return peer.String()
}

// hopAddr reads one hop of X-Forwarded-For: an address, possibly with a port.
func hopAddr(hop string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(hop); err == nil {
		return a, nil
	}
	ap, err := netip.ParseAddrPort(hop)
	return ap.Addr(), err
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

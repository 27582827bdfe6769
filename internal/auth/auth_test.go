package auth

import (
	"net/http"
	"net/netip"
	"testing"
)

func TestClientAddress(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	cases := []struct {
		name, remote, forwarded string
		trusted                 []netip.Prefix
		want                    string
	}{
		{"no proxy configured: the header is ignored", "198.51.100.7:5000", "203.0.113.1", nil, "198.51.100.7"},
		{"untrusted peer: the header is ignored", "198.51.100.7:5000", "203.0.113.1", proxies, "198.51.100.7"},
		{"trusted proxy: the last hop it saw", "10.1.2.3:5000", "203.0.113.1", proxies, "203.0.113.1"},
		{"a forged first hop is skipped", "10.1.2.3:5000", "1.2.3.4, 203.0.113.1", proxies, "203.0.113.1"},
		{"chained trusted proxies", "10.1.2.3:5000", "203.0.113.1, 10.9.9.9", proxies, "203.0.113.1"},
		{"a hop with a port", "10.1.2.3:5000", "203.0.113.1:4711", proxies, "203.0.113.1"},
		{"garbage stops at the last trusted hop", "10.1.2.3:5000", "junk", proxies, "10.1.2.3"},
		{"IPv6 grouped by /64", "[2001:db8:1:2:aaaa::1]:5000", "", nil, "2001:db8:1:2::/64"},
		{"IPv6 siblings share a client", "[2001:db8:1:2:bbbb::9]:5000", "", nil, "2001:db8:1:2::/64"},
		{"IPv4-mapped IPv6 is IPv4", "[::ffff:198.51.100.7]:5000", "", nil, "198.51.100.7"},
		{"IPv6 client behind a trusted proxy", "[fd00::1]:5000", "2001:db8:9:9::5", proxies, "2001:db8:9:9::/64"},
	}
	for _, c := range cases {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		if c.forwarded != "" {
			r.Header.Set("X-Forwarded-For", c.forwarded)
		}
		if got := ClientAddress(r, c.trusted); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

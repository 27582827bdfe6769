package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// healthz starts a server whose /healthz answers status, and returns its address.
func healthz(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

func TestHealthcheckExitStatus(t *testing.T) {
	up := healthz(t, http.StatusOK)
	failing := healthz(t, http.StatusServiceUnavailable)
	down := freeAddr(t) // nothing listens there
	_, port, _ := strings.Cut(up, ":")
	for _, c := range []struct {
		listen string
		want   int
		says   string
	}{
		{up, 0, ""},
		{"0.0.0.0:" + port, 0, ""}, // listening on every address: asked on 127.0.0.1
		{failing, 1, "503 Service Unavailable"},
		{down, 1, "connection refused"},
		{"8080", 1, "LISTEN_ADDR"},
	} {
		var out bytes.Buffer
		env := map[string]string{"LISTEN_ADDR": c.listen}
		if got := healthcheck(func(k string) string { return env[k] }, &out); got != c.want || !strings.Contains(out.String(), c.says) {
			t.Errorf("LISTEN_ADDR=%s: exit %d (%q), want %d saying %q", c.listen, got, out.String(), c.want, c.says)
		}
	}
}

func TestHealthzURL(t *testing.T) {
	for listen, want := range map[string]string{
		"":              "http://127.0.0.1:8080/healthz",
		"0.0.0.0:8080":  "http://127.0.0.1:8080/healthz",
		"[::]:9000":     "http://127.0.0.1:9000/healthz",
		":9000":         "http://127.0.0.1:9000/healthz",
		"10.1.2.3:9000": "http://10.1.2.3:9000/healthz",
		"[::1]:9000":    "http://[::1]:9000/healthz",
	} {
		if got, err := healthzURL(listen); err != nil || got != want {
			t.Errorf("healthzURL(%q) = %q, %v; want %q", listen, got, err, want)
		}
	}
	if _, err := healthzURL("127.0.0.1:0"); err == nil {
		t.Error("port 0 accepted")
	}
}

// TestHealthcheckCommand runs `server healthcheck` as the compose healthcheck does.
func TestHealthcheckCommand(t *testing.T) {
	bin := buildServer(t)
	for addr, want := range map[string]int{healthz(t, http.StatusOK): 0, healthz(t, http.StatusInternalServerError): 1, freeAddr(t): 1} {
		cmd := exec.Command(bin, "healthcheck")
		cmd.Env = append(os.Environ(), "LISTEN_ADDR="+addr)
		out, err := cmd.CombinedOutput()
		got := 0
		if exit, ok := err.(*exec.ExitError); ok {
			got = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("LISTEN_ADDR=%s: server healthcheck exited %d, want %d\n%s", addr, got, want, out)
		}
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheckTimeout bounds the whole check, well inside the compose healthcheck's timeout.
const healthcheckTimeout = 3 * time.Second

// healthcheck is `server healthcheck`, the container's healthcheck (the runtime image has no
// shell or curl): it asks GET /healthz of the server this process's LISTEN_ADDR describes and
// returns the exit status, 0 when it answers 200 and 1 otherwise, with the reason on out.
func healthcheck(getenv func(string) string, out io.Writer) int {
	url, err := healthzURL(getenv("LISTEN_ADDR"))
	if err != nil {
		fmt.Fprintln(out, "healthcheck: LISTEN_ADDR:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintln(out, "healthcheck:", err)
		return 1
	}
	client := &http.Client{
		// Only the server itself is asked: no proxy from the environment, no redirects.
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Fprintln(out, "healthcheck:", err)
		return 1
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(out, "healthcheck: GET %s answered %s\n", url, resp.Status)
		return 1
	}
	return 0
}

// healthzURL is the /healthz address of a server listening on listenAddr (the default of
// LISTEN_ADDR when empty): its port on 127.0.0.1 when it listens on every address, its own host
// otherwise.
func healthzURL(listenAddr string) (string, error) {
	if listenAddr == "" {
		listenAddr = "127.0.0.1:8080"
	}
	host, port, err := net.SplitHostPort(listenAddr)
	if err != nil || port == "" || port == "0" {
		return "", fmt.Errorf("want host:port with a fixed port, got %q", listenAddr)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

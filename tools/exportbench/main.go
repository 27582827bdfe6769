// Command exportbench measures the bulk exports on the graph the Neo4j of NEO4J_URI holds: for
// each round and export, a fresh API process, the first byte of a first (cold) request, then one
// full export read to the end: time to first byte, size, MB/s, projects/s and the server's RSS
// (idle, sampled during the export, peak).
//
//	go run ./tools/exportbench -server-bin bin/server -api-addr 127.0.0.1:8293 -rounds 2 \
//	    -exports graph.jsonld,iati.xml,graph.ndjson,csv/projects.csv
//
// Rounds interleave the exports (A B C, A B C) and, given several binaries, the binaries within
// each export (A1 A2 B1 B2 ...), so that a change of the machine's load shows in
// every export alike; compare the rounds, not one figure.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "exportbench:", err)
		os.Exit(1)
	}
}

type options struct {
	serverBins   []string
	apiAddr, log string
	exports      []string
	rounds       int
}

func run() error {
	var o options
	var exports, bins string
	flag.StringVar(&bins, "server-bin", "bin/server", "the API binary (go build -o bin/server ./server); comma-separated binaries are measured in turn, export by export")
	flag.StringVar(&o.apiAddr, "api-addr", "127.0.0.1:8293", "host:port the API listens on while measured")
	flag.StringVar(&exports, "exports", "graph.jsonld,iati.xml,graph.ndjson,csv/projects.csv", "comma-separated exports (paths under /export/)")
	flag.IntVar(&o.rounds, "rounds", 2, "interleaved rounds")
	flag.StringVar(&o.log, "log", ".local/exportbench/api.log", "log of the API processes")
	flag.Parse()
	o.exports, o.serverBins = strings.Split(exports, ","), strings.Split(bins, ",")
	if os.Getenv("NEO4J_URI") == "" {
		return errors.New("NEO4J_URI is not set: name the Neo4j holding the graph to export")
	}
	fmt.Println("| round | server | export | size MB | time s | MB/s | projects/s | first byte cold ms | first byte warm ms | first 64 KiB warm ms | RSS idle MB | RSS at 25/50/75/100% MB | peak RSS MB |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for round := 1; round <= o.rounds; round++ {
		for _, name := range o.exports {
			for _, bin := range o.serverBins {
				m, err := measure(o, bin, name)
				if err != nil {
					return fmt.Errorf("round %d, %s, %s: %w", round, bin, name, err)
				}
				mb := float64(m.bytes) / 1e6
				secs := m.took.Seconds()
				fmt.Printf("| %d | %s | `%s` | %.1f | %.1f | %.2f | %.0f | %d | %d | %d | %.1f | %s | %.1f |\n", round, bin, name, mb, secs, mb/secs,
					float64(m.projects)/secs, m.coldFirstByte.Milliseconds(), m.firstByte.Milliseconds(), m.first64K.Milliseconds(),
					m.idleRSS, quarters(m.samples), m.peakRSS)
			}
		}
	}
	return nil
}

// measurement is one full export on a fresh server.
type measurement struct {
	bytes, projects     int64
	took, coldFirstByte time.Duration
	firstByte, first64K time.Duration
	idleRSS, peakRSS    float64
	samples             []float64
}

func measure(o options, bin, name string) (measurement, error) {
	var m measurement
	srv, err := startAPI(o, bin)
	if err != nil {
		return m, err
	}
	defer srv.stop()
	base := "http://" + o.apiAddr + "/export/" + name
	if m.idleRSS, err = rss(srv.cmd.Process.Pid, "VmRSS"); err != nil {
		return m, err
	}
	// Cold: the first export this server answers (the driver's pool holds what readiness opened).
	cold, err := get(base, 1, nil)
	if err != nil {
		return m, err
	}
	m.coldFirstByte = cold.firstByte
	// Warm: the whole export, RSS sampled as it streams.
	stop := make(chan struct{})
	sampled := make(chan []float64)
	go func() {
		var s []float64
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				sampled <- s
				return
			case <-tick.C:
				if v, err := rss(srv.cmd.Process.Pid, "VmRSS"); err == nil {
					s = append(s, v)
				}
			}
		}
	}()
	full, err := get(base, -1, nil)
	close(stop)
	m.samples = <-sampled
	if err != nil {
		return m, err
	}
	m.bytes, m.took, m.firstByte, m.first64K, m.projects = full.bytes, full.took, full.firstByte, full.first64K, full.projects
	m.peakRSS, err = rss(srv.cmd.Process.Pid, "VmHWM")
	return m, err
}

// fetched is one GET: when its first body byte and first 64 KiB came, how long it took whole.
type fetched struct {
	bytes, projects           int64
	firstByte, first64K, took time.Duration
}

// get reads u: limit bytes of its body (-1: all), then closes it.
func get(u string, limit int64, header http.Header) (fetched, error) {
	var f fetched
	start := time.Now()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return f, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return f, fmt.Errorf("%s: %d %s", u, resp.StatusCode, b)
	}
	f.projects, _ = strconv.ParseInt(resp.Header.Get("X-Total-Count"), 10, 64)
	buf := make([]byte, 256<<10)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			if f.bytes == 0 {
				f.firstByte = time.Since(start)
			}
			f.bytes += int64(n)
			if f.first64K == 0 && f.bytes >= 64<<10 {
				f.first64K = time.Since(start)
			}
			if limit >= 0 && f.bytes >= limit {
				break
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return f, fmt.Errorf("%s after %d bytes: %w", u, f.bytes, err)
		}
	}
	f.took = time.Since(start)
	return f, nil
}

// rss reads a size field of /proc/{pid}/status (VmRSS now, VmHWM the peak) in MB.
func rss(pid int, field string) (float64, error) {
	file, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1000, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// quarters are the RSS samples at a quarter, half, three quarters and the end of the export.
func quarters(s []float64) string {
	if len(s) == 0 {
		return "-"
	}
	var parts []string
	for _, q := range []int{1, 2, 3, 4} {
		parts = append(parts, fmt.Sprintf("%.0f", s[min(len(s)-1, len(s)*q/4)]))
	}
	return strings.Join(parts, "/")
}

type server struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// startAPI starts the API on o.apiAddr over NEO4J_URI, with a rate limit that lets full
// exports run back to back, and waits until it is ready.
func startAPI(o options, bin string) (*server, error) {
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "LISTEN_ADDR="+o.apiAddr, "ANONYMOUS_ROLE=analyst", "LOG_LEVEL=warn", "LOG_FORMAT=text",
		"METRICS_ADDR=off", "MIGRATE_ON_START=false", "RATE_LIMIT_BURST=1000000000", "RATE_LIMIT_PER_SECOND=1000000000")
	if err := os.MkdirAll(filepath.Dir(o.log), 0o755); err != nil {
		return nil, err
	}
	log, err := os.OpenFile(o.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, err
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); log.Close(); close(s.done) }()
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		select {
		case <-s.done:
			return nil, fmt.Errorf("the API exited at start; see %s", o.log)
		default:
		}
		if resp, err := http.Get("http://" + o.apiAddr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
	}
	s.stop()
	return nil, fmt.Errorf("the API was not ready after 90 s; see %s", o.log)
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

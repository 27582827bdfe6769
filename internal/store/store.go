package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
)

//go:embed cypher/*
var cypherFiles embed.FS

// statement returns the embedded Cypher statement of that name; a missing one is a build defect.
// __NODE_REFS__ stands for the expression (cypher/node_refs.fragment) that lists the ids a node
// refers to (parent, secretariat, successor...), so every node query returns them alike.
func statement(name string) string {
	if text, ok := statements.Load(name); ok {
		return text.(string)
	}
	text := readStatement(name)
	statements.Store(name, text)
	return text
}

// statements are the embedded statements read so far, by name: requests reuse the text (and
// Neo4j its plan) instead of reading and filling the file again.
var statements sync.Map

func readStatement(name string) string {
	b, err := cypherFiles.ReadFile("cypher/" + name + ".cypher")
	if err != nil {
		panic(fmt.Sprintf("store: no Cypher statement %q", name))
	}
	// Comment lines are dropped, so placeholders named in them are never filled.
	var code []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "//") {
			code = append(code, line)
		}
	}
	return strings.ReplaceAll(strings.Join(code, "\n"), "__NODE_REFS__", nodeRefs)
}

// fragment returns an embedded piece of Cypher (cypher/NAME.fragment) that statements are
// completed with.
func fragment(name string) string {
	b, err := cypherFiles.ReadFile("cypher/" + name + ".fragment")
	if err != nil {
		panic(fmt.Sprintf("store: no Cypher fragment %q", name))
	}
	return strings.TrimSpace(string(b))
}

// nodeRefs is the fragment with the relationship types of single references from the catalogue.
var nodeRefs = func() string {
	out, in := nodeRefTypes()
	return strings.NewReplacer("__OUT_REFS__", out, "__IN_REFS__", in).Replace(fragment("node_refs"))
}()

// Store reads and writes the partnership graph in one Neo4j database.
type Store struct {
	driver   neo4j.DriverWithContext
	database string
	observe  func(ctx context.Context, statement string)
	// instrument sees every statement sent (metrics, spans, slow-query log); nil: none.
	instrument Instrument
	breaker    *breaker
	// sessions bounds the statements sent at once, below the driver's pool: past it a request
	// waits at most sessionWait and is then answered as an overload (ErrOverloaded), so a full
	// pool never reads as Neo4j being away.
	sessions    chan struct{}
	sessionWait time.Duration
	// anonymousSessions bounds the statements of callers without an API key, so that however
	// anonymous callers load the API, keyed callers find sessions and Neo4j time.
	anonymousSessions chan struct{}
	// maxAnalysisRows bounds the rows one analytics statement may read.
	maxAnalysisRows int
	// refs holds the names of the graph that references in filters resolve against.
	refs referenceCache
}

// breaker remembers that Neo4j was unreachable: while it is open, reads are answered
// SERVICE_UNAVAILABLE at once instead of each waiting for the driver. It opens on a
// connectivity failure and closes only when a background probe reaches Neo4j again.
type breaker struct {
	probe    func(ctx context.Context) error
	interval time.Duration

	mu      sync.Mutex
	isOpen  bool
	probing bool
	stop    chan struct{}
}

func (b *breaker) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.isOpen
}

// trip opens the breaker and starts the probe that will close it.
func (b *breaker) trip() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.isOpen = true
	if b.probing {
		return
	}
	b.probing = true
	go b.probeUntilReachable()
}

// suspect starts probing after a statement ran out of time: a hung Neo4j does not fail
// connections, it lets them wait. Only when two probes in a row cannot reach Neo4j within their
// own deadline does the breaker open (and a later probe closes it); a Neo4j that is merely slow
// or busy answers a probe, and nothing changes.
func (b *breaker) suspect() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.probing {
		return
	}
	b.probing = true
	go func() {
		for attempt := 0; attempt < 2; attempt++ {
			ctx, cancel := context.WithTimeout(context.Background(), suspectProbeDeadline)
			err := b.probe(ctx)
			cancel()
			if err == nil {
				b.mu.Lock()
				tripped := b.isOpen // trip() ran meanwhile: keep probing until Neo4j answers
				if !tripped {
					b.probing = false
				}
				b.mu.Unlock()
				if tripped {
					b.probeUntilReachable()
				}
				return
			}
		}
		b.mu.Lock()
		b.isOpen = true
		b.mu.Unlock()
		b.probeUntilReachable()
	}()
}

// suspectProbeDeadline is how long a probe after a timeout may take: Neo4j answers a probe in
// milliseconds unless it is away or hung.
const suspectProbeDeadline = 2 * time.Second

func (b *breaker) probeUntilReachable() {
	t := time.NewTicker(b.interval)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), max(b.interval, time.Second))
		err := b.probe(ctx)
		cancel()
		if err == nil {
			b.mu.Lock()
			b.isOpen, b.probing = false, false
			b.mu.Unlock()
			return
		}
	}
}

// ErrUnreachable is the cause of the answers of an open breaker.
var ErrUnreachable = errors.New("neo4j was unreachable and has not answered a probe since")

// Option configures a Store.
type Option func(*Store)

// WithStatementObserver calls observe before every read statement is sent, with the statement's
// name: tests count round trips with it, and it could feed metrics.
func WithStatementObserver(observe func(ctx context.Context, statement string)) Option {
	return func(s *Store) { s.observe = observe }
}

// WithMaxAnalysisRows bounds the rows one analytics statement may read (default
// DefaultMaxAnalysisRows); past it the analysis is refused with COMPLEXITY_LIMIT_EXCEEDED.
func WithMaxAnalysisRows(n int) Option {
	return func(s *Store) { s.maxAnalysisRows = n }
}

// DefaultMaxAnalysisRows is the row bound of an analytics statement when none is configured.
const DefaultMaxAnalysisRows = 250_000

// WithSessions bounds the statements sent at once (default MaxSessions) and how long a
// statement waits for a turn (default one second).
func WithSessions(n int, wait time.Duration) Option {
	return func(s *Store) { s.sessions, s.sessionWait = make(chan struct{}, n), wait }
}

// WithAnonymousSessions bounds the statements of anonymous callers sent at once (default
// MaxAnonymousSessions).
func WithAnonymousSessions(n int) Option {
	return func(s *Store) { s.anonymousSessions = make(chan struct{}, n) }
}

// MaxSessions is the default bound of statements sent at once: below the driver's pool of 50,
// with room for the loader and the probe.
const MaxSessions = 45

// MaxAnonymousSessions is the default bound of anonymous callers' statements at once: four per
// core of a small machine, enough to keep Neo4j busy, the other sessions kept for keys.
const MaxAnonymousSessions = 8

// New returns a store over an open driver. The driver stays owned by the caller; Close stops the
// store's background probe.
func New(driver neo4j.DriverWithContext, database string, opts ...Option) *Store {
	s := &Store{driver: driver, database: database, maxAnalysisRows: DefaultMaxAnalysisRows,
		sessions: make(chan struct{}, MaxSessions), sessionWait: time.Second,
		anonymousSessions: make(chan struct{}, MaxAnonymousSessions)}
	s.breaker = &breaker{probe: driver.VerifyConnectivity, interval: 500 * time.Millisecond, stop: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Close stops the breaker's probe, if one runs.
func (s *Store) Close() {
	s.breaker.mu.Lock()
	defer s.breaker.mu.Unlock()
	select {
	case <-s.breaker.stop:
	default:
		close(s.breaker.stop)
	}
}

// BreakerOpen tells whether reads are refused at once because Neo4j was found unreachable.
func (s *Store) BreakerOpen() bool { return s.breaker.open() }

// Ping checks that the database answers and accepts the server's credentials. Its error has code
// apperr.Misconfigured when Neo4j refuses the credentials, and SERVICE_UNAVAILABLE (or TIMEOUT)
// when it cannot be reached; ReadinessOf names the two apart.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		if isAuthFailure(err) {
			return apperr.Wrap(apperr.Misconfigured, fmt.Errorf("neo4j ping: %w", err),
				"the graph database refuses the server's credentials (NEO4J_USER, NEO4J_PASSWORD)")
		}
		return classify("ping", err)
	}
	return nil
}

// Readiness of the graph database, as ReadinessOf reports it.
const (
	Reachable            = "reachable"
	Unreachable          = "unreachable"
	AuthenticationFailed = "authentication failed"
)

// ReadinessOf describes the result of Ping for a readiness answer: Reachable for no error,
// AuthenticationFailed when Neo4j refused the credentials, Unreachable for anything else.
func ReadinessOf(err error) string {
	switch {
	case err == nil:
		return Reachable
	case apperr.CodeOf(err) == apperr.Misconfigured || isAuthFailure(err):
		return AuthenticationFailed
	default:
		return Unreachable
	}
}

// isAuthFailure reports whether Neo4j refused the driver's credentials: a wrong user or password,
// too many wrong attempts in a row, an expired password or token.
func isAuthFailure(err error) bool {
	var n4j *neo4j.Neo4jError
	if errors.As(err, &n4j) {
		switch n4j.Code {
		case "Neo.ClientError.Security.Unauthorized", "Neo.ClientError.Security.AuthenticationRateLimit",
			"Neo.ClientError.Security.CredentialsExpired", "Neo.ClientError.Security.TokenExpired":
			return true
		}
	}
	var invalid *neo4j.InvalidAuthenticationError
	var expired *neo4j.TokenExpiredError
	return errors.As(err, &invalid) || errors.As(err, &expired)
}

// read runs one embedded read statement and returns its records.
func (s *Store) read(ctx context.Context, name string, params map[string]any) ([]*neo4j.Record, error) {
	return s.readQuery(ctx, name, statement(name), params)
}

// readQuery runs read-only Cypher under a name used in logs and by the statement observer.
func (s *Store) readQuery(ctx context.Context, name, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return s.readRows(ctx, name, cypher, params, 0)
}

// readAnalysis runs read-only Cypher of the analytics, whose rows are bounded by
// maxAnalysisRows: past it the statement is stopped and the analysis refused.
func (s *Store) readAnalysis(ctx context.Context, name, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return s.readRows(ctx, name, cypher, params, s.maxAnalysisRows)
}

// errTooManyRows stops a statement that returns more rows than its bound.
var errTooManyRows = errors.New("too many rows")

// rowsUpTo collects records, refusing more than max (0: no bound).
type rowsUpTo struct {
	max     int
	records []*neo4j.Record
}

func (r *rowsUpTo) Accept(rec *neo4j.Record) error {
	if r.max > 0 && len(r.records) >= r.max {
		return errTooManyRows
	}
	r.records = append(r.records, rec)
	return nil
}

func (r *rowsUpTo) Complete([]string, neo4j.ResultSummary) ([]*neo4j.Record, error) {
	return r.records, nil
}

// readRows runs read-only Cypher and returns at most maxRows records (0: all of them).
func (s *Store) readRows(ctx context.Context, name, cypher string, params map[string]any, maxRows int) ([]*neo4j.Record, error) {
	if s.breaker.open() {
		return nil, apperr.Wrap(apperr.ServiceUnavailable, ErrUnreachable, "the graph database is not reachable; try again shortly")
	}
	release, err := s.turn(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if s.observe != nil && name != "" {
		s.observe(ctx, name)
	}
	opts := append([]neo4j.ExecuteQueryConfigurationOption{
		neo4j.ExecuteQueryWithDatabase(s.database),
		neo4j.ExecuteQueryWithReadersRouting(),
	}, readBookmarks(ctx)...)
	if deadline, ok := ctx.Deadline(); ok {
		// Neo4j itself stops the query at the request's deadline, so a slow query does not run on
		// after its client has been answered TIMEOUT.
		if left := time.Until(deadline); left > time.Millisecond {
			opts = append(opts, neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(left)))
		}
	}
	records, err := s.runStatement(ctx, name, cypher, params, maxRows, opts...)
	if errors.Is(err, errTooManyRows) {
		return nil, &apperr.Error{Code: apperr.ComplexityLimit, Err: fmt.Errorf("%s: %w", name, err),
			Message: fmt.Sprintf("this analysis would read more than %d facts from the graph; narrow it (give a country, a process, a donor or a period)", maxRows)}
	}
	if err != nil {
		if ctx.Err() != nil {
			// The request's own deadline ran out (or it was cancelled), whatever the driver
			// reports for it (a connection or retry error may hide the context's error).
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				s.breaker.suspect()
			}
			return nil, classify(name, fmt.Errorf("%w (driver: %v)", ctx.Err(), err))
		}
		err = classify(name, err)
		if apperr.CodeOf(err) == apperr.ServiceUnavailable {
			s.breaker.trip()
		}
		return nil, err
	}
	return records, nil
}

type requestSlotsKey struct{}

type requestSlots struct {
	slots     chan struct{}
	anonymous bool
}

// WithRequestSlots bounds the statements one request sends at once (its root fields resolve
// concurrently): past n, its statements wait for each other, so one request with many fields
// never takes every session of the store. Statements of an anonymous request also take one of
// the store's anonymous sessions.
func WithRequestSlots(ctx context.Context, n int, anonymous bool) context.Context {
	return context.WithValue(ctx, requestSlotsKey{}, &requestSlots{slots: make(chan struct{}, n), anonymous: anonymous})
}

// turn waits for a slot of the request (when it has any), an anonymous session (for anonymous
// requests) and one of the store's sessions; past sessionWait for a session (or the request's
// deadline) the request is answered as an overload, which never trips the breaker.
func (s *Store) turn(ctx context.Context) (release func(), err error) {
	r, ok := ctx.Value(requestSlotsKey{}).(*requestSlots)
	if !ok {
		return s.session(ctx, s.sessions)
	}
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, classify("waiting for a slot of the request", ctx.Err())
	}
	releases := []func(){func() { <-r.slots }}
	undo := func() {
		for i := len(releases) - 1; i >= 0; i-- {
			releases[i]()
		}
	}
	if r.anonymous && s.anonymousSessions != nil {
		rel, err := s.session(ctx, s.anonymousSessions)
		if err != nil {
			undo()
			return nil, err
		}
		releases = append(releases, rel)
	}
	rel, err := s.session(ctx, s.sessions)
	if err != nil {
		undo()
		return nil, err
	}
	releases = append(releases, rel)
	return undo, nil
}

func (s *Store) session(ctx context.Context, pool chan struct{}) (release func(), err error) {
	select {
	case pool <- struct{}{}:
		return func() { <-pool }, nil
	default:
	}
	t := time.NewTimer(s.sessionWait)
	defer t.Stop()
	select {
	case pool <- struct{}{}:
		return func() { <-pool }, nil
	case <-t.C:
		return nil, apperr.Wrap(apperr.ServiceUnavailable, ErrOverloaded, "the API is answering as many requests as it can; retry in a second")
	case <-ctx.Done():
		return nil, classify("waiting for a session", ctx.Err())
	}
}

// classify wraps a driver error once, with the statement's name for the logs and a code for clients.
func classify(name string, err error) error {
	err = fmt.Errorf("neo4j %s: %w", name, err)
	var limit *neo4j.TransactionExecutionLimit
	var conn *neo4j.ConnectivityError
	var n4j *neo4j.Neo4jError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return apperr.Wrap(apperr.Timeout, err, "the request took longer than its deadline")
	case errors.Is(err, context.Canceled):
		return apperr.Wrap(apperr.Timeout, err, "the request was cancelled")
	case errors.As(err, &n4j) && strings.Contains(n4j.Code, "TransactionTimedOut"):
		return apperr.Wrap(apperr.Timeout, err, "the request took longer than its deadline")
	case errors.As(err, &n4j) && strings.Contains(n4j.Code, "InvalidBookmark"):
		// A bookmark the client sent (X-Bookmark) that this graph never issued.
		return apperr.Wrap(apperr.BadUserInput, err, "X-Bookmark names no transaction of this graph: send back the value of an X-Bookmark response header unchanged")
	case isAuthFailure(err):
		// The server's credentials are wrong: not the client's fault, and not cured by retrying
		// at once (the breaker keeps requests from adding to Neo4j's count of failed logins).
		return apperr.Wrap(apperr.ServiceUnavailable, err, "the graph database is not available; try again later")
	case errors.As(err, &conn), errors.As(err, &limit), neo4j.IsRetryable(errors.Unwrap(err)):
		return apperr.Wrap(apperr.ServiceUnavailable, err, "the graph database is not reachable; try again shortly")
	default:
		return apperr.Wrap(apperr.Internal, err, "internal error")
	}
}

// ErrOverloaded is the cause of a SERVICE_UNAVAILABLE that says the API, not Neo4j, is at
// capacity (no connection of the pool came free in time): it does not open the breaker.
var ErrOverloaded = errors.New("no Neo4j connection came free in time")

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

var nodeRefs = func() string {
	b, err := cypherFiles.ReadFile("cypher/node_refs.fragment")
	if err != nil {
		panic("store: no node_refs fragment")
	}
	return strings.TrimSpace(string(b))
}()

// Store reads and writes the partnership graph in one Neo4j database.
type Store struct {
	driver   neo4j.DriverWithContext
	database string
	observe  func(ctx context.Context, statement string)
	breaker  breaker
}

// breaker remembers that Neo4j was unreachable a moment ago: reads in the next `cooldown` are
// answered SERVICE_UNAVAILABLE at once instead of each waiting for the driver's retries. The
// first read after the cooldown tries again.
type breaker struct {
	mu        sync.Mutex
	openUntil time.Time
	cooldown  time.Duration
}

func (b *breaker) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return time.Now().Before(b.openUntil)
}

func (b *breaker) record(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if apperr.CodeOf(err) == apperr.ServiceUnavailable {
		b.openUntil = time.Now().Add(b.cooldown)
	} else if err == nil {
		b.openUntil = time.Time{}
	}
}

// errUnreachable is the answer of an open breaker.
var errUnreachable = errors.New("neo4j was unreachable moments ago")

// Option configures a Store.
type Option func(*Store)

// WithStatementObserver calls observe before every read statement is sent, with the statement's
// name: tests count round trips with it, and it could feed metrics.
func WithStatementObserver(observe func(ctx context.Context, statement string)) Option {
	return func(s *Store) { s.observe = observe }
}

// New returns a store over an open driver. The driver stays owned by the caller.
func New(driver neo4j.DriverWithContext, database string, opts ...Option) *Store {
	s := &Store{driver: driver, database: database, breaker: breaker{cooldown: time.Second}}
	for _, o := range opts {
		o(s)
	}
	return s
}

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
	if s.breaker.open() {
		return nil, apperr.Wrap(apperr.ServiceUnavailable, errUnreachable, "the graph database is not reachable; try again shortly")
	}
	if s.observe != nil {
		s.observe(ctx, name)
	}
	opts := []neo4j.ExecuteQueryConfigurationOption{
		neo4j.ExecuteQueryWithDatabase(s.database),
		neo4j.ExecuteQueryWithReadersRouting(),
	}
	if deadline, ok := ctx.Deadline(); ok {
		// Neo4j itself stops the query at the request's deadline, so a slow query does not run on
		// after its client has been answered TIMEOUT.
		if left := time.Until(deadline); left > time.Millisecond {
			opts = append(opts, neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(left)))
		}
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer, opts...)
	if err != nil {
		if ctx.Err() != nil {
			// The request's own deadline ran out (or it was cancelled), whatever the driver
			// reports for it (a connection or retry error may hide the context's error).
			return nil, classify(name, fmt.Errorf("%w (driver: %v)", ctx.Err(), err))
		}
		err = classify(name, err)
		s.breaker.record(err)
		return nil, err
	}
	s.breaker.record(nil)
	return res.Records, nil
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

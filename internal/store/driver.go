package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// DriverOptions are the connection settings of the one driver a process opens.
type DriverOptions struct {
	URI      string
	User     string
	Password string
	// RequestTimeout is the deadline of one API request; the driver's own waits stay below it.
	RequestTimeout time.Duration
}

// NewDriver opens the process's Neo4j driver. It does not connect yet: the API starts, and
// reports not ready, while Neo4j is away.
func NewDriver(o DriverOptions) (neo4j.DriverWithContext, error) {
	// Waits for a connection stay well below the request's deadline, and retries of a failed
	// transaction shorter still: with Neo4j away, a request answers SERVICE_UNAVAILABLE in about
	// a second (and the store's breaker answers the next ones at once), not at its deadline.
	wait := o.RequestTimeout / 2
	if wait <= 0 || wait > 5*time.Second {
		wait = 5 * time.Second
	}
	retry := min(wait, time.Second)
	// Connecting is quick on a live network: a Neo4j that does not accept within a second is
	// away (or hung), and the breaker takes over from there.
	connect := min(wait, time.Second)
	d, err := neo4j.NewDriverWithContext(o.URI, neo4j.BasicAuth(o.User, o.Password, ""), func(c *config.Config) {
		c.MaxConnectionPoolSize = 50
		c.ConnectionAcquisitionTimeout = wait
		c.SocketConnectTimeout = connect
		c.MaxTransactionRetryTime = retry
		// Connections idle for a while (as all are while Neo4j is away) are checked before
		// reuse, so a restarted Neo4j is used again at once instead of failing on stale sockets.
		c.ConnectionLivenessCheckTimeout = 2 * time.Second
		c.UserAgent = "partnership-graph"
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j driver for %s: %w", o.URI, err)
	}
	return d, nil
}

// Instrument sees every statement the store sends to Neo4j, in one place (runStatement):
// telemetry turns what it sees into metrics, spans and the slow-query log.
type Instrument interface {
	// StartStatement is called before a statement is sent, with its name (the file in cypher/);
	// the context it returns is the statement's (a span's), and done is called once it ran.
	StartStatement(ctx context.Context, name, cypher string, params map[string]any) (_ context.Context, done func(StatementRun))
}

// StatementRun is what is known of a statement once it ran.
type StatementRun struct {
	Rows int
	// DatabaseTime is the time Neo4j reports in the result summary (until the first row, then
	// until the last was consumed); 0 when it sent none.
	DatabaseTime time.Duration
	Err          error
}

// WithInstrument has every statement of the store reported to in (nil: none).
func WithInstrument(in Instrument) Option {
	return func(s *Store) { s.instrument = in }
}

// summarised collects the records of a statement, at most max (0: no bound), and keeps the
// database time of its summary.
type summarised struct {
	rowsUpTo
	databaseTime time.Duration
}

func (r *summarised) Complete(keys []string, sum neo4j.ResultSummary) ([]*neo4j.Record, error) {
	if sum != nil {
		r.databaseTime = max(0, sum.ResultAvailableAfter()) + max(0, sum.ResultConsumedAfter())
	}
	return r.rowsUpTo.Complete(keys, sum)
}

// runStatement sends one read statement and collects its records: the one place every read of
// the store goes through, and so where the Instrument sees it.
func (s *Store) runStatement(ctx context.Context, name, cypher string, params map[string]any, maxRows int,
	opts ...neo4j.ExecuteQueryConfigurationOption) ([]*neo4j.Record, error) {
	var collected *summarised
	collect := func() neo4j.ResultTransformer[[]*neo4j.Record] {
		collected = &summarised{rowsUpTo: rowsUpTo{max: maxRows}}
		return collected
	}
	if s.instrument == nil {
		return neo4j.ExecuteQuery(ctx, s.driver, cypher, params, collect, opts...)
	}
	if name == "" {
		name = "graph_stats"
	}
	ctx, done := s.instrument.StartStatement(ctx, name, cypher, params)
	records, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, collect, opts...)
	run := StatementRun{Rows: len(records), Err: err}
	if collected != nil {
		run.DatabaseTime = collected.databaseTime
		if err != nil {
			run.Rows = len(collected.records)
		}
	}
	done(run)
	return records, err
}

// Explain returns the plan Neo4j would run a read statement with, one operator a line, without
// running it (EXPLAIN). The slow-query log shows it in debug mode; params are the statement's
// own (Neo4j plans with them), never logged.
func (s *Store) Explain(ctx context.Context, cypher string, params map[string]any) (string, error) {
	res, err := neo4j.ExecuteQuery(ctx, s.driver, "EXPLAIN "+cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return "", classify("explain", err)
	}
	if res.Summary == nil || res.Summary.Plan() == nil {
		return "", fmt.Errorf("explain: Neo4j returned no plan")
	}
	var b strings.Builder
	writePlan(&b, res.Summary.Plan(), 0)
	return b.String(), nil
}

func writePlan(b *strings.Builder, p neo4j.Plan, depth int) {
	fmt.Fprintf(b, "%s+%s", strings.Repeat("  ", depth), p.Operator())
	args := p.Arguments()
	if d, ok := args["Details"].(string); ok && d != "" {
		fmt.Fprintf(b, " %s", d)
	}
	if rows, ok := args["EstimatedRows"].(float64); ok {
		fmt.Fprintf(b, " (estimated rows %.0f)", rows)
	}
	b.WriteByte('\n')
	for _, c := range p.Children() {
		writePlan(b, c, depth+1)
	}
}

// Sessions are the statements in flight against the store's bounds: all callers' (of
// MaxSessions by default) and anonymous callers' (of MaxAnonymousSessions by default).
type Sessions struct {
	InUse, Max, AnonymousInUse, AnonymousMax int
}

// SessionsInUse reports the statements the store has in flight, for the pool gauges.
func (s *Store) SessionsInUse() Sessions {
	out := Sessions{InUse: len(s.sessions), Max: cap(s.sessions)}
	if s.anonymousSessions != nil {
		out.AnonymousInUse, out.AnonymousMax = len(s.anonymousSessions), cap(s.anonymousSessions)
	}
	return out
}

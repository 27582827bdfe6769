package store

import (
	"fmt"
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

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
	wait := o.RequestTimeout / 2
	if wait <= 0 || wait > 5*time.Second {
		wait = 5 * time.Second
	}
	d, err := neo4j.NewDriverWithContext(o.URI, neo4j.BasicAuth(o.User, o.Password, ""), func(c *config.Config) {
		c.MaxConnectionPoolSize = 50
		c.ConnectionAcquisitionTimeout = wait
		c.SocketConnectTimeout = wait
		c.MaxTransactionRetryTime = wait
		c.UserAgent = "partnership-graph"
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j driver for %s: %w", o.URI, err)
	}
	return d, nil
}

package store_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestReadinessTellsAWrongPasswordFromAnUnreachableNeo4j pings the real test Neo4j with the right
// password, with a wrong one, and an address where nothing listens.
func TestReadinessTellsAWrongPasswordFromAnUnreachableNeo4j(t *testing.T) {
	uri, _ := testenv.Settings()
	ctx := context.Background()
	// A user of this test's own, so that its failed logins (Neo4j locks a user for a few seconds
	// after three) never lock out the user the other tests connect as.
	sys := neo4j.ExecuteQueryWithDatabase("system")
	const create = "CREATE OR REPLACE USER readiness_probe SET PASSWORD 'probe-password' CHANGE NOT REQUIRED"
	if _, err := neo4j.ExecuteQuery(ctx, testenv.Driver(t), create, nil, neo4j.EagerResultTransformer, sys); err != nil {
		t.Fatalf("%s: %v", create, err)
	}
	t.Cleanup(func() {
		_, _ = neo4j.ExecuteQuery(ctx, testenv.Driver(t), "DROP USER readiness_probe IF EXISTS", nil, neo4j.EagerResultTransformer, sys)
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	nothing := "bolt://" + ln.Addr().String()
	ln.Close()

	for _, c := range []struct {
		name, uri, password string
		want                string
		code                apperr.Code
	}{
		{"right password", uri, "probe-password", store.Reachable, ""},
		{"wrong password", uri, "not-the-password", store.AuthenticationFailed, apperr.Misconfigured},
		{"nothing listening", nothing, "probe-password", store.Unreachable, apperr.ServiceUnavailable},
	} {
		driver, err := store.NewDriver(store.DriverOptions{URI: c.uri, User: "readiness_probe", Password: c.password, RequestTimeout: 4 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		st := store.New(driver, "neo4j")
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = st.Ping(pingCtx)
		cancel()
		if got := store.ReadinessOf(err); got != c.want {
			t.Errorf("%s: ReadinessOf(Ping) = %q (%v), want %q", c.name, got, err, c.want)
		}
		if err != nil && apperr.CodeOf(err) != c.code {
			t.Errorf("%s: Ping's code = %s, want %s", c.name, apperr.CodeOf(err), c.code)
		}
		if c.code == apperr.Misconfigured {
			// A query meeting the same refusal is not the client's fault: SERVICE_UNAVAILABLE.
			if _, err := st.CountryByCode(ctx, "SN"); apperr.CodeOf(err) != apperr.ServiceUnavailable {
				t.Errorf("%s: a read gave %v (code %s), want SERVICE_UNAVAILABLE", c.name, err, apperr.CodeOf(err))
			}
		}
		_ = driver.Close(ctx)
	}
}

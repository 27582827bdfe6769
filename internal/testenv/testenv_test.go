package testenv

import "testing"

func TestPortDerivesFromTheTestBoltPort(t *testing.T) {
	t.Setenv("TEST_NEO4J_BOLT_PORT", "") // `TEST_NEO4J_BOLT_PORT=... make test` exports it
	t.Setenv("NEO4J_BOLT_PORT", "7788")
	if got := Port(3); got != "7791" {
		t.Errorf("Port(3) over 7788 = %s, want 7791", got)
	}
	t.Setenv("NEO4J_BOLT_PORT", "")
	if got := Port(1); got != "7689" {
		t.Errorf("Port(1) over the default = %s, want 7689", got)
	}
	t.Setenv("TEST_NEO4J_BOLT_PORT", "7888")
	if got := Port(2); got != "7890" {
		t.Errorf("Port(2) with only TEST_NEO4J_BOLT_PORT=7888 = %s, want 7890", got)
	}
	t.Setenv("TEST_NEO4J_BOLT_PORT", "")
	t.Setenv("NEO4J_BOLT_PORT", "65535")
	defer func() {
		if recover() == nil {
			t.Error("Port(1) over 65535 did not panic")
		}
	}()
	Port(1)
}

func TestTwoDifferentTestPortsAreRefused(t *testing.T) {
	t.Setenv("NEO4J_BOLT_PORT", "7788")
	t.Setenv("TEST_NEO4J_BOLT_PORT", "7888")
	defer func() {
		if recover() == nil {
			t.Error("Settings with NEO4J_BOLT_PORT=7788 and TEST_NEO4J_BOLT_PORT=7888 did not panic")
		}
	}()
	Settings()
}

func TestTheSamePortTwiceIsAccepted(t *testing.T) {
	t.Setenv("NEO4J_BOLT_PORT", "7788")
	t.Setenv("TEST_NEO4J_BOLT_PORT", "7788")
	if uri, _ := Settings(); uri != "bolt://127.0.0.1:7788" {
		t.Errorf("Settings() = %s, want bolt://127.0.0.1:7788", uri)
	}
}

func TestTheSchemeFollowsNEO4JURIOnTheTestPort(t *testing.T) {
	t.Setenv("NEO4J_BOLT_PORT", "7788")
	t.Setenv("TEST_NEO4J_BOLT_PORT", "")
	for uri, want := range map[string]string{
		"":                            "bolt://127.0.0.1:7788",
		"bolt://127.0.0.1:7788":       "bolt://127.0.0.1:7788",
		"neo4j://127.0.0.1:7788":      "neo4j://127.0.0.1:7788",
		"neo4j://db.example.org:7687": "bolt://127.0.0.1:7788", // not the test Neo4j: ignored
	} {
		t.Setenv("NEO4J_URI", uri)
		if got, _ := Settings(); got != want {
			t.Errorf("NEO4J_URI=%q: Settings() = %s, want %s", uri, got, want)
		}
	}
}

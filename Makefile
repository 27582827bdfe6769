# Partnership Graph: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Local Neo4j for `make run` (tools/neo4j, no Docker needed) on NEO4J_BOLT_PORT; the loader and the
# server use the same port through NEO4J_URI. Give NEO4J_URI to use another Neo4j (none is started).
NEO4J_BOLT_PORT ?= 7687
ifeq ($(strip $(NEO4J_URI)),)
LOCAL_NEO4J := 1
NEO4J_URI := bolt://127.0.0.1:$(NEO4J_BOLT_PORT)
else
LOCAL_NEO4J :=
endif
export NEO4J_BOLT_PORT NEO4J_URI
NEO4J_PASSWORD ?= partnership-graph-local
export NEO4J_PASSWORD
LISTEN_ADDR ?= 127.0.0.1:8080
export LISTEN_ADDR

# The test suite has its own Neo4j (own port and folder), so tests never touch the data of `make run`.
# Every port a test uses derives from TEST_NEO4J_BOLT_PORT: the tests read it as NEO4J_BOLT_PORT and
# take the next few ports for Neo4j servers of their own (testenv.Port), so two suites run side by
# side on bases at least 10 apart. The test targets stop the test Neo4j when they end (keeping their
# exit status) unless KEEP_TEST_NEO4J=1.
TEST_NEO4J_BOLT_PORT ?= 7688
TEST_NEO4J_HOME ?= $(CURDIR)/.local/neo4j-test
# TEST_NEO4J_SCHEME=neo4j runs the suite over the routing protocol (as against a cluster: the one
# server answers it), bolt (the default) over a direct connection; CI runs both.
TEST_NEO4J_SCHEME ?= bolt
TEST_ENV = NEO4J_BOLT_PORT=$(TEST_NEO4J_BOLT_PORT) NEO4J_LOCAL_HOME=$(TEST_NEO4J_HOME) \
           NEO4J_URI=$(TEST_NEO4J_SCHEME)://127.0.0.1:$(TEST_NEO4J_BOLT_PORT)
KEEP_TEST_NEO4J ?=
GO_TEST_FLAGS ?= -count=1 -timeout 20m
TEST_PACKAGES ?= ./...

# with_test_neo4j runs one shell command against the test Neo4j: starts it, runs the command (shown
# first), then stops it unless KEEP_TEST_NEO4J=1, and exits with the command's status.
define with_test_neo4j
	@$(TEST_ENV) tools/neo4j/neo4j.sh start
	@echo '$(subst ','\'',$(1))'
	@status=0; $(TEST_ENV) $(1) || status=$$?; \
	if [ "$(KEEP_TEST_NEO4J)" != 1 ]; then $(TEST_ENV) tools/neo4j/neo4j.sh stop || true; \
	else echo "test Neo4j left running on port $(TEST_NEO4J_BOLT_PORT) (KEEP_TEST_NEO4J=1)"; fi; \
	exit $$status
endef

.PHONY: help run test bench bench-telemetry bench-compare bench-export fuzz neo4j-start neo4j-stop neo4j-status test-neo4j-stop seed build generate \
        check-generated graphiql check-graphiql explorer check-explorer check-compose e2e-deps clean

help:
	@echo "make run           run the API on http://$(LISTEN_ADDR) over a seeded Neo4j (starts the local one unless NEO4J_URI is set)"
	@echo "make test          run the whole test suite (its own Neo4j on port $(TEST_NEO4J_BOLT_PORT), stopped at the end unless KEEP_TEST_NEO4J=1)"
	@echo "make fuzz          fuzz every string argument for FUZZTIME (default 30s) against the test Neo4j"
	@echo "make bench         benchmarks on a synthetic graph of 100,000 projects (generated into the test Neo4j)"
	@echo "make bench-telemetry  overhead of metrics and tracing on the country page (interleaved rounds off/on)"
	@echo "make bench-export  bulk exports on the synthetic graph of 100,000 projects: MB/s, projects/s, first byte, RSS of the server"
	@echo "make bench-compare this API side by side with the Neo4j GraphQL Library and hand-written Cypher (report in .local/bench-compare/)"
	@echo "make neo4j-start   start the local Neo4j (bolt://127.0.0.1:$(NEO4J_BOLT_PORT)); make neo4j-stop stops it"
	@echo "make seed          apply migrations, load seed/data and import the EUTF export of seed/eutf into Neo4j"
	@echo "make generate      regenerate gqlgen code; make check-generated fails on drift"
	@echo "make graphiql      re-vendor GraphiQL from the npm registry into internal/playground/assets"
	@echo "make explorer      re-vendor Cytoscape.js (the network explorer at /explore) into internal/explorer/assets"

run: build
ifdef LOCAL_NEO4J
	@tools/neo4j/neo4j.sh start
endif
	@echo "NEO4J_URI=$(NEO4J_URI)"
	go run ./seed load -eutf seed/eutf
	LOG_FORMAT=$${LOG_FORMAT:-text} ANONYMOUS_ROLE=$${ANONYMOUS_ROLE:-analyst} ./bin/server

test: e2e-deps
	$(call with_test_neo4j,go test $(GO_TEST_FLAGS) $(TEST_PACKAGES))

# Fuzzing every string argument against the fixture graph for a bounded time (CI runs it).
FUZZTIME ?= 30s
fuzz:
	$(call with_test_neo4j,go test -count=1 -run '^$$' -fuzz '^FuzzStringArguments$$' -fuzztime $(FUZZTIME) -parallel 1 ./internal/httpapi/)

# Benchmarks at scale: generates the synthetic graph (100,000 projects) into the test Neo4j once,
# then reports p50 latency and Cypher statements per request.
bench:
	$(call with_test_neo4j,go test -count=1 -run '^$$' -bench . -benchtime 30x -timeout 30m ./internal/httpapi/)

# Overhead of metrics and tracing on the country page: interleaved rounds with telemetry off and
# on, over the synthetic graph (100,000 projects; BENCH_PROJECTS=N in the environment for another
# size), in internal/httpapi/overhead_bench_test.go.
bench-telemetry:
	$(call with_test_neo4j,go test -count=1 -run '^$$' -bench TelemetryOverhead -benchtime 1x -timeout 30m ./internal/httpapi/)

# Side-by-side benchmark: this API, the Neo4j GraphQL Library (web/bench-compare, npm ci from its
# lock file) and hand-written Cypher, over the test Neo4j holding the synthetic graph of
# BENCH_PROJECTS projects (generated once). Writes .local/bench-compare/report.md.
# BENCH_COMPARE_FLAGS: -quick, -duration 10s, -rounds 3, -conns 1,8, -shapes REGEXP...
BENCH_PROJECTS ?= 100000
BENCH_COMPARE_API_ADDR ?= 127.0.0.1:8188
BENCH_COMPARE_LIBRARY_PORT ?= 4188
BENCH_COMPARE_FLAGS ?=
bench-compare:
	@if [ ! -d web/bench-compare/node_modules/@neo4j/graphql ]; then \
	  cd web/bench-compare && npm ci --no-audit --no-fund; fi
	@mkdir -p .local/bench-compare
	go build -o .local/bench-compare/server ./server
	$(call with_test_neo4j,go run ./tools/benchcompare -projects $(BENCH_PROJECTS) -server-bin .local/bench-compare/server -api-addr $(BENCH_COMPARE_API_ADDR) -library-port $(BENCH_COMPARE_LIBRARY_PORT) $(BENCH_COMPARE_FLAGS))

# Bulk exports at scale: generates the synthetic graph of BENCH_PROJECTS projects into the test
# Neo4j (seed generate), then measures each export on a fresh server (tools/exportbench: size,
# MB/s, projects/s, first byte cold and warm, RSS idle, during and peak), in interleaved rounds.
BENCH_EXPORT_API_ADDR ?= 127.0.0.1:8189
BENCH_EXPORT_FLAGS ?= -rounds 2
bench-export:
	@mkdir -p .local/exportbench
	go build -o .local/exportbench/server ./server
	go build -o .local/exportbench/seed ./seed
	$(call with_test_neo4j,.local/exportbench/seed generate -projects $(BENCH_PROJECTS) -timeout 60m && go run ./tools/exportbench -server-bin .local/exportbench/server -api-addr $(BENCH_EXPORT_API_ADDR) $(BENCH_EXPORT_FLAGS))

neo4j-start:
	@tools/neo4j/neo4j.sh start

neo4j-stop:
	@tools/neo4j/neo4j.sh stop

neo4j-status:
	@tools/neo4j/neo4j.sh status

# test-neo4j-stop stops the test Neo4j (for example one kept with KEEP_TEST_NEO4J=1).
test-neo4j-stop:
	@$(TEST_ENV) tools/neo4j/neo4j.sh stop

seed:
	go run ./seed load -eutf seed/eutf

build:
	@mkdir -p bin
	go build -o bin/server ./server

generate:
	go generate ./...

# check-generated regenerates everything and fails when the result differs from what is committed.
check-generated:
	go generate ./...
	@if [ -n "$$(git status --porcelain -- graph go.mod go.sum)" ]; then \
	  echo "generated code is out of date; run 'make generate' and commit:"; \
	  git status --porcelain -- graph go.mod go.sum; git --no-pager diff --stat -- graph; exit 1; \
	fi

# graphiql re-vendors GraphiQL and React from the npm registry, exactly as package-lock.json pins them.
graphiql:
	cd web/graphiql && npm ci --no-audit --no-fund && node vendor.mjs

# check-graphiql fails when the vendored assets differ from a fresh vendoring.
check-graphiql: graphiql
	@if [ -n "$$(git status --porcelain -- internal/playground/assets)" ]; then \
	  echo "vendored GraphiQL differs from web/graphiql/package-lock.json; run 'make graphiql' and commit"; exit 1; \
	fi

# explorer re-vendors Cytoscape.js for the network explorer, exactly as web/explorer/package-lock.json pins it.
explorer:
	cd web/explorer && npm ci --no-audit --no-fund && node vendor.mjs

# check-explorer fails when the vendored Cytoscape.js differs from a fresh vendoring.
check-explorer: explorer
	@if [ -n "$$(git status --porcelain -- internal/explorer/assets)" ]; then \
	  echo "vendored Cytoscape.js differs from web/explorer/package-lock.json; run 'make explorer' and commit"; exit 1; \
	fi

# check-compose validates docker-compose.yml with `docker compose config` (builds the compose
# plugin from the Go module proxy when the machine lacks it; no Docker engine is needed).
check-compose:
	tools/compose/check.sh

# e2e-deps installs the browser-test driver (playwright-core; the browser is Debian's chromium)
# and the GraphQL-over-HTTP audit (graphql-http), each exactly as its package-lock.json pins it.
e2e-deps:
	@if [ ! -d web/e2e/node_modules/playwright-core ]; then \
	  cd web/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; fi
	@if [ ! -d web/http-audit/node_modules/graphql-http ]; then \
	  cd web/http-audit && npm ci --no-audit --no-fund; fi

clean:
	rm -rf bin

#!/usr/bin/env bash
# Validates a compose file (default docker-compose.yml) without a Docker engine:
#   1. `docker compose config`: the file's syntax, interpolation and references;
#   2. `go run ./tools/compose`: the settings the neo4j image derives from the neo4j service's
#      NEO4J_* variables, validated by the Neo4j 5.26 of tools/neo4j/pom.xml (strict validation,
#      as the server does at start), plus NEO4J_AUTH and the variables its healthcheck reads.
# These machines have the docker client but no compose plugin, so when `docker compose` is missing
# this builds the Compose v2 plugin from the Go module proxy (pinned below) into
# ~/.docker/cli-plugins first.
# Usage: tools/compose/check.sh [compose-file]
set -euo pipefail
cd "$(dirname "$0")/../.."

COMPOSE_VERSION=v2.40.3
file="${1:-docker-compose.yml}"

if ! docker compose version >/dev/null 2>&1; then
  echo "compose: building the docker compose plugin $COMPOSE_VERSION from source (no engine is needed to check a file)"
  dir="$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')"
  [ -n "$dir" ] || { echo "compose: could not download github.com/docker/compose/v2@$COMPOSE_VERSION" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # Build inside a module that has compose's own requirements and exclusions (go install refuses
  # modules with exclude directives).
  cp "$dir/go.mod" "$dir/go.sum" "$work/"
  chmod u+w "$work/go.mod" "$work/go.sum"
  sed -i 's|^module .*|module composebuild|' "$work/go.mod"
  echo "require github.com/docker/compose/v2 $COMPOSE_VERSION" >> "$work/go.mod"
  mkdir -p "$HOME/.docker/cli-plugins"
  (cd "$work" && go build -mod=mod -o "$HOME/.docker/cli-plugins/docker-compose" github.com/docker/compose/v2/cmd)
fi

# A password for interpolation only; at least 8 characters, as Neo4j 5 requires.
export NEO4J_PASSWORD="${NEO4J_PASSWORD:-compose-check}"
docker compose version
docker compose -f "$file" config -q
echo "compose: $file is valid (docker compose config)"
docker compose -f "$file" --profile scale-out config -q
echo "compose: $file's scale-out profile is valid (docker compose --profile scale-out config)"
go run ./tools/compose -f "$file" -service neo4j

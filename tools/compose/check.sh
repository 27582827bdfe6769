#!/usr/bin/env bash
# Validates docker-compose.yml with `docker compose config`. These machines have the docker client
# but no compose plugin (and no engine), so when `docker compose` is missing this builds the
# Compose v2 plugin from the Go module proxy (pinned below) into ~/.docker/cli-plugins first.
set -euo pipefail
cd "$(dirname "$0")/../.."

COMPOSE_VERSION=v2.40.3

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

docker compose version
NEO4J_PASSWORD="${NEO4J_PASSWORD:-compose-check}" docker compose -f docker-compose.yml config -q
echo "compose: docker-compose.yml is valid"

#!/usr/bin/env bash
# Runs a real Neo4j Community server on 127.0.0.1 from the jars on Maven Central, for machines
# without Docker. Usage: tools/neo4j/neo4j.sh start|stop|restart|status|classpath
#
# Environment (all optional):
#   NEO4J_BOLT_PORT        Bolt port on 127.0.0.1                         (default 7687)
#   NEO4J_LOCAL_HOME       home folder: data, logs, pid file              (default <repo>/.local/neo4j)
#   NEO4J_PASSWORD         password of user neo4j, set on the first start (default partnership-graph-local)
#   NEO4J_START_TIMEOUT    seconds to wait for Bolt before giving up      (default 120)
#   NEO4J_STOP_TIMEOUT     seconds to wait for a clean stop before SIGKILL (default 60)
#   NEO4J_HEAP             JVM heap                                       (default 512m)
#   NEO4J_PAGECACHE        page cache size                                (default 64m)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

bolt_port="${NEO4J_BOLT_PORT:-7687}"
home="${NEO4J_LOCAL_HOME:-$repo/.local/neo4j}"
password="${NEO4J_PASSWORD:-partnership-graph-local}"
start_timeout="${NEO4J_START_TIMEOUT:-120}"
stop_timeout="${NEO4J_STOP_TIMEOUT:-60}"
heap="${NEO4J_HEAP:-512m}"
pagecache="${NEO4J_PAGECACHE:-64m}"

mkdir -p "$home"
home="$(cd "$home" && pwd)"
pid_file="$home/neo4j.pid"
console_log="$home/console.log"
classpath_file="$home/classpath.txt"
pom_stamp_file="$home/classpath.pom.sha256"

say() { printf 'neo4j: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

case "$bolt_port" in
  ''|*[!0-9]*) die "NEO4J_BOLT_PORT must be a port number, got '$bolt_port'" ;;
esac
if [ "$bolt_port" -lt 1 ] || [ "$bolt_port" -gt 65535 ]; then
  die "NEO4J_BOLT_PORT must be between 1 and 65535, got '$bolt_port'"
fi

# classpath resolves the Neo4j jars with Maven (offline from the local cache when it can) and
# caches the classpath until tools/neo4j/pom.xml changes.
classpath() {
  local stamp
  stamp="$(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
  if [ -s "$classpath_file" ] && [ "$(cat "$pom_stamp_file" 2>/dev/null)" = "$stamp" ] \
     && classpath_complete; then
    cat "$classpath_file"
    return
  fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Neo4j; install it first"
  local tmp="$classpath_file.tmp"
  if ! mvn -q -B -o -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$tmp" >/dev/null 2>&1; then
    say "fetching Neo4j $(neo4j_version) jars from Maven Central (first run only)"
    mvn -q -B -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$tmp" >&2 \
      || die "Maven could not resolve Neo4j; see the output above"
  fi
  mv "$tmp" "$classpath_file"
  printf '%s\n' "$stamp" > "$pom_stamp_file"
  cat "$classpath_file"
}

# classpath_complete is true when every jar of the cached classpath is still in the Maven cache.
classpath_complete() {
  local jar
  local IFS=':'
  for jar in $(cat "$classpath_file"); do
    [ -f "$jar" ] || return 1
  done
}

neo4j_version() {
  sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$here/pom.xml"
}

# running_pid prints the pid of the Neo4j started from this home folder, if one is alive. It trusts
# the pid file only when that process really is our server, and finds a server whose pid file was lost.
running_pid() {
  local pid
  if [ -f "$pid_file" ]; then
    pid="$(cat "$pid_file" 2>/dev/null || true)"
    if [ -n "$pid" ] && is_our_server "$pid"; then
      echo "$pid"
      return 0
    fi
    say "removing stale pid file $pid_file (pid ${pid:-?} is not a running Neo4j of this folder)"
    rm -f "$pid_file"
  fi
  pid="$(pgrep -f -- "--home-dir=$home( |\$)" | head -n 1 || true)"
  if [ -n "$pid" ] && is_our_server "$pid"; then
    echo "$pid" > "$pid_file"
    echo "$pid"
    return 0
  fi
  return 1
}

is_our_server() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "CommunityEntryPoint --home-dir=$home "
}

bolt_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$bolt_port") 2>/dev/null
}

start() {
  local pid
  if pid="$(running_pid)"; then
    if bolt_answers; then
      say "already running (pid $pid) on bolt://127.0.0.1:$bolt_port"
      return 0
    fi
    say "a Neo4j of $home is starting (pid $pid); waiting for it"
    wait_for_bolt "$pid"
    return
  fi
  if bolt_answers; then
    die "port $bolt_port on 127.0.0.1 is taken by another process; set NEO4J_BOLT_PORT to a free port"
  fi
  command -v java >/dev/null || die "Java 17 is needed to run Neo4j; install a JDK first"

  local cp
  cp="$(classpath)"
  mkdir -p "$home/data" "$home/logs"
  if [ ! -f "$home/data/dbms/auth.ini" ] && [ ! -d "$home/data/databases/system" ]; then
    say "first start in $home: setting the password of user neo4j"
    NEO4J_HOME="$home" NEO4J_CONF="$home/conf" java -cp "$cp" org.neo4j.cli.AdminTool \
      dbms set-initial-password "$password" >/dev/null \
      || die "could not set the initial password"
  fi

  say "starting Neo4j $(neo4j_version) on bolt://127.0.0.1:$bolt_port (home $home)"
  # setsid detaches the server from this shell so that it survives the caller (make, CI steps).
  setsid java \
    -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true \
    -cp "$cp" org.neo4j.server.CommunityEntryPoint --home-dir="$home" \
    -c server.default_listen_address=127.0.0.1 \
    -c server.bolt.listen_address="127.0.0.1:$bolt_port" \
    -c server.bolt.advertised_address="127.0.0.1:$bolt_port" \
    -c server.http.enabled=false \
    -c server.https.enabled=false \
    -c server.memory.pagecache.size="$pagecache" \
    -c db.tx_log.preallocate=false \
    -c "db.tx_log.rotation.retention_policy=2 files" \
    -c dbms.usage_report.enabled=false \
    </dev/null >"$console_log" 2>&1 9>&- &
  pid=$!
  echo "$pid" > "$pid_file"
  wait_for_bolt "$pid"
}

wait_for_bolt() {
  local pid="$1" waited=0
  while ! bolt_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      say "Neo4j exited during start-up; last lines of its logs:"
      tail -n 20 "$console_log" "$home/logs/neo4j.log" 2>/dev/null >&2 || true
      exit 1
    fi
    if [ "$waited" -ge "$start_timeout" ]; then
      say "Bolt did not answer on 127.0.0.1:$bolt_port within ${start_timeout}s; stopping pid $pid"
      tail -n 20 "$home/logs/neo4j.log" 2>/dev/null >&2 || true
      kill -TERM "$pid" 2>/dev/null || true
      rm -f "$pid_file"
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "ready on bolt://127.0.0.1:$bolt_port after ${waited}s (pid $pid)"
}

stop() {
  local pid waited=0
  if ! pid="$(running_pid)"; then
    say "not running (home $home)"
    rm -f "$pid_file"
    return 0
  fi
  say "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge "$stop_timeout" ]; then
      say "no clean stop within ${stop_timeout}s; killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$pid_file"
  say "stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    if bolt_answers; then
      say "running (pid $pid) on bolt://127.0.0.1:$bolt_port"
    else
      say "process $pid is up but Bolt does not answer on port $bolt_port"
      return 1
    fi
  else
    say "not running (home $home)"
    return 3
  fi
}

# lock serialises start and stop of one home folder (parallel test runs, make targets).
lock() {
  exec 9>"$home/.neo4j.sh.lock"
  if command -v flock >/dev/null; then
    flock -w "$((start_timeout + stop_timeout))" 9 || die "another start or stop of $home did not finish"
  fi
}

case "${1:-}" in
  start) lock; start ;;
  stop) lock; stop ;;
  restart) lock; stop; start ;;
  status) status ;;
  classpath) classpath ;;
  *) echo "usage: $0 start|stop|restart|status|classpath" >&2; exit 2 ;;
esac

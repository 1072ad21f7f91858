#!/usr/bin/env bash
# Runs a single-node Apache Kafka broker (KRaft mode, combined broker and controller) from
# the Maven Central artifacts, for development and tests on loopback. Usage: see `help`.
set -euo pipefail

# The one place that pins the Kafka release. The jars come from Maven Central.
readonly KAFKA_VERSION=4.4.0
readonly SCALA_BINARY_VERSION=2.13
# Kafka's pom names slf4j-api 1.7 and no logging backend, so the fetch adds Log4j 2 with its
# SLF4J 1.x binding (log4j-slf4j-impl, not the slf4j2 one). Without them the broker logs nothing.
readonly LOG4J_VERSION=2.25.3
readonly DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
readonly SCRIPT_DIR REPO_ROOT

readonly HOST=127.0.0.1
readonly PORT=${KAFKA_PORT:-19092}
readonly CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-19093}
readonly PARTITIONS=${KAFKA_PARTITIONS:-6}
readonly HEAP_MAX=${KAFKA_HEAP_MAX:-512m}
readonly START_TIMEOUT_SECONDS=${KAFKA_START_TIMEOUT_SECONDS:-60}
readonly STOP_TIMEOUT_SECONDS=30
readonly CACHE_DIR=${KAFKA_CACHE_DIR:-$HOME/.cache/orderflow/kafka-$KAFKA_VERSION}
readonly LIB_DIR=$CACHE_DIR/lib
readonly COMPLETE_MARKER=$LIB_DIR/.complete

# A relative KAFKA_RUN_DIR is taken from the current directory, like any path argument.
RUN_DIR=$(realpath -m "${KAFKA_RUN_DIR:-$REPO_ROOT/.run/kafka}")
readonly RUN_DIR
readonly PID_FILE_TIMEOUT_SECONDS=5
readonly DATA_DIR=$RUN_DIR/data
readonly LOG_DIR=$RUN_DIR/logs
readonly PID_FILE=$RUN_DIR/kafka.pid
readonly PROPERTIES_FILE=$RUN_DIR/server.properties

log() { echo "kafka.sh: $*"; }
fail() {
  echo "kafka.sh: $*" >&2
  exit 1
}

usage() {
  cat <<EOF
Usage: bash infra/kafka/kafka.sh COMMAND

Commands:
  fetch    Download Kafka $KAFKA_VERSION and its runtime dependencies with Maven into the cache.
  start    Format storage on first use, start the broker and wait until a client can connect.
  topics   Create the topics listed in infra/kafka/topics.txt that do not exist yet.
  stop     Stop the broker (SIGTERM, then SIGKILL after ${STOP_TIMEOUT_SECONDS} s).
  status   Print whether the broker is running and reachable; exit 1 if not.
  logs     Print the end of the broker log (LINES lines, default 50).

Environment:
  KAFKA_PORT                    client port (default 19092)
  KAFKA_CONTROLLER_PORT         KRaft controller port (default 19093)
  KAFKA_RUN_DIR                 data, logs, pid and properties (default .run/kafka)
  KAFKA_CACHE_DIR               jar cache (default ~/.cache/orderflow/kafka-$KAFKA_VERSION)
  KAFKA_PARTITIONS              partitions per topic for 'topics' and new topics (default 6)
  KAFKA_HEAP_MAX                maximum JVM heap (default 512m)
  KAFKA_START_TIMEOUT_SECONDS   maximum wait for the broker to accept clients (default 60)
EOF
}

# --- fetch -------------------------------------------------------------------------------

write_fetch_pom() {
  cat >"$CACHE_DIR/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>orderflow.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>$KAFKA_VERSION</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_$SCALA_BINARY_VERSION</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>$LOG4J_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>$LOG4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
}

cmd_fetch() {
  if [[ -f $COMPLETE_MARKER ]]; then
    log "Kafka $KAFKA_VERSION is already in $LIB_DIR"
    return 0
  fi
  command -v mvn >/dev/null || fail "mvn not found: install Maven (apt-get install maven)"
  mkdir -p "$CACHE_DIR"
  rm -rf "$LIB_DIR"
  write_fetch_pom
  log "downloading Kafka $KAFKA_VERSION and its runtime dependencies with Maven"
  local started=$SECONDS
  # Maven's own output goes to a log file and is shown only when the download fails.
  local maven_log=$CACHE_DIR/fetch.log
  if ! mvn --batch-mode --no-transfer-progress --file "$CACHE_DIR/pom.xml" \
    "$DEPENDENCY_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$LIB_DIR" >"$maven_log" 2>&1; then
    tail -n 40 "$maven_log" >&2
    fail "Maven could not download Kafka $KAFKA_VERSION (output above, full log in $maven_log)"
  fi
  [[ -f $LIB_DIR/kafka_$SCALA_BINARY_VERSION-$KAFKA_VERSION.jar ]] ||
    fail "the broker jar is missing from $LIB_DIR after the download"
  touch "$COMPLETE_MARKER"
  local jar_count size
  jar_count=$(find "$LIB_DIR" -name '*.jar' | wc -l)
  size=$(du -sh "$LIB_DIR" | cut -f1)
  log "fetched $jar_count jars ($size) into $LIB_DIR in $((SECONDS - started)) s"
}

# --- process helpers ---------------------------------------------------------------------

# Prints the pid from the pid file if that process is alive and is this run folder's broker.
# Checking the command line guards against a reused pid after a crash or reboot.
broker_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid=$(<"$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  local state
  state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$PROPERTIES_FILE" || return 1
  echo "$pid"
}

port_in_use() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# The readiness probe and the topic script load kafkajs from the workspace's node_modules.
require_client() {
  [[ -d $SCRIPT_DIR/../../packages/test-support/node_modules/kafkajs ]] ||
    fail "kafkajs is not installed, and the readiness check and topic creation need it;" \
      "run 'pnpm install' in the repository first (scripts/run-platform.sh and" \
      "scripts/test-all.sh do that for you)"
}

broker_reachable() {
  node "$SCRIPT_DIR/probe-broker.mjs" "$HOST:$PORT" >/dev/null 2>&1
}

print_log_tail() {
  local file
  for file in "$LOG_DIR/server.log" "$LOG_DIR/stdout.log"; do
    if [[ -s $file ]]; then
      echo "--- last lines of $file ---" >&2
      tail -n 30 "$file" >&2
    fi
  done
}

# The class path is a wildcard that java expands itself, so it must not be globbed here.
readonly JAVA_COMMAND=(
  java -Xms128m "-Xmx$HEAP_MAX" -XX:+UseG1GC -XX:MaxGCPauseMillis=20
  -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
  "-Dlog4j2.configurationFile=$SCRIPT_DIR/log4j2.properties" "-Dkafka.logs.dir=$LOG_DIR"
  -cp "$LIB_DIR/*"
)

# --- start -------------------------------------------------------------------------------

write_properties() {
  cat >"$PROPERTIES_FILE" <<EOF
# Written by infra/kafka/kafka.sh on each start. Edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA_DIR

# Topics are created explicitly (kafka.sh topics, or by tests), never as a side effect of a
# client's metadata request.
auto.create.topics.enable=false
num.partitions=$PARTITIONS
default.replication.factor=1
min.insync.replicas=1

# The single broker stores the only replica of each internal topic. With the default
# replication factor of 3, the offsets topic cannot be created and consumer groups never find
# their coordinator.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# The first member of a new group gets its partitions at once instead of after 3 s.
group.initial.rebalance.delay.ms=0
EOF
}

format_storage_once() {
  if [[ -f $DATA_DIR/meta.properties ]]; then
    return 0
  fi
  local cluster_id
  cluster_id=$("${JAVA_COMMAND[@]}" kafka.tools.StorageTool random-uuid)
  log "formatting storage in $DATA_DIR (cluster id $cluster_id)"
  "${JAVA_COMMAND[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPERTIES_FILE" \
    >>"$LOG_DIR/format.log" 2>&1 || {
    cat "$LOG_DIR/format.log" >&2
    fail "formatting the storage in $DATA_DIR failed"
  }
}

launch_broker() {
  # setsid detaches the broker from the caller's process group, so that it outlives the
  # shell or test runner that started it. The inner shell writes its own pid and then
  # becomes java, so the pid file names the broker itself.
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "${JAVA_COMMAND[@]}" kafka.Kafka "$PROPERTIES_FILE" \
    </dev/null >>"$LOG_DIR/stdout.log" 2>&1 &
}

wait_until_reachable() {
  local started=$1
  local deadline=$((started + START_TIMEOUT_SECONDS))
  local launched=$SECONDS
  while ((SECONDS < deadline)); do
    if ! broker_pid >/dev/null; then
      # The detached shell writes the pid file a moment after launch.
      if [[ ! -f $PID_FILE ]] && ((SECONDS - launched < PID_FILE_TIMEOUT_SECONDS)); then
        sleep 0.2
        continue
      fi
      print_log_tail
      fail "the broker on port $PORT exited during start-up (log tail above)"
    fi
    if broker_reachable; then
      log "broker ready on $HOST:$PORT after $((SECONDS - started)) s (run folder $RUN_DIR)"
      return 0
    fi
    sleep 1
  done
  print_log_tail
  fail "the broker on port $PORT did not accept clients within $START_TIMEOUT_SECONDS s" \
    "(log tail above; it is still running, stop it with: kafka.sh stop)"
}

cmd_start() {
  local started=$SECONDS
  require_client
  if broker_pid >/dev/null; then
    if broker_reachable; then
      log "broker already running on $HOST:$PORT (pid $(broker_pid), run folder $RUN_DIR)"
      return 0
    fi
    log "broker process $(broker_pid) is running but not reachable yet, waiting"
    wait_until_reachable "$started"
    return 0
  fi
  rm -f "$PID_FILE"
  local port
  for port in "$PORT" "$CONTROLLER_PORT"; do
    if port_in_use "$port"; then
      fail "port $port is in use by another process;" \
        "stop that process or choose other ports with KAFKA_PORT and KAFKA_CONTROLLER_PORT"
    fi
  done
  [[ -f $COMPLETE_MARKER ]] || cmd_fetch
  command -v java >/dev/null || fail "java not found: Kafka $KAFKA_VERSION needs Java 17 or newer"
  command -v node >/dev/null || fail "node not found: the readiness check needs Node.js"
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  write_properties
  format_storage_once
  log "starting Kafka $KAFKA_VERSION on $HOST:$PORT (controller $CONTROLLER_PORT)"
  launch_broker
  wait_until_reachable "$started"
}

# --- topics ------------------------------------------------------------------------------

cmd_topics() {
  local list=$SCRIPT_DIR/topics.txt
  local names
  # Strip comments and blank lines, and keep one name per line.
  names=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$' || true)
  [[ -n $names ]] || fail "no topic names in $list"
  require_client
  # shellcheck disable=SC2086 # one argument per topic name
  node "$SCRIPT_DIR/create-topics.mjs" "$HOST:$PORT" "$PARTITIONS" $names
}

# --- stop, status, logs ------------------------------------------------------------------

cmd_stop() {
  local pid
  if ! pid=$(broker_pid); then
    rm -f "$PID_FILE"
    log "no broker running for run folder $RUN_DIR"
    return 0
  fi
  log "stopping broker (pid $pid)"
  kill -TERM "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  while broker_pid >/dev/null && ((SECONDS < deadline)); do
    sleep 0.5
  done
  if broker_pid >/dev/null; then
    log "broker did not stop within $STOP_TIMEOUT_SECONDS s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$PID_FILE"
  log "broker stopped"
}

cmd_status() {
  local pid
  if ! pid=$(broker_pid); then
    log "not running (run folder $RUN_DIR)"
    return 1
  fi
  if broker_reachable; then
    log "running and reachable on $HOST:$PORT (pid $pid, run folder $RUN_DIR)"
    return 0
  fi
  log "process $pid is running but $HOST:$PORT does not accept clients"
  return 1
}

cmd_logs() {
  local file=$LOG_DIR/server.log
  [[ -f $file ]] || fail "no log yet at $file"
  tail -n "${LINES:-50}" "$file"
}

main() {
  local command=${1:-help}
  case $command in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    topics) cmd_topics ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    logs) cmd_logs ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      fail "unknown command: $command"
      ;;
  esac
}

main "$@"

#!/usr/bin/env bash
# Starts the whole platform on this machine (Kafka broker, PostgreSQL databases, provider
# sandbox and every service), replays the order data set through it, and stops what it
# started. Usage: see `usage` below, or run with --help.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
readonly SCRIPT_DIR REPO_ROOT

readonly RUN_DIR=$REPO_ROOT/.run
# Read by lib/platform-processes.sh.
# shellcheck disable=SC2034
readonly LOG_DIR=$RUN_DIR/logs
readonly PID_DIR=$RUN_DIR/pids
# Present while the broker runs because this script started it. A broker that was already
# running (shared with tests, for example) is never stopped by this script.
readonly BROKER_MARKER=$PID_DIR/kafka.started-by-run-platform
readonly READY_TIMEOUT_SECONDS=${READY_TIMEOUT_SECONDS:-240}
# Longer than the services' default SHUTDOWN_TIMEOUT_MS of 15 s, so a shutdown can finish.
readonly STOP_TIMEOUT_SECONDS=${STOP_TIMEOUT_SECONDS:-25}
readonly DEFAULT_ORDERS=$REPO_ROOT/data/orders/superstore-orders.jsonl

readonly SANDBOX_PORT=4010
# Each service with its port, in start order.
readonly SERVICES=(
  gateway:8080 payment:8081 shipping:8082 tax:8083 fraud:8084 notification:8085 crm-sync:8086
)
readonly KAFKA_BROKERS_ADDRESS=127.0.0.1:19092
readonly SANDBOX_URL_ADDRESS=http://127.0.0.1:$SANDBOX_PORT
readonly GATEWAY_URL_ADDRESS=http://127.0.0.1:8080

log() { echo "run-platform: $*"; }
fail() {
  echo "run-platform: $*" >&2
  exit 1
}

usage() {
  cat <<EOF
Usage: bash scripts/run-platform.sh [options] [-- replay options]
       pnpm start:all [options] [-- replay options]

Installs the dependencies, starts the Kafka broker, creates the topics and databases, starts
the provider sandbox and every service, replays the orders, then stops what it started.
Exits with the replay's status: 0 when every order reached its expected outcome.
Each run gives its orders fresh ids (the input id, a dot and a run id, such as
US-2019-103800.rmx970h7j), so a second run replays the same orders as new ones.

Options:
  --orders FILE      orders to replay (default data/orders/superstore-orders.jsonl)
  --limit N          replay only the first N orders
  --keep-running     leave the platform running after the replay
  --stop             stop a platform that an earlier --keep-running run left running
  --skip-install     do not run pnpm install (for a machine where it already ran)
  -h, --help         print this help

Options after -- go to the replay, for example -- --timeout-seconds 300 --quiet-orders.
Logs are in .run/logs/<name>.log and pids in .run/pids/<name>.pid.

Environment:
  READY_TIMEOUT_SECONDS   maximum wait for every service to become ready (default 240)
  STOP_TIMEOUT_SECONDS    wait after SIGTERM before SIGKILL (default 25)
  LOG_LEVEL               log level of the services (default info)
EOF
}

# shellcheck source=lib/bootstrap.sh
source "$SCRIPT_DIR/lib/bootstrap.sh"
# shellcheck source=lib/platform-processes.sh
source "$SCRIPT_DIR/lib/platform-processes.sh"

# --- options -------------------------------------------------------------------------------

orders_file=$DEFAULT_ORDERS
limit=
keep_running=false
stop_only=false
skip_install=false
replay_args=()

parse_options() {
  while (($# > 0)); do
    case $1 in
      --orders)
        [[ $# -ge 2 ]] || fail "--orders needs a file name"
        orders_file=$2
        shift 2
        ;;
      --limit)
        [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || fail "--limit needs a whole number of at least 1"
        limit=$2
        shift 2
        ;;
      --keep-running) keep_running=true && shift ;;
      --stop) stop_only=true && shift ;;
      --skip-install) skip_install=true && shift ;;
      -h | --help)
        usage
        exit 0
        ;;
      --)
        shift
        replay_args=("$@")
        return 0
        ;;
      *)
        usage >&2
        fail "unknown option: $1"
        ;;
    esac
  done
}

# --- stop ----------------------------------------------------------------------------------

service_names() {
  local entry
  for entry in "${SERVICES[@]}"; do echo "${entry%%:*}"; done
}

stop_platform() {
  local names
  mapfile -t names < <(service_names)
  stop_processes "${names[@]}"
  stop_processes sandbox
  if [[ -f $BROKER_MARKER ]]; then
    bash "$REPO_ROOT/infra/kafka/kafka.sh" stop
    rm -f "$BROKER_MARKER"
  fi
}

on_exit() {
  local status=$?
  if [[ $keep_running == true ]]; then
    log "left running because of --keep-running; stop it with: bash scripts/run-platform.sh --stop"
    return
  fi
  stop_platform
}

# --- start ---------------------------------------------------------------------------------

start_broker() {
  local kafka=$REPO_ROOT/infra/kafka/kafka.sh
  # Any broker serving the address is reused, whichever checkout's run folder started it.
  if [[ ! -f $BROKER_MARKER ]] && node "$REPO_ROOT/infra/kafka/probe-broker.mjs" "$KAFKA_BROKERS_ADDRESS" >/dev/null 2>&1; then
    log "using the Kafka broker that is already running on $KAFKA_BROKERS_ADDRESS (left running)"
  else
    mkdir -p "$PID_DIR"
    touch "$BROKER_MARKER"
    bash "$kafka" start
  fi
  bash "$kafka" topics
}

database_url() {
  local role=orderflow_${1//-/_}
  echo "postgres://$role@127.0.0.1:5432/$role"
}

# Starts process $1 on port $2 unless a process this script started earlier runs there.
# Further arguments are the process's environment (NAME=value).
start_unless_running() {
  local name=$1 port=$2 pid
  shift 2
  if pid=$(recorded_pid "$name"); then
    log "$name is already running (pid $pid), kept"
    return
  fi
  if port_in_use "$port"; then
    fail "port $port, which $name uses, is taken by another process; stop that process" \
      "(ss -ltnp 'sport = :$port' shows which) or, if it is an earlier run of this script," \
      "run: bash scripts/run-platform.sh --stop"
  fi
  start_process "$name" PORT="$port" HOST=127.0.0.1 "$@"
  log "started $name on port $port (log .run/logs/$name.log)"
}

start_services() {
  local entry name port
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    port=${entry##*:}
    start_unless_running "$name" "$port" \
      DATABASE_URL="$(database_url "$name")" \
      KAFKA_BROKERS=$KAFKA_BROKERS_ADDRESS \
      SANDBOX_URL=$SANDBOX_URL_ADDRESS \
      LOG_LEVEL="${LOG_LEVEL:-info}"
  done
}

# Waits until every process named as name:port is ready. Fails at once, with the log tail,
# when one exits, and after READY_TIMEOUT_SECONDS when one is still not ready.
wait_until_ready() {
  local started=$SECONDS
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  local -a waiting=("$@")
  local -a still
  local entry name port
  while ((${#waiting[@]} > 0)); do
    still=()
    for entry in "${waiting[@]}"; do
      name=${entry%%:*}
      port=${entry##*:}
      if is_ready "$name" "$port"; then
        log "$name ready after $((SECONDS - started)) s"
      elif ! recorded_pid "$name" >/dev/null; then
        print_log_tail "$name"
        fail "$name exited during start-up (log tail above)"
      else
        still+=("$entry")
      fi
    done
    waiting=("${still[@]}")
    ((${#waiting[@]} > 0)) || break
    if ((SECONDS >= deadline)); then
      for entry in "${waiting[@]}"; do print_log_tail "${entry%%:*}"; done
      fail "not ready within $READY_TIMEOUT_SECONDS s: ${waiting[*]%%:*} (log tails above)"
    fi
    sleep 1
  done
}

run_replay() {
  local args=(--orders "$orders_file")
  if [[ -n $limit ]]; then args+=(--limit "$limit"); fi
  log "replaying $orders_file${limit:+ (first $limit orders)}"
  # tsx runs without a pnpm wrapper, because pnpm ends its child on Ctrl-C before the replay
  # can print the states it polled so far.
  (
    cd "$REPO_ROOT"
    KAFKA_BROKERS=$KAFKA_BROKERS_ADDRESS SANDBOX_URL=$SANDBOX_URL_ADDRESS \
      GATEWAY_URL=$GATEWAY_URL_ADDRESS \
      node_modules/.bin/tsx tools/replay/src/main.ts "${args[@]}" "${replay_args[@]}"
  )
}

main() {
  parse_options "$@"
  cd "$REPO_ROOT"
  if [[ $stop_only == true ]]; then
    stop_platform
    log "stopped"
    return 0
  fi
  [[ -f $orders_file ]] || fail "orders file not found: $orders_file"
  orders_file=$(realpath "$orders_file")

  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  [[ $skip_install == true ]] || ensure_dependencies
  start_broker
  bash infra/postgres/setup-databases.sh
  start_unless_running sandbox "$SANDBOX_PORT" LOG_LEVEL="${LOG_LEVEL:-warn}"
  wait_until_ready "sandbox:$SANDBOX_PORT"
  start_services
  wait_until_ready "${SERVICES[@]}"

  local status=0
  run_replay || status=$?
  return "$status"
}

main "$@"

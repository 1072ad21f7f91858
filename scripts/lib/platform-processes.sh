# shellcheck shell=bash
# Sourced by run-platform.sh: starts, probes and stops the sandbox and service processes.
# Each process runs in its own session, so its pid is also its process group id and a stop
# reaches pnpm, tsx and node together. Pid files live in $PID_DIR, logs in $LOG_DIR.

# Prints the pid in the pid file of $1 when that process is alive and is the one this script
# started: a session leader whose command line names the package. This guards against a pid
# that the system reused after a crash or reboot.
recorded_pid() {
  local name=$1 pid_file=$PID_DIR/$1.pid pid
  [[ -f $pid_file ]] || return 1
  pid=$(<"$pid_file")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  [[ $(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') == "$pid" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "@orderflow/$name" || return 1
  echo "$pid"
}

# Tells whether anything accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints the HTTP status of GET $1, or 000 when nothing responds within 2 s.
http_status() {
  local url=$1
  if command -v curl >/dev/null 2>&1; then
    curl --silent --output /dev/null --max-time 2 --write-out '%{http_code}' "$url" || true
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then((r) => console.log(r.status), () => console.log("000"))' "$url"
  fi
}

# Tells whether process $1 on port $2 is ready. The sandbox has no health route, so any HTTP
# response counts; a service must return 200 from /health/ready.
is_ready() {
  local name=$1 port=$2 status
  if [[ $name == sandbox ]]; then
    status=$(http_status "http://127.0.0.1:$port/")
    [[ $status != 000 ]]
  else
    status=$(http_status "http://127.0.0.1:$port/health/ready")
    [[ $status == 200 ]]
  fi
}

# Prints the end of the log of $1 to stderr.
print_log_tail() {
  local log_file=$LOG_DIR/$1.log
  if [[ -s $log_file ]]; then
    echo "--- last 40 lines of $log_file ---" >&2
    tail -n 40 "$log_file" >&2
  else
    echo "--- $log_file is empty ---" >&2
  fi
}

# Starts `pnpm --filter @orderflow/$1 start` in the background with the environment given as
# further arguments (NAME=value), logging to $LOG_DIR/$1.log. The inner shell writes its own
# pid and then becomes pnpm, so the pid file names the session leader.
start_process() {
  local name=$1
  shift
  mkdir -p "$PID_DIR" "$LOG_DIR"
  : >"$LOG_DIR/$name.log"
  rm -f "$PID_DIR/$name.pid"
  # shellcheck disable=SC2016 # $$, $0 and $@ belong to the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_DIR/$name.pid" \
    env "$@" pnpm --filter "@orderflow/$name" start \
    </dev/null >>"$LOG_DIR/$name.log" 2>&1 &
  # The detached shell writes the pid file a moment after launch; wait up to 5 s for it.
  local tries
  for ((tries = 0; tries < 50; tries++)); do
    [[ -s $PID_DIR/$name.pid ]] && return 0
    sleep 0.1
  done
  echo "run-platform: $name wrote no pid file within 5 s" >&2
  return 1
}

# Sends SIGTERM to the process group of each named process, waits up to $STOP_TIMEOUT_SECONDS
# for all of them to exit, then sends SIGKILL to any group that is left. Names without a live
# recorded process are skipped. Removes the pid files.
stop_processes() {
  local name pid
  local -A groups=()
  for name in "$@"; do
    if pid=$(recorded_pid "$name"); then
      log "stopping $name (pid $pid)"
      kill -TERM -- "-$pid" 2>/dev/null || true
      groups[$name]=$pid
    fi
  done
  local deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  for name in "${!groups[@]}"; do
    pid=${groups[$name]}
    while kill -0 -- "-$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.5
    done
    if kill -0 -- "-$pid" 2>/dev/null; then
      log "$name did not stop within $STOP_TIMEOUT_SECONDS s, sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  done
  for name in "$@"; do
    rm -f "$PID_DIR/$name.pid"
  done
}

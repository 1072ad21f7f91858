#!/usr/bin/env bash
# Runs every check and test of the repository: formatting, types, lint, unit tests and the
# integration tests against a real Kafka broker and PostgreSQL. Starts the broker when none is
# running on 127.0.0.1:19092 and stops it again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh

# The machines that run this reach no telemetry endpoint; do not try.
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

ensure_dependencies

started_broker=false
# A broker already serving 127.0.0.1:19092 (this checkout's or another one's) is reused.
if ! node infra/kafka/probe-broker.mjs 127.0.0.1:19092 >/dev/null 2>&1; then
  bash infra/kafka/kafka.sh fetch
  bash infra/kafka/kafka.sh start
  started_broker=true
fi
stop_broker() {
  if [[ "$started_broker" == true ]]; then bash infra/kafka/kafka.sh stop || true; fi
}
trap stop_broker EXIT
bash infra/kafka/kafka.sh topics
bash infra/postgres/setup-databases.sh --test

pnpm exec prettier --check .
pnpm exec turbo run typecheck lint --concurrency=2

log=$(mktemp)
status=0
pnpm exec turbo run test --concurrency=1 --continue 2>&1 | tee "$log" || status=$?
# vitest prints "Tests  N passed (M)" or "Tests  F failed | N passed (M)" per package; awk
# sums them without failing when a count is absent.
count_tests() {
  sed 's/\x1b\[[0-9;]*m//g' "$log" | awk -v word="$1" '
    /:test: +Tests / { for (i = 2; i <= NF; i++) if ($i == word) sum += $(i - 1) }
    END { print sum + 0 }'
}
passed=$(count_tests passed)
failed=$(count_tests failed)
# CI keeps only the end of the output, so the failed tests are listed again here.
if [[ "$failed" != 0 ]]; then
  echo "failed tests:"
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E -A8 ':test: +FAIL ' | head -200 || true
fi
rm -f "$log"
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"

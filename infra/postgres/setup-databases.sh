#!/usr/bin/env bash
# Creates the role and database of each service on the local PostgreSQL server, connecting
# as the superuser. Safe to run again: existing roles and databases are kept.
#
# Usage: bash infra/postgres/setup-databases.sh [--test | --all]
#   (no option)  databases orderflow_<service> for running the services
#   --test       databases orderflow_test_<service> for the test suites
#   --all        both
# Service names turn "-" into "_" (crm-sync: role orderflow_crm_sync). PGHOST (default
# 127.0.0.1), PGPORT (default 5432) and PGUSER (default postgres) select the server.
set -euo pipefail

readonly SERVICES=(gateway payment shipping tax fraud notification crm-sync)

export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-postgres}

usage() {
  sed -n '5,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

run_sql() {
  psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --dbname postgres "$@"
}

# Creates the LOGIN role unless it exists. The local server trusts loopback connections,
# so the role has no password.
ensure_role() {
  local role=$1
  run_sql --set role="$role" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec
SQL
}

# Creates the database unless it exists, and makes `role` its owner either way.
# CREATE DATABASE cannot run inside a DO block or function, hence \gexec.
ensure_database() {
  local database=$1 role=$2
  run_sql --set database="$database" --set role="$role" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database')
\gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'database', :'role')
\gexec
SQL
}

main() {
  local kinds=(run)
  case ${1:-} in
    '') ;;
    --test) kinds=(test) ;;
    --all) kinds=(run test) ;;
    -h | --help)
      usage
      return 0
      ;;
    *)
      usage >&2
      echo "setup-databases.sh: unknown option: $1" >&2
      return 1
      ;;
  esac

  pg_isready --quiet || {
    echo "setup-databases.sh: PostgreSQL is not accepting connections on $PGHOST:$PGPORT" >&2
    return 1
  }

  local service suffix role kind database
  for service in "${SERVICES[@]}"; do
    suffix=${service//-/_}
    role=orderflow_$suffix
    ensure_role "$role"
    for kind in "${kinds[@]}"; do
      if [[ $kind == test ]]; then database=orderflow_test_$suffix; else database=$role; fi
      ensure_database "$database" "$role"
      printf '%-13s postgres://%s@%s:%s/%s\n' "$service" "$role" "$PGHOST" "$PGPORT" "$database"
    done
  done
}

main "$@"

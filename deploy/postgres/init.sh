#!/usr/bin/env bash
# Runs once, on the first start of the postgres container (empty data volume), from
# /docker-entrypoint-initdb.d. Creates one database and one login role per service, for every
# <SERVICE>_DB variable the container has (docker-compose.yml sets one per service), e.g.
#   ORDER_SERVICE_DB=orders, ORDER_SERVICE_DB_PASSWORD=...  ->  database orders, role order_service
# so adding a service means adding its two variables, not editing this script.
# Each role owns its database (so it owns the `public` schema there and can run migrations),
# and CONNECT is revoked from PUBLIC on every database (also `postgres` and `template1`), so a
# service role can open its own database only; the superuser keeps access to all of them.
# A missing <SERVICE>_DB_PASSWORD defaults to the role name (development only).
# Safe to run again: existing roles get their password reset, existing databases are kept.
set -eo pipefail

create_service_db() {
  local db="$1" role="$2" password="$3"
  echo "init.sh: database ${db}, role ${role}"
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v db="$db" -v role="$role" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'role') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT ALL ON DATABASE %I TO %I', :'db', :'role') \gexec
SQL
}

found=0
while IFS='=' read -r name db; do
  prefix="${name%_DB}"                                    # ORDER_SERVICE
  role="$(printf '%s' "$prefix" | tr '[:upper:]' '[:lower:]')" # order_service
  password_var="${prefix}_DB_PASSWORD"
  create_service_db "$db" "$role" "${!password_var:-$role}"
  found=$((found + 1))
done < <(env | grep -E '^[A-Z][A-Z0-9_]*_SERVICE_DB=' | sort)
if [ "$found" -eq 0 ]; then
  echo "init.sh: no <SERVICE>_DB variable (e.g. ORDER_SERVICE_DB=orders): no service database created" >&2
  exit 1
fi

# The maintenance databases too: no service needs them (each opens its own database, which exists).
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'SQL'
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
SQL

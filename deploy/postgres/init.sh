#!/usr/bin/env bash
# Runs once, on the first start of the postgres container (empty data volume), from
# /docker-entrypoint-initdb.d. Creates one database and one login role per service:
#   orders <- order_service, inventory <- inventory_service,
#   payments <- payment_service, notifications <- notification_service
# Each role owns its database (so it owns the `public` schema there and can run migrations),
# and CONNECT is revoked from PUBLIC on every database (also `postgres` and `template1`), so a
# service role can open its own database only; the superuser keeps access to all of them.
# Passwords default to the role name; override with ORDER_SERVICE_DB_PASSWORD,
# INVENTORY_SERVICE_DB_PASSWORD, PAYMENT_SERVICE_DB_PASSWORD, NOTIFICATION_SERVICE_DB_PASSWORD.
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

create_service_db orders order_service "${ORDER_SERVICE_DB_PASSWORD:-order_service}"
create_service_db inventory inventory_service "${INVENTORY_SERVICE_DB_PASSWORD:-inventory_service}"
create_service_db payments payment_service "${PAYMENT_SERVICE_DB_PASSWORD:-payment_service}"
create_service_db notifications notification_service "${NOTIFICATION_SERVICE_DB_PASSWORD:-notification_service}"

# The maintenance databases too: no service needs them (each opens its own database, which exists).
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'SQL'
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
SQL

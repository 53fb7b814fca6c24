#!/usr/bin/env bash
# Runs once, on the first start of the postgres container (empty data volume), from
# /docker-entrypoint-initdb.d. For every <SERVICE>_DB variable the container has (docker-compose.yml sets
# one per service) it creates the database and two login roles, with service-roles.sql, e.g.
#   ORDER_SERVICE_DB=orders  ->  database orders,
#     role order_service_migrator (ORDER_SERVICE_DB_MIGRATION_PASSWORD): owns the schema, runs migrations
#     role order_service          (ORDER_SERVICE_DB_PASSWORD): reads and writes the tables, nothing more
# so adding a service means adding its variables, not editing this script. CONNECT is revoked from PUBLIC
# on every database (also `postgres` and `template1`), so a service's roles open their own database only.
# A missing password defaults to the role's name (development only; see SECURITY.md).
# Safe to run again, e.g. `docker compose exec postgres bash /docker-entrypoint-initdb.d/10-init.sh` on a
# volume made by an older version: passwords are reset, databases and rows kept, ownership moved to the
# migrator role.
set -eo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
roles_sql="${SERVICE_ROLES_SQL:-/etc/platform/postgres/service-roles.sql}"
[ -f "$roles_sql" ] || roles_sql="$here/service-roles.sql"
if [ ! -f "$roles_sql" ]; then
  echo "init.sh: service-roles.sql not found (set SERVICE_ROLES_SQL or mount it at /etc/platform/postgres/)" >&2
  exit 1
fi

found=0
while IFS='=' read -r name db; do
  prefix="${name%_DB}"                                         # ORDER_SERVICE
  role="$(printf '%s' "$prefix" | tr '[:upper:]' '[:lower:]')" # order_service
  password_var="${prefix}_DB_PASSWORD"
  migration_password_var="${prefix}_DB_MIGRATION_PASSWORD"
  echo "init.sh: database ${db}, roles ${role}_migrator and ${role}"
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v db="$db" -v migrator="${role}_migrator" -v migrator_password="${!migration_password_var:-${role}_migrator}" \
    -v runtime="$role" -v runtime_password="${!password_var:-$role}" -f "$roles_sql"
  found=$((found + 1))
done < <(env | grep -E '^[A-Z][A-Z0-9_]*_SERVICE_DB=' | sort)
if [ "$found" -eq 0 ]; then
  echo "init.sh: no <SERVICE>_DB variable (e.g. ORDER_SERVICE_DB=orders): no service database created" >&2
  exit 1
fi

# The maintenance databases too: no service needs them (each opens its own database, which exists).
psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'SQL'
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
SQL

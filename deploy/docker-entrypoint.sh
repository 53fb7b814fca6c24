#!/bin/sh
# Container entrypoint of deploy/Dockerfile. Starts the service named by $APP (order-service,
# inventory-service, payment-service or notification-service) with tracing preloaded.
# `exec` replaces the shell, so node is PID 1 and gets SIGTERM/SIGINT directly.
# With arguments, runs them instead, e.g. `docker compose run --rm order-service npm run dlq -- list order`.
set -e
if [ "$#" -gt 0 ]; then exec "$@"; fi
: "${APP:?APP is not set: set it to the service to run, e.g. APP=order-service}"
main="dist/apps/${APP}/src/main.js"
if [ ! -f "$main" ]; then
  echo "APP=${APP}: no $main in the image (services: $(ls dist/apps | tr '\n' ' '))" >&2
  exit 1
fi
# Node's flags for every service, shared with `npm run start:<service>` and the tests.
# shellcheck disable=SC2046 # one flag per word
exec node $(cat /usr/local/lib/service-node-flags) --require ./dist/libs/observability/src/tracing.js "$main"

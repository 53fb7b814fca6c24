#!/bin/sh
# Starts the service named by $APP (set from the image's APP build arg) with tracing preloaded.
# `exec` replaces the shell, so node is PID 1 and gets SIGTERM/SIGINT directly.
set -e
: "${APP:?APP is not set (build the image with --build-arg APP=<service folder name>)}"
exec node --enable-source-maps --require ./dist/libs/observability/src/tracing.js "dist/apps/${APP}/src/main.js" "$@"

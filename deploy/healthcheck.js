// Container healthcheck of deploy/Dockerfile: exits 0 when the service's GET /health/ready answers 2xx
// (its database and RabbitMQ answer), 1 otherwise. The port is $PORT, else the default of $APP, read from
// the service's manifest in the image (dist/apps/<APP>/service.json).
const { readFileSync } = require('node:fs');

function defaultPort(app) {
  try {
    return JSON.parse(readFileSync(`/app/dist/apps/${app}/service.json`, 'utf8')).port;
  } catch {
    return undefined;
  }
}
const port = process.env.PORT || defaultPort(process.env.APP) || 3000;
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(4000) })
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1));

// Container healthcheck of deploy/Dockerfile: exits 0 when the service's GET /health/ready answers 2xx
// (its database and RabbitMQ answer), 1 otherwise. The port is $PORT, else the default of $APP.
const defaultPorts = {
  'order-service': 3000,
  'inventory-service': 3001,
  'payment-service': 3002,
  'notification-service': 3003,
};
const port = process.env.PORT || defaultPorts[process.env.APP] || 3000;
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(4000) })
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1));

import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's one Prometheus registry. Libraries register their metrics here at import time,
 * so `/metrics` shows them even before the first message flows.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

import { Module, OnApplicationShutdown } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { MetricsController } from './metrics.controller';

const FLUSH_TIMEOUT_MS = 2000;

interface FlushableProvider {
  getDelegate?(): { forceFlush?(): Promise<void> };
}

/** Adds `GET /metrics` to a service, and exports the spans still buffered when the service shuts down. */
@Module({ controllers: [MetricsController] })
export class ObservabilityModule implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    // Nest re-raises SIGTERM after closing, so the SDK's own exit hooks would not run in time. Bounded: an
    // absent collector must not hold the shutdown for the exporter's whole timeout.
    const provider = trace.getTracerProvider() as FlushableProvider;
    const flushed = provider
      .getDelegate?.()
      .forceFlush?.()
      .catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, FLUSH_TIMEOUT_MS)));
    await Promise.race([flushed, timeout]);
    clearTimeout(timer);
  }
}

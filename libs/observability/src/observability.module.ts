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
    // Nest re-raises SIGTERM after closing, so the SDK's own exit hooks would not run in time.
    const provider = trace.getTracerProvider() as FlushableProvider;
    await provider
      .getDelegate?.()
      .forceFlush?.()
      .catch(() => undefined);
  }
}

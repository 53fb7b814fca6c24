import { SpanKind, trace } from '@opentelemetry/api';
import { restoreTraceContext, TraceCarrier } from '@platform/messaging';

const tracer = trace.getTracer('order-service');

/**
 * Runs `work` in a new span of the trace a carrier describes, so that work started by a timer rather than
 * a request or message (the saga's timeouts) stays in the order's one trace, and so do the messages it sends.
 */
export function continueTrace<T>(
  carrier: TraceCarrier,
  spanName: string,
  attributes: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    spanName,
    { kind: SpanKind.INTERNAL, attributes },
    restoreTraceContext(carrier),
    async (span) => {
      try {
        return await work();
      } finally {
        span.end();
      }
    },
  );
}

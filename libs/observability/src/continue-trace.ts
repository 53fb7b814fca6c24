import { propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('@platform/observability');

/**
 * Runs `work` in a new span of the trace a stored W3C carrier (`traceparent`, `tracestate`) describes, so
 * work started by a timer rather than a request or a message (a saga timeout, a notification delivery)
 * stays in the order's one trace, and so do its log lines and the messages it sends.
 */
export function continueTrace<T>(
  carrier: Record<string, string>,
  spanName: string,
  attributes: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    spanName,
    { kind: SpanKind.INTERNAL, attributes },
    propagation.extract(ROOT_CONTEXT, carrier),
    async (span) => {
      try {
        return await work();
      } finally {
        span.end();
      }
    },
  );
}

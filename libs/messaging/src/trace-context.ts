import { context, Context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';

/** Carrier of W3C trace context: `traceparent` and, when present, `tracestate`. */
export type TraceCarrier = Record<string, string>;

/** The trace context of the current work, to store with an outbox row or put in message headers. */
export function captureTraceContext(from: Context = context.active()): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** The context a carrier describes, or the root context when it holds none. */
export function restoreTraceContext(carrier: Record<string, unknown> | undefined): Context {
  if (!carrier) return ROOT_CONTEXT;
  const strings: TraceCarrier = {};
  for (const [key, value] of Object.entries(carrier)) {
    if (typeof value === 'string') strings[key] = value;
    else if (Buffer.isBuffer(value)) strings[key] = value.toString();
  }
  return propagation.extract(ROOT_CONTEXT, strings);
}

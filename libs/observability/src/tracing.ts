/**
 * OpenTelemetry preload: `node --require dist/libs/observability/src/tracing.js <service main>`.
 * Starts the Node SDK before Nest, Express or pg are loaded so their instrumentations can patch them.
 * Configured only by the standard OTEL_* variables (exporter, endpoint, protocol, sampler, OTEL_BSP_*);
 * the service name defaults to the app's folder name, e.g. `order-service`. The OTLP/HTTP exporter resolves
 * the collector's name on the event loop (eventLoopLookup), so an export in flight never holds the exit.
 */
import { basename, dirname } from 'node:path';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK, NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { eventLoopLookup } from './event-loop-lookup';
import { maskUrlAttributes } from './personal-data';

// The SDK's own span processor type, taken from its options so it always matches the SDK's @opentelemetry/sdk-trace.
type SpanProcessor = NonNullable<NodeSDKConfiguration['spanProcessors']>[number];

/** `dist/apps/order-service/src/main.js` → `order-service`. */
function serviceFolderName(entry: string | undefined): string | undefined {
  if (!entry) return undefined;
  const folder = basename(dirname(dirname(entry)));
  return folder.endsWith('-service') ? folder : undefined;
}

const env = process.env;
env.OTEL_SERVICE_NAME ||= serviceFolderName(process.argv[1]) ?? 'unknown-service';
// Metrics go to Prometheus via /metrics and logs to stdout; only traces use OTLP unless asked otherwise.
env.OTEL_METRICS_EXPORTER ||= 'none';
env.OTEL_LOGS_EXPORTER ||= 'none';

/** Keeps spans (and so trace context in logs and message headers) without exporting them anywhere. */
const keepContextOnly: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};
// With OTEL_TRACES_EXPORTER=none the SDK would register no tracer at all: no trace ids in logs and no
// traceparent on messages, which would also cut the traces of services downstream that do export.
const exportsNothing = (env.OTEL_TRACES_EXPORTER ?? '').split(',').every((name) => name.trim() === 'none');

/**
 * The OTLP/HTTP exporter the SDK would build from the environment (endpoint, headers, timeout, compression
 * are still read from it), but with the collector's name resolved by c-ares. The SDK's own uses getaddrinfo,
 * and Node waits for a getaddrinfo in flight before it exits: with DNS not answering, as while a container
 * network is torn down, the span flush at shutdown then held the exit past the stop grace period. Anything
 * else (gRPC, console, several exporters, TLS files from OTEL_EXPORTER_OTLP_*CERTIFICATE/KEY) is left to the SDK.
 */
function otlpHttpExporter(): NodeSDKConfiguration['traceExporter'] | undefined {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').trim();
  if (exporters !== '' && exporters !== 'otlp') return undefined;
  if (Object.keys(env).some((name) => /^OTEL_EXPORTER_OTLP_(TRACES_)?(CERTIFICATE|CLIENT_)/.test(name))) {
    return undefined;
  }
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? '').trim();
  const options = { httpAgentOptions: { keepAlive: true, lookup: eventLoopLookup() } };
  if (protocol === '' || protocol === 'http/protobuf') return new ProtobufTraceExporter(options);
  if (protocol === 'http/json') return new JsonTraceExporter(options);
  return undefined;
}

type TraceExporter = NonNullable<NodeSDKConfiguration['traceExporter']>;

/**
 * Exports spans with the customer ids masked out of their recorded URLs (personal-data.ts): a query value or
 * an account id in a URL would otherwise reach the tracing backend. Wraps the OTLP/HTTP exporter (the default,
 * and compose's); exporters the SDK builds by itself (gRPC, console) are not wrapped.
 */
function withoutPersonalData(exporter: TraceExporter | undefined): TraceExporter | undefined {
  if (!exporter) return undefined;
  return {
    export(spans, done) {
      for (const span of spans) maskUrlAttributes(span.attributes as Record<string, unknown>);
      exporter.export(spans, done);
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

const sdk = new NodeSDK({
  spanProcessors: exportsNothing ? [keepContextOnly] : undefined,
  traceExporter: exportsNothing ? undefined : withoutPersonalData(otlpHttpExporter()),
  instrumentations: [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
    }),
    // Express's middleware (body parsers, query parser) and its request-handler layer, which Nest's own
    // spans already name by controller and handler, are left out: about 7 % of order-service's CPU per
    // POST /orders (docs/benchmarks.md). So are the pool checkouts of pg; every query is still a span.
    new ExpressInstrumentation({
      ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.REQUEST_HANDLER],
    }),
    new NestInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
  ],
});
sdk.start();

const shutdown = () => void sdk.shutdown().catch(() => undefined);
process.once('beforeExit', shutdown);

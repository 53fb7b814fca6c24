/** Logs, metrics and traces shared by every service. Tracing itself is preloaded from `tracing.ts`. */
export * from './json-logger';
export * from './continue-trace';
export * from './metrics.registry';
export * from './metrics.controller';
export * from './observability.module';

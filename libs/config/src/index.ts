/** Typed, validated configuration from environment variables, shared by every service. */
export * from './configuration-error';
export * from './load-config';
export * from './service-config';

/** The service kit: bootstrap, HTTP conventions and the platform modules every service imports. */
export * from './bootstrap-service';
export * from './service-kit.module';
export * from './http-errors';
export * from './unexpected-error.filter';
export * from './storable-text.pipe';
export * from './describe-thrown';
export * from './non-error-thrown.error';
export * from './validators/has-at-most-two-decimals';
export * from './auth';

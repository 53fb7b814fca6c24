/** Starts payment-service. Tracing is preloaded with `--require` before this file runs (see scripts/start-service.mjs). */
import 'reflect-metadata';
import { bootstrapService } from '@platform/service';
import { loadPaymentConfig } from './config';
import { PaymentServiceModule } from './payment-service.module';

void bootstrapService(
  'payment-service',
  () => loadPaymentConfig(process.env),
  (config) => PaymentServiceModule.register(config),
);

/** Starts order-service. Tracing is preloaded with `--require` before this file runs (see scripts/start-service.mjs). */
import 'reflect-metadata';
import { bootstrapService } from '@platform/service';
import { loadOrderConfig } from './config';
import { OrderServiceModule } from './order-service.module';

void bootstrapService(
  'order-service',
  () => loadOrderConfig(process.env),
  (config) => OrderServiceModule.register(config),
);

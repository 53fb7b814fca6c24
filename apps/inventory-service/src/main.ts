/** Starts inventory-service. Tracing is preloaded with `--require` before this file runs (see scripts/start-service.mjs). */
import 'reflect-metadata';
import { bootstrapService } from '@platform/service';
import { loadInventoryConfig } from './config';
import { InventoryServiceModule } from './inventory-service.module';

void bootstrapService(
  'inventory-service',
  () => loadInventoryConfig(process.env),
  (config) => InventoryServiceModule.register(config),
);

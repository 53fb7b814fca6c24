/** Starts notification-service. Tracing is preloaded with `--require` before this file runs (see scripts/start-service.mjs). */
import 'reflect-metadata';
import { bootstrapService } from '@platform/service';
import { loadNotificationConfig } from './config';
import { NotificationServiceModule } from './notification-service.module';

void bootstrapService(
  'notification-service',
  () => loadNotificationConfig(process.env),
  (config) => NotificationServiceModule.register(config),
);

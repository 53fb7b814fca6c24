import { loadServiceConfig, ServiceConfig } from '@platform/config';
import identity from '../service.json';

/** inventory-service configuration: the common settings only. */
export abstract class InventoryConfig extends ServiceConfig {}

/** Reads and validates inventory-service's environment; throws ConfigurationError naming the bad variable. */
export function loadInventoryConfig(env: Record<string, string | undefined>): InventoryConfig {
  return loadServiceConfig(identity, env);
}

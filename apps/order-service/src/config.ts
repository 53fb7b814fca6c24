import { z } from 'zod';
import { integer, loadConfig, loadServiceConfig, ServiceConfig } from '@platform/config';
import identity from '../service.json';

/** order-service configuration: the common settings plus the saga's step timeout and the order throttle. */
export abstract class OrderConfig extends ServiceConfig {
  abstract readonly sagaStepTimeoutMs: number;
  /** `POST /orders` per token subject and minute, per process, before 429. */
  abstract readonly orderRateLimitPerMinute: number;
}

const orderEnvironment = z.object({
  SAGA_STEP_TIMEOUT_MS: integer(30_000, 100, 86_400_000),
  ORDER_RATE_LIMIT_PER_MINUTE: integer(600, 1, 1_000_000),
});

/** Reads and validates order-service's environment; throws ConfigurationError naming the bad variable. */
export function loadOrderConfig(env: Record<string, string | undefined>): OrderConfig {
  const common = loadServiceConfig(identity, env);
  const own = loadConfig(orderEnvironment, env);
  return {
    ...common,
    sagaStepTimeoutMs: own.SAGA_STEP_TIMEOUT_MS,
    orderRateLimitPerMinute: own.ORDER_RATE_LIMIT_PER_MINUTE,
  };
}

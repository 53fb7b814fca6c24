import { z } from 'zod';
import { decimal, loadConfig, loadServiceConfig, ServiceConfig } from '@platform/config';
import identity from '../service.json';

/** payment-service configuration: the common settings plus the credit new customers start with. */
export abstract class PaymentConfig extends ServiceConfig {
  abstract readonly defaultCredit: number;
}

const paymentEnvironment = z.object({ PAYMENT_DEFAULT_CREDIT: decimal(1000, 0) });

/** Reads and validates payment-service's environment; throws ConfigurationError naming the bad variable. */
export function loadPaymentConfig(env: Record<string, string | undefined>): PaymentConfig {
  const common = loadServiceConfig(identity, env);
  const own = loadConfig(paymentEnvironment, env);
  return { ...common, defaultCredit: Math.round(own.PAYMENT_DEFAULT_CREDIT * 100) / 100 };
}

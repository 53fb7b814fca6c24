/**
 * The names one generated service is known by in each place (folder, class, table, queue, variable), all
 * derived from its short name, and the checks that keep a short name usable in every one of them.
 */
import { ServiceFacts, serviceNamePattern } from '../services';

/** Every spelling of one service's name that the generator writes. */
export interface ServiceNames {
  /** `loyalty-points`: routing keys, queues, the contracts folder. */
  readonly name: string;
  /** `loyalty-points-service`: folder, process, broker user. */
  readonly app: string;
  /** `LoyaltyPoints`: class names. */
  readonly pascal: string;
  /** `loyaltyPoints`: variables. */
  readonly camel: string;
  /** `loyalty_points`: database. */
  readonly snake: string;
  /** `LOYALTY_POINTS_SERVICE`: deployment variables. */
  readonly environmentPrefix: string;
}

/** The first port a generated service may take; the four services of the saga use 3000-3003. */
export const FIRST_GENERATED_PORT = 3004;
/** Host ports docker-compose.yml publishes for the tools (Grafana 3030), never given to a service. */
const RESERVED_PORTS = new Set([3030]);
/** Names that would collide with the shared exchanges or read badly everywhere. */
const RESERVED_NAMES = new Set(['commands', 'events', 'service', 'services', 'retry', 'dlq', 'all', 'test']);
const MAX_NAME_LENGTH = 30;

/** All spellings of a valid short name. */
export function namesOf(name: string): ServiceNames {
  const words = name.split('-');
  const pascal = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  return {
    name,
    app: `${name}-service`,
    pascal,
    camel: pascal[0].toLowerCase() + pascal.slice(1),
    snake: words.join('_'),
    environmentPrefix: `${words.join('_')}_service`.toUpperCase(),
  };
}

/**
 * Why a requested name cannot be a new service, or undefined when it can. Accepts `shipping` and
 * `shipping-service` alike (see `shortNameOf`).
 */
export function nameProblem(requested: string, existing: readonly ServiceFacts[]): string | undefined {
  const name = shortNameOf(requested);
  if (!serviceNamePattern.test(name)) {
    return (
      `"${requested}" is not a service name: use lowercase letters and digits in words joined by single ` +
      `hyphens, starting with a letter (e.g. shipping or loyalty-points)`
    );
  }
  if (name.length > MAX_NAME_LENGTH) return `"${name}" is longer than ${MAX_NAME_LENGTH} characters`;
  if (RESERVED_NAMES.has(name)) return `"${name}" is reserved (it names shared things); choose another name`;
  const same = existing.find((service) => service.name === name);
  if (same) return `${same.app} already exists (apps/${same.app}); choose another name`;
  const database = namesOf(name).snake;
  const sharing = existing.find((service) => service.database === database);
  if (sharing) return `${sharing.app} already uses the database ${database}; choose another name`;
  return undefined;
}

/** `shipping-service` and `shipping` both mean the service `shipping`. */
export function shortNameOf(requested: string): string {
  return requested.trim().replace(/-service$/, '');
}

/** The lowest port from 3004 that no service uses (and compose does not publish for a tool). */
export function nextFreePort(existing: readonly ServiceFacts[]): number {
  const used = new Set(existing.map((service) => service.port));
  let port = FIRST_GENERATED_PORT;
  while (used.has(port) || RESERVED_PORTS.has(port)) port += 1;
  return port;
}

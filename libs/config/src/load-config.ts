import { z } from 'zod';
import { ConfigurationError } from './configuration-error';

type Environment = Record<string, string | undefined>;

/**
 * Parses the environment with a zod schema whose keys are variable names.
 * Empty strings count as unset, so `PORT=` falls back to the default instead of failing.
 * Throws ConfigurationError listing every bad variable with its value and what was expected, secrets hidden
 * (shownValue): the message goes to logs.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Environment): z.output<S> {
  const relevant: Environment = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') relevant[key] = value.trim();
  }
  const result = schema.safeParse(relevant);
  if (result.success) return result.data;
  throw new ConfigurationError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const value = relevant[name];
      return `${name}: ${issue.message} (${shownValue(name, value)})`;
    }),
  );
}

/** Variables whose whole value is a secret. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY/i;

/**
 * A value as a configuration error may show it: a secret variable not at all, the password of a URL
 * (`scheme://user:password@host`) masked, even in a URL too malformed to parse, since that is when it is shown.
 */
export function shownValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'unset';
  if (SECRET_NAME.test(name)) return 'set, not shown';
  return `got "${value.replace(/(\/\/[^/?#@:,]*:)[^/?#,]*@/g, '$1***@')}"`;
}

/** A TCP port, 1 to 65535. */
export const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be a port between 1 and 65535')
    .max(65535, 'must be a port between 1 and 65535')
    .default(fallback);

/** A whole number within bounds. */
export const integer = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

/** `true` or `false` (also `1`/`0`, `yes`/`no`, any case). */
export const flag = (fallback: boolean) =>
  z
    .string()
    .toLowerCase()
    .refine((value) => ['true', 'false', '1', '0', 'yes', 'no'].includes(value), {
      message: 'must be true or false',
    })
    .transform((value) => ['true', '1', 'yes'].includes(value))
    .default(fallback);

/** A decimal number within bounds. */
export const decimal = (fallback: number, min = 0) =>
  z.coerce.number({ message: 'must be a number' }).min(min, `must be at least ${min}`).default(fallback);

/** A URL with one of the given protocols, e.g. `postgres:` or `amqp:`. */
export const url = (protocols: string[], fallback?: string) => {
  const schema = z.string().refine((value) => hasProtocol(value, protocols), {
    message: `must be a URL starting with ${startingWith(protocols)}`,
  });
  return fallback === undefined ? schema.optional() : schema.default(fallback);
};

/**
 * One URL, or several separated by commas (the nodes of a cluster, tried in turn), each with one of the
 * given protocols and all logging in as the same user; the list, in the order given.
 */
export const urlList = (protocols: string[], fallback: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .refine((urls) => urls.length > 0 && urls.every((value) => hasProtocol(value, protocols)), {
      message: `must be a URL starting with ${startingWith(protocols)}, or several separated by commas`,
    })
    .refine((urls) => new Set(urls.map((value) => new URL(value).username)).size <= 1, {
      message: 'must log in as the same user on every node',
    })
    .default([fallback]);

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const startingWith = (protocols: string[]) => protocols.map((protocol) => `${protocol}//`).join(' or ');

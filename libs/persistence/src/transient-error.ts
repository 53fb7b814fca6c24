const transientCodes = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

const transientMessages = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection.*closed/i,
  // pg, about a connection that failed earlier: "Client has encountered a connection error and is not queryable".
  /is not queryable/i,
];

/**
 * Whether an error means "the database is unreachable right now" rather than "this work is wrong":
 * such failures are waited out, not counted against a message's attempts or answered with a 500.
 * See https://www.postgresql.org/docs/current/errcodes-appendix.html (classes 08, 53, 57).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let current = error as { code?: unknown; driverError?: unknown; message?: unknown } | undefined,
      depth = 0;
    current && depth < 3;
    depth += 1
  ) {
    if (typeof current.code === 'string' && transientCodes.has(current.code)) return true;
    if (
      typeof current.message === 'string' &&
      transientMessages.some((pattern) => pattern.test(current!.message as string))
    ) {
      return true;
    }
    current = current.driverError as typeof current;
  }
  return false;
}

import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Request } from 'express';

/** Who sent a request, from its verified bearer token. */
export interface Caller {
  /** The token's `sub`: the customer's id. */
  subject: string;
  /** The token's `roles` contains `admin`: an operator who may act for any customer. */
  admin: boolean;
  /** The token's `email` claim, unless the token says it is not verified. */
  email?: string;
}

/** The caller of an authenticated route, as AuthGuard attached it. */
export type AuthenticatedRequest = Request & { caller?: Caller };

export const PUBLIC_ROUTE = 'platform:public-route';
export const ADMIN_ONLY = 'platform:admin-only';

/** The route (or every route of the controller) answers without a token. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Only an admin token may call the route; a customer's gets 403. */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);

/** Injects the request's Caller (routes that are not Public only). */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (caller === undefined) throw new Error('CurrentCaller used on a route without AuthGuard');
  return caller;
});

/**
 * The customer whose data a caller may see: its own, or any one an admin names. A customer naming someone
 * else gets `undefined`, which routes answer with 404 (someone else's data does not exist for them).
 */
export function visibleCustomer(caller: Caller, requested: string | undefined): string | undefined {
  if (caller.admin) return requested;
  return requested === undefined || requested === caller.subject ? caller.subject : undefined;
}

/**
 * Rows a filtered list may show the caller: a customer naming another customer, or whose `orderId` filter
 * matched someone else's rows, gets `undefined` (answered with 404, as for someone else's single item).
 */
export function visibleRows<T extends { customerId: string }>(caller: Caller, rows: T[]): T[] | undefined {
  return caller.admin || rows.every((row) => row.customerId === caller.subject) ? rows : undefined;
}

/** The filters of a list by order or by customer (at least one given). */
export interface ListFilter {
  orderId?: string;
  customerId?: string;
}

/**
 * A list filtered by order or customer, as the caller may see it: `fetch` runs with a customer's own id in
 * place of the one it named; `undefined` (answered with 404) when it named another customer or the order's
 * rows are someone else's. An admin gets whatever the filter matches.
 */
export async function visibleList<T extends { customerId: string }>(
  caller: Caller,
  { orderId, customerId }: ListFilter,
  fetch: (filter: ListFilter) => Promise<T[]>,
): Promise<T[] | undefined> {
  const customer = customerId === undefined ? undefined : visibleCustomer(caller, customerId);
  if (customerId !== undefined && customer === undefined) return undefined;
  return visibleRows(caller, await fetch({ orderId, customerId: customer }));
}

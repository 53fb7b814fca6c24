import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { AuthenticatedRequest } from '@platform/service';

/**
 * Throttles `POST /orders` per token subject (not per address: many customers may share one proxy), at
 * ORDER_RATE_LIMIT_PER_MINUTE per process. Past the limit: 429 with `Retry-After` in seconds. Runs after the
 * global AuthGuard, so the caller is known.
 */
@Injectable()
export class OrderThrottle extends ThrottlerGuard {
  protected override async getTracker(request: AuthenticatedRequest): Promise<string> {
    return request.caller?.subject ?? request.ip ?? 'unknown';
  }

  protected override async getErrorMessage(
    _: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<string> {
    return `too many orders: at most ${detail.limit} a minute per customer; retry after ${detail.timeToBlockExpire} s`;
  }
}

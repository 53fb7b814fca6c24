import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { Request, Response } from 'express';
import { isDatabaseUnavailable } from '@platform/persistence';
import { describeThrown, stackOf } from './describe-thrown';

/**
 * Answers what no controller mapped: HTTP exceptions as Nest would, an unreachable database as 503 with a
 * hint to retry, and anything else, Error or not, as a JSON 500 without internals, logged with its route.
 */
@Catch()
export class UnexpectedErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HTTP');

  override catch(thrown: unknown, host: ArgumentsHost): void {
    if (thrown instanceof HttpException) return super.catch(thrown, host);
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    // The route pattern, not the URL: a URL may carry a customer id, which logs must not.
    const route = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? '(no route)'}`;
    if (isDatabaseUnavailable(thrown)) {
      this.logger.warn(`database unavailable in ${route}: ${describeThrown(thrown)}`);
      response.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '1').json({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: 'the database is unavailable right now; retry shortly',
      });
      return;
    }
    this.logger.error(`unexpected error in ${route}: ${describeThrown(thrown)}`, stackOf(thrown));
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: 'unexpected error; it has been logged',
    });
  }
}

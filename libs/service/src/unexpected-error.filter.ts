import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isDatabaseUnavailable } from '@platform/persistence';

/**
 * Answers what no controller mapped: HTTP exceptions as Nest would, an unreachable database as 503 with a
 * hint to retry, and anything else as a 500 without internals, logged with its stack.
 */
@Catch()
export class UnexpectedErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HTTP');

  override catch(error: unknown, host: ArgumentsHost): void {
    if (error instanceof HttpException) return super.catch(error, host);
    const response = host.switchToHttp().getResponse();
    if (isDatabaseUnavailable(error)) {
      this.logger.warn(`database unavailable: ${(error as Error).message}`);
      response.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '1').json({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: 'the database is unavailable right now; retry shortly',
      });
      return;
    }
    this.logger.error(
      `unexpected error: ${(error as Error)?.message ?? String(error)}`,
      (error as Error)?.stack,
    );
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: 'unexpected error; it has been logged',
    });
  }
}

import { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { MAX_NESTING, tooDeeplyNested } from './validators/nesting-depth';

/** Largest request body accepted; larger ones get 413. */
export const MAX_BODY = '1mb';

const parseJson = json({ limit: MAX_BODY });

/**
 * JSON body parsing that answers bad bodies itself, in the same JSON shape as validation errors:
 * 413 for bodies over 1 MiB, 400 for malformed JSON or JSON nested deeper than any request needs, instead
 * of Express's HTML error page or a validator exhausting its stack.
 */
export function jsonBody(request: Request, response: Response, next: NextFunction): void {
  parseJson(request, response, (error?: { type?: string; status?: number; message?: string }) => {
    if (!error) {
      const field = tooDeeplyNested(request.body);
      if (!field) return next();
      response.status(400).json({
        statusCode: 400,
        error: 'Bad Request',
        message: [`${field} is nested more than ${MAX_NESTING} levels deep`],
      });
      return;
    }
    if (error.type === 'entity.too.large') {
      response
        .status(413)
        .json({ statusCode: 413, error: 'Payload Too Large', message: `request body exceeds ${MAX_BODY}` });
      return;
    }
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 400;
    response.status(status).json({
      statusCode: status,
      error: 'Bad Request',
      message: error.type === 'entity.parse.failed' ? `malformed JSON body: ${error.message}` : error.message,
    });
  });
}

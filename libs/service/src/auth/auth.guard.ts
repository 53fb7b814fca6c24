import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Response } from 'express';
import { MetricsController } from '@platform/observability';
import { ADMIN_ONLY, AuthenticatedRequest, PUBLIC_ROUTE } from './caller';
import { TokenVerifier } from './token-verifier';

/**
 * Every HTTP route needs a valid bearer token unless marked Public (health, metrics, the public catalog;
 * `/docs` is served outside Nest's routes). No token or a bad one: 401 with `WWW-Authenticate: Bearer`; a
 * customer's token on an AdminOnly route: 403. The verified Caller is attached to the request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (context.getClass() === MetricsController || this.reflector.getAllAndOverride(PUBLIC_ROUTE, targets)) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const verification = await this.verifier.verify(request.headers.authorization);
    if (verification.kind === 'unavailable') throw new ServiceUnavailableException(verification.reason);
    if (verification.kind !== 'verified') {
      const challenge =
        verification.kind === 'missing'
          ? 'Bearer realm="platform"'
          : `Bearer realm="platform", error="invalid_token", error_description="${verification.reason.replace(/"/g, "'")}"`;
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', challenge);
      throw new UnauthorizedException(verification.reason);
    }
    request.caller = verification.caller;
    if (this.reflector.getAllAndOverride(ADMIN_ONLY, targets) && !verification.caller.admin) {
      throw new ForbiddenException('this needs an admin token (a roles claim containing "admin")');
    }
    return true;
  }
}

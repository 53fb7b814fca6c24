import { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { NonErrorThrown } from './non-error-thrown.error';

type RouteHandler = (...args: unknown[]) => unknown;

/** `handler`, except that a non-Error it throws or rejects with comes out as a NonErrorThrown. */
function throwingErrorsOnly(handler: RouteHandler): RouteHandler {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    let result: unknown;
    try {
      result = handler.apply(this, args);
    } catch (thrown) {
      throw NonErrorThrown.wrap(thrown);
    }
    return result instanceof Promise
      ? result.catch((thrown: unknown) => Promise.reject(NonErrorThrown.wrap(thrown)))
      : result;
  };
  // Nest reads a route's status code, headers, guards and pipes from metadata on the handler itself.
  for (const key of Reflect.getMetadataKeys(handler)) {
    Reflect.defineMetadata(key, Reflect.getMetadata(key, handler), wrapped);
  }
  Object.defineProperty(wrapped, 'name', { value: handler.name });
  return wrapped;
}

/**
 * Makes every route handler of the application (and so the command and query handlers it awaits) fail with
 * an Error whatever it throws. Called before the routes are registered; needed because tracing wraps each
 * route handler and reads `.message` of what it throws, which replaces an `undefined`, `null` or a
 * prototype-less object by a TypeError of its own and loses what was thrown.
 */
export function makeRouteHandlersThrowErrors(app: INestApplication): void {
  const scanner = new MetadataScanner();
  for (const { instance } of new DiscoveryService(app.get(ModulesContainer)).getControllers()) {
    if (!instance) continue;
    const controller = instance as Record<string, unknown>;
    const prototype = Object.getPrototypeOf(controller) as Record<string, RouteHandler>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      controller[name] = throwingErrorsOnly(handler);
    }
  }
}

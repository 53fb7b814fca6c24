import { INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { ConfigurationError, ServiceConfig } from '@platform/config';
import { createRootLogger, JsonLogger } from '@platform/observability';
import { describeThrown, stackOf } from './describe-thrown';
import { jsonBody } from './http-errors';
import { makeRouteHandlersThrowErrors } from './route-handlers-throw-errors';
import { StorableTextPipe } from './storable-text.pipe';
import { UnexpectedErrorFilter } from './unexpected-error.filter';

/**
 * Starts a service: reads and validates its configuration (exiting with the bad variable's name if wrong),
 * builds its module with JSON logs, security headers, strict validation, OpenAPI at `/docs` (unless
 * DOCS_ENABLED=false), graceful shutdown on
 * SIGTERM/SIGINT (ended within SHUTDOWN_TIMEOUT_MS whatever hangs), and listens on its port (exiting, naming
 * PORT, if it cannot). A rejection nobody handles is logged, not fatal.
 */
export async function bootstrapService<C extends ServiceConfig>(
  title: string,
  loadConfig: () => C,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rootModule: (config: C) => any,
): Promise<INestApplication> {
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${title}: ${error.message}\n`);
    process.exit(1);
  }
  const logger = new JsonLogger(createRootLogger(`${config.service}-service`, config.logLevel));
  // A promise nobody awaits (work a handler started and forgot) would otherwise end the process, taking every
  // request and message in flight with it; it is a bug to log, not a reason to stop serving.
  process.on('unhandledRejection', (reason) =>
    logger.error(`unhandled rejection, still serving: ${describeThrown(reason)}`, stackOf(reason), 'Process'),
  );
  const app = await NestFactory.create(rootModule(config), {
    logger,
    bodyParser: false,
    abortOnError: false,
  }).catch((error: Error) => {
    logger.fatal(`${title} failed to start: ${error.message}`, error.stack);
    process.exit(1);
  });
  // The usual security headers on every response, and no X-Powered-By. The content security policy allows
  // what Swagger UI needs (its scripts are served from /docs, its styles are partly inline) and does not ask
  // browsers to upgrade to HTTPS: services speak plain HTTP behind whatever terminates TLS, and an upgrade
  // would leave /docs blank on http://localhost.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  makeRouteHandlersThrowErrors(app);
  app.useGlobalFilters(new UnexpectedErrorFilter(app.get(HttpAdapterHost).httpAdapter));
  app.use(jsonBody);
  app.useGlobalPipes(
    new StorableTextPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  closeOnSignals(app, config.shutdownTimeoutMs);
  if (config.docsEnabled) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(title)
        .setVersion('1.0')
        .setDescription('Authorize with a bearer token: `npm run token -- <customer> [--admin]` prints one.')
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .addSecurityRequirements('bearer')
        .build(),
    );
    SwaggerModule.setup('docs', app, document);
  }
  try {
    await app.listen(config.port);
  } catch (error) {
    // Without this the rejection would be logged as "still serving" by a process that serves nothing.
    const reason =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'it is in use' : describeThrown(error);
    logger.fatal(`${title} cannot listen on port ${config.port} (PORT): ${reason}`, undefined, 'Bootstrap');
    await Promise.race([
      app.close(),
      new Promise((resolve) => setTimeout(resolve, config.shutdownTimeoutMs)),
    ]);
    process.exit(1);
  }
  new Logger('Bootstrap').log(`${title} listening on :${config.port}`);
  return app;
}

/**
 * SIGTERM or SIGINT runs Nest's shutdown hooks, then the process exits 0 by itself. Nest's own
 * enableShutdownHooks would re-raise the signal instead, which node ignores as PID 1 in a container: a
 * handle left open (a socket, a timer) then kept it running until the SIGKILL. Every shutdown step is
 * bounded, but the signal must end the process within SHUTDOWN_TIMEOUT_MS even if something unforeseen
 * hangs: it then exits 1, saying so. Other signals keep node's defaults.
 */
function closeOnSignals(app: INestApplication, timeoutMs: number): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    // Ctrl-C under `npm start` brings SIGINT from the terminal and SIGTERM from the runner: one shutdown.
    if (closing) return;
    closing = true;
    const logger = new Logger('Bootstrap');
    logger.log(`${signal}: shutting down (at most SHUTDOWN_TIMEOUT_MS=${timeoutMs})`);
    setTimeout(() => {
      logger.error(`shutdown after ${signal} took longer than SHUTDOWN_TIMEOUT_MS=${timeoutMs}; exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown after ${signal} failed: ${describeThrown(error)}`, stackOf(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

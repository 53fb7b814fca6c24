import { INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ConfigurationError, ServiceConfig } from '@platform/config';
import { createRootLogger, JsonLogger } from '@platform/observability';
import { describeThrown, stackOf } from './describe-thrown';
import { jsonBody } from './http-errors';
import { makeRouteHandlersThrowErrors } from './route-handlers-throw-errors';
import { StorableTextPipe } from './storable-text.pipe';
import { UnexpectedErrorFilter } from './unexpected-error.filter';

/**
 * Starts a service: reads and validates its configuration (exiting with the bad variable's name if wrong),
 * builds its module with JSON logs, strict validation, OpenAPI at `/docs`, graceful shutdown on
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
  app.enableShutdownHooks();
  exitIfShutdownHangs(config.shutdownTimeoutMs);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(title).setVersion('1.0').build(),
  );
  SwaggerModule.setup('docs', app, document);
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
 * Every shutdown step is bounded, but a signal must end the process within the timeout even if something
 * unforeseen hangs (an orchestrator would SIGKILL it soon after anyway): exit non-zero, saying so.
 */
function exitIfShutdownHangs(timeoutMs: number): void {
  const arm = (signal: NodeJS.Signals) => {
    setTimeout(() => {
      new Logger('Bootstrap').error(
        `shutdown after ${signal} took longer than SHUTDOWN_TIMEOUT_MS=${timeoutMs}; exiting`,
      );
      process.exit(1);
    }, timeoutMs).unref();
  };
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}

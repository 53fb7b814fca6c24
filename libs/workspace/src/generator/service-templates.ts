/**
 * The files of a new service, as text: a working example of every part a service has (configuration,
 * module, a feature with REST, a command it executes over RabbitMQ, an event it publishes, domain,
 * persistence, a migration, a unit spec and an integration spec), meant to be renamed and grown.
 */
import { ServiceNames } from './service-names';

/**
 * A library's import path. Spelled out at run time because the build's alias rewrite (tsc-alias) would
 * otherwise turn the literal paths inside these templates into relative paths of this file.
 */
const lib = (name: string) => `@platform/${name}`;

/** What the templates need besides the names. */
export interface ServiceTemplateInput {
  names: ServiceNames;
  port: number;
  description: string;
  /** Milliseconds since the epoch, the migration's timestamp (TypeORM orders migrations by it). */
  migrationTimestamp: number;
}

/** Path (relative to the repository root) to file content, for every new file. */
export function serviceFiles(input: ServiceTemplateInput): Record<string, string> {
  const { names, port, description, migrationTimestamp } = input;
  const { name, app, pascal, snake } = names;
  const startJob = `Start${pascal}Job`;
  const jobCompleted = `${pascal}JobCompleted`;
  const startJobFile = `start-${name}-job`;
  const jobCompletedFile = `${name}-job-completed`;
  const migration = `CreateJobs${migrationTimestamp}`;
  const config = `${pascal}Config`;
  const module = `${pascal}ServiceModule`;
  const at = `apps/${app}`;

  return {
    [`${at}/service.json`]: JSON.stringify({ name, port, database: snake, description }, null, 2) + '\n',

    [`libs/contracts/src/${name}/${startJobFile}.ts`]: `import { z } from 'zod';
import { storableText } from '../fields';
import { command } from '../message';

/**
 * Asks ${app} to do one job; executed once per jobId however often it arrives. An example to rename: say what
 * your service is asked to do, and name in \`sentBy\` the one service that asks (order-service here, as an
 * example): a delivery from any other service's broker user is dead-lettered.
 */
export class ${startJob} extends command(
  '${name}',
  '${startJob}',
  z.object({ jobId: z.uuid(), reference: storableText(1, 200) }),
  { sentBy: 'order' },
) {}
`,

    [`libs/contracts/src/${name}/${jobCompletedFile}.ts`]: `import { z } from 'zod';
import { storableText } from '../fields';
import { event } from '../message';

/** ${app} finished a job. Published once per job; subscribe to it in libs/contracts/src/consumers.ts. */
export class ${jobCompleted} extends event(
  '${name}',
  '${jobCompleted}',
  z.object({ jobId: z.uuid(), reference: storableText(1, 200), completedAt: z.iso.datetime() }),
) {}
`,

    [`${at}/src/main.ts`]: `/** Starts ${app}. Tracing is preloaded with \`--require\` before this file runs (see scripts/start-service.mjs). */
import 'reflect-metadata';
import { bootstrapService } from '${lib('service')}';
import { load${config} } from './config';
import { ${module} } from './${app}.module';

void bootstrapService(
  '${app}',
  () => load${config}(process.env),
  (config) => ${module}.register(config),
);
`,

    [`${at}/src/config.ts`]: `import { loadServiceConfig, ServiceConfig } from '${lib('config')}';
import identity from '../service.json';

/** ${app} configuration: the common settings only; add the service's own beside them (see payment-service). */
export abstract class ${config} extends ServiceConfig {}

/** Reads and validates ${app}'s environment; throws ConfigurationError naming the bad variable. */
export function load${config}(env: Record<string, string | undefined>): ${config} {
  return loadServiceConfig(identity, env);
}
`,

    [`${at}/src/${app}.module.ts`]: `import { DynamicModule, Module } from '@nestjs/common';
import { consumers } from '${lib('contracts')}';
import { messagingMigrations } from '${lib('messaging')}';
import { ServiceKitModule } from '${lib('service')}';
import { ${config} } from './config';
import { JobsModule } from './jobs/jobs.module';
import { ${migration} } from './jobs/persistence/create-jobs.migration';
import { JobRecord } from './jobs/persistence/job.record';

/** ${app}: wires the platform, its features, and what it consumes from other services. */
@Module({})
export class ${module} {
  static register(config: ${config}): DynamicModule {
    return {
      module: ${module},
      global: true,
      imports: [
        ServiceKitModule.forService({
          config,
          persistence: { entities: [JobRecord], migrations: [...messagingMigrations, ${migration}] },
          messaging: consumers['${name}'],
        }),
        JobsModule,
      ],
      providers: [{ provide: ${config}, useValue: config }],
      exports: [${config}],
    };
  }
}
`,

    [`${at}/src/jobs/jobs.module.ts`]: `import { Module } from '@nestjs/common';
import { ${startJob}Handler } from './commands/${startJobFile}.handler';
import { JobsController } from './jobs.controller';
import { JobRepository } from './persistence/job.repository';
import { GetJobHandler } from './queries/get-job.handler';

/** Jobs: done when asked over RabbitMQ, announced when done, readable over REST. */
@Module({
  controllers: [JobsController],
  providers: [JobRepository, ${startJob}Handler, GetJobHandler],
})
export class JobsModule {}
`,

    [`${at}/src/jobs/jobs.controller.ts`]: `import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminOnly } from '${lib('service')}';
import { JobIdParams } from './dto/job-id.params';
import { JobResponse } from './dto/job.response';
import { GetJob } from './queries/get-job.query';

/**
 * \`/jobs/{jobId}\`: what became of a job, for operators (a token with the admin role). Routes about a
 * customer's own data take \`@CurrentCaller()\` and answer 404 for someone else's (see orders in order-service).
 */
@ApiTags('jobs')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No bearer token, or not a valid one' })
@ApiForbiddenResponse({ description: 'Not an admin token' })
@AdminOnly()
@Controller('jobs')
export class JobsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':jobId')
  @ApiOperation({ summary: 'One job, once ${app} has done it' })
  @ApiOkResponse({ type: JobResponse })
  @ApiBadRequestResponse({ description: 'jobId is not a UUID' })
  @ApiNotFoundResponse({ description: 'No such job (yet)' })
  async getJob(@Param() { jobId }: JobIdParams): Promise<JobResponse> {
    const job = await this.queries.execute(new GetJob(jobId));
    if (!job) throw new NotFoundException(\`job \${jobId} not found\`);
    return JobResponse.of(job);
  }
}
`,

    [`${at}/src/jobs/dto/job-id.params.ts`]: `import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** The \`{jobId}\` path parameter. */
export class JobIdParams {
  @ApiProperty({ format: 'uuid', example: '0b6f3bd4-4f6c-4c4e-9f55-2f1f0b7e8c1a' })
  @IsUUID('all', { message: 'jobId must be a UUID' })
  jobId!: string;
}
`,

    [`${at}/src/jobs/dto/job.response.ts`]: `import { ApiProperty } from '@nestjs/swagger';
import { Job } from '../domain/job';

/** A job as the API shows it. */
export class JobResponse {
  @ApiProperty({ format: 'uuid' })
  jobId!: string;

  @ApiProperty({ example: 'order 42' })
  reference!: string;

  @ApiProperty({ format: 'date-time' })
  completedAt!: string;

  static of(job: Job): JobResponse {
    return { jobId: job.jobId, reference: job.reference, completedAt: job.completedAt.toISOString() };
  }
}
`,

    [`${at}/src/jobs/domain/job.ts`]: `/** A job ${app} has done. */
export interface Job {
  jobId: string;
  reference: string;
  completedAt: Date;
}

/** What to do when asked for a job: do it, or nothing because it is already done. */
export type JobDecision = { start: true; job: Job } | { start: false; job: Job };

/**
 * Decides on a request for a job: a job is done once, whatever the number of requests (business
 * idempotency, beside the inbox's per-message deduplication: a new message may ask again for the same job).
 */
export function startJob(existing: Job | undefined, request: { jobId: string; reference: string }, now: Date): JobDecision {
  if (existing) return { start: false, job: existing };
  return { start: true, job: { jobId: request.jobId, reference: request.reference, completedAt: now } };
}
`,

    [`${at}/src/jobs/domain/job.spec.ts`]: `import { startJob } from './job';

describe('startJob', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const request = { jobId: '0b6f3bd4-4f6c-4c4e-9f55-2f1f0b7e8c1a', reference: 'order 42' };

  it('starts a job never seen', () => {
    expect(startJob(undefined, request, now)).toEqual({ start: true, job: { ...request, completedAt: now } });
  });

  it('does a job once: a repeated request answers with the job already done', () => {
    const done = { ...request, completedAt: new Date('2025-12-31T00:00:00Z') };
    expect(startJob(done, { ...request, reference: 'another' }, now)).toEqual({ start: false, job: done });
  });
});
`,

    [`${at}/src/jobs/commands/${startJobFile}.handler.ts`]: `import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ${jobCompleted}, ${startJob} } from '${lib('contracts')}';
import { UnitOfWork } from '${lib('messaging')}';
import { TransactionScope } from '${lib('persistence')}';
import { startJob } from '../domain/job';
import { JobRepository } from '../persistence/job.repository';

/** Does a job once and announces it; a repeated request changes nothing and announces nothing. */
@CommandHandler(${startJob})
export class ${startJob}Handler implements ICommandHandler<${startJob}> {
  private readonly logger = new Logger(${startJob}Handler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly transactions: TransactionScope,
    private readonly jobs: JobRepository,
  ) {}

  async execute({ jobId, reference }: ${startJob}): Promise<void> {
    await this.unitOfWork.run(async ({ outbox }) => {
      const decision = startJob(await this.jobs.lock(jobId), { jobId, reference }, new Date());
      if (!decision.start) {
        this.logger.debug({ msg: 'job asked for again; already done', jobId });
        return;
      }
      const { job } = decision;
      await this.jobs.insert(job);
      outbox.add(${jobCompleted}.v1({ jobId, reference, completedAt: job.completedAt.toISOString() }));
      this.transactions.whenCommitted(() => this.logger.log({ msg: 'job done', jobId }));
    });
  }
}
`,

    [`${at}/src/jobs/queries/get-job.query.ts`]: `import { Query } from '@nestjs/cqrs';
import { Job } from '../domain/job';

/** What became of this job? Undefined until it is done. */
export class GetJob extends Query<Job | undefined> {
  constructor(readonly jobId: string) {
    super();
  }
}
`,

    [`${at}/src/jobs/queries/get-job.handler.ts`]: `import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Job } from '../domain/job';
import { JobRepository } from '../persistence/job.repository';
import { GetJob } from './get-job.query';

/** Reads one job. */
@QueryHandler(GetJob)
export class GetJobHandler implements IQueryHandler<GetJob> {
  constructor(private readonly jobs: JobRepository) {}

  execute({ jobId }: GetJob): Promise<Job | undefined> {
    return this.jobs.find(jobId);
  }
}
`,

    [`${at}/src/jobs/persistence/job.record.ts`]: `import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A row of \`jobs\`: a job done. */
@Entity('jobs')
export class JobRecord {
  @PrimaryColumn({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ name: 'completed_at', type: 'timestamptz' })
  completedAt!: Date;
}
`,

    [`${at}/src/jobs/persistence/job.repository.ts`]: `import { Injectable } from '@nestjs/common';
import { TransactionScope } from '${lib('persistence')}';
import { Job } from '../domain/job';
import { JobRecord } from './job.record';

/** Reads and writes \`jobs\` inside the open transaction, if any. */
@Injectable()
export class JobRepository {
  constructor(private readonly transactions: TransactionScope) {}

  private get records() {
    return this.transactions.manager.getRepository(JobRecord);
  }

  async find(jobId: string): Promise<Job | undefined> {
    return (await this.records.findOneBy({ jobId })) ?? undefined;
  }

  /**
   * The job if it is done, holding a transaction-scoped advisory lock on its id until the transaction ends:
   * two requests for one job that arrive together are decided one after the other.
   */
  async lock(jobId: string): Promise<Job | undefined> {
    await this.transactions.manager.query(\`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))\`, [jobId]);
    return this.find(jobId);
  }

  async insert(job: Job): Promise<void> {
    await this.records.insert(job);
  }
}
`,

    [`${at}/src/jobs/persistence/create-jobs.migration.ts`]: `import { MigrationInterface, QueryRunner } from 'typeorm';

/** The jobs ${app} has done, one row per job. */
export class ${migration} implements MigrationInterface {
  name = '${migration}';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`
      CREATE TABLE jobs (
        job_id       uuid PRIMARY KEY,
        reference    text NOT NULL,
        completed_at timestamptz NOT NULL
      )\`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP TABLE jobs\`);
  }
}
`,

    [`${at}/test/${name}.int-spec.ts`]: `import { randomUUID } from 'node:crypto';
import { ${jobCompleted}, ${startJob} } from '${lib('contracts')}';
import { ServiceHarness } from '${lib('testing')}';

describe('${app}', () => {
  let harness: ServiceHarness;

  beforeAll(async () => {
    harness = await ServiceHarness.start('${name}');
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('does a job asked for over RabbitMQ, announces it, and shows it over REST', async () => {
    const jobId = randomUUID();
    await harness.publish(${startJob}.v1({ jobId, reference: 'order 42' }));

    const completed = await harness.waitForSent(${jobCompleted}, (event) => event.jobId === jobId);
    expect(completed.reference).toBe('order 42');
    await harness.settled();
    const answer = await harness.http.get(\`/jobs/\${jobId}\`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ jobId, reference: 'order 42', completedAt: completed.completedAt });
  });

  it('does a job once, whether the same message is delivered twice or the job is asked for again', async () => {
    const jobId = randomUUID();
    const messageId = randomUUID();
    await harness.publish(${startJob}.v1({ jobId, reference: 'first' }), { messageId });
    await harness.publish(${startJob}.v1({ jobId, reference: 'first' }), { messageId });
    await harness.publish(${startJob}.v1({ jobId, reference: 'second' }));
    await harness.waitForSent(${jobCompleted}, (event) => event.jobId === jobId);
    await harness.settled();

    const completions = harness.sent(${jobCompleted}).filter((message) => message.payload.jobId === jobId);
    expect(completions).toHaveLength(1);
    expect((await harness.http.get(\`/jobs/\${jobId}\`)).body.reference).toBe('first');
  });

  it('answers 404 for a job not done and 400 naming jobId when it is not a UUID', async () => {
    expect((await harness.http.get(\`/jobs/\${randomUUID()}\`)).status).toBe(404);
    const invalid = await harness.http.get('/jobs/not-a-uuid');
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('jobId');
  });
});
`,
  };
}

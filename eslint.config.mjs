// Lint rules, including the import boundaries of the design card: services never import each other (by
// package path or relative path), `domain/` folders stay free of Nest, TypeORM and I/O, only libs/messaging
// talks to amqplib, and only libs/persistence and persistence/ folders touch TypeORM or pg. The services
// are the folders under apps/, so a generated service gets the same rules with no edit here.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const services = readdirSync(new URL('./apps', import.meta.url)).filter((name) => name.endsWith('-service'));

const broker = { group: ['amqplib', 'amqplib/*'], message: 'Only libs/messaging talks to RabbitMQ.' };
const database = {
  group: ['typeorm', 'typeorm/*', 'pg', 'pg/*'],
  message: 'Only libs/persistence and persistence/ folders touch the database.',
};
const otherServices = (own) => ({
  group: [
    '**/apps/**',
    ...services.filter((other) => other !== own).flatMap((other) => [other, `**/${other}`, `**/${other}/**`]),
  ],
  message: 'Services talk to each other only through libs/contracts messages.',
});
const io = {
  group: [
    '@nestjs/*',
    '@platform/messaging',
    '@platform/persistence',
    '@platform/service',
    '@platform/observability',
    '**/persistence/**',
    'node:*',
    ...['fs', 'fs/*', 'net', 'http', 'https', 'child_process', 'dgram', 'dns', 'tls', 'worker_threads'],
    'nodemailer',
    'prom-client',
    '@opentelemetry/*',
  ],
  message: 'domain/ holds entities, value objects and decisions: no Nest, database, broker or other I/O.',
};
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['.build/**', 'dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      ...restrict(broker, database, otherServices('')),
    },
  },
  { files: ['libs/persistence/src/**/*.ts'], rules: restrict(broker, otherServices('')) },
  { files: ['libs/messaging/src/**/*.ts'], rules: restrict(database, otherServices('')) },
  { files: ['libs/messaging/src/persistence/**/*.ts'], rules: restrict(otherServices('')) },
  ...services.flatMap((service) => [
    {
      files: [`apps/${service}/src/**/*.ts`],
      rules: restrict(broker, database, otherServices(service)),
    },
    {
      files: [`apps/${service}/src/**/persistence/**/*.ts`],
      rules: restrict(broker, otherServices(service)),
    },
    {
      files: [`apps/${service}/src/**/domain/**/*.ts`],
      ignores: ['**/*.spec.ts'],
      rules: restrict(broker, database, otherServices(service), io),
    },
  ]),
  // Tests, the benchmark and the fault suite drive the real broker and database directly to set up and observe.
  {
    files: ['**/test/**/*.ts', 'libs/testing/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts', 'chaos/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);

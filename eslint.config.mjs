// Lint rules, including the import boundaries of the design card: services never import each other,
// only libs/messaging talks to amqplib, and only libs/persistence and persistence/ folders touch TypeORM or pg.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const services = ['order', 'inventory', 'payment', 'notification'];
const broker = { group: ['amqplib', 'amqplib/*'], message: 'Only libs/messaging talks to RabbitMQ.' };
const database = {
  group: ['typeorm', 'typeorm/*', 'pg'],
  message: 'Only libs/persistence and persistence/ folders touch the database.',
};
const otherServices = (service) => ({
  group: [
    '**/apps/**',
    ...services.filter((other) => other !== service).map((other) => `**/${other}-service/**`),
  ],
  message: 'Services talk to each other only through libs/contracts messages.',
});
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
      files: [`apps/${service}-service/src/**/*.ts`],
      rules: restrict(broker, database, otherServices(service)),
    },
    {
      files: [`apps/${service}-service/src/**/persistence/**/*.ts`],
      rules: restrict(broker, otherServices(service)),
    },
  ]),
  // Tests, the benchmark and the fault suite drive the real broker and database directly to set up and observe.
  {
    files: ['**/test/**/*.ts', 'libs/testing/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts', 'chaos/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);

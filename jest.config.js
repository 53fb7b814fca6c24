// Jest projects: unit specs beside the code, integration and end-to-end specs under test/ (the fault suite's
// subset among the latter), and the compose test, which builds the images and runs the whole stack in
// containers: `npm test` leaves it out (--ignoreProjects compose), `npm run test:compose` runs it alone.
// Integration and e2e tests talk to the real RabbitMQ and PostgreSQL and so run one file at a time.
const paths = {
  '^@platform/(config|contracts|messaging|observability|persistence|service|testing|workspace)$':
    '<rootDir>/libs/$1/src',
};
const common = {
  rootDir: __dirname,
  // jose ships only ES modules, which Jest's CommonJS runtime cannot load: it is compiled like our code.
  transform: { '^.+\\.ts$': ['@swc/jest'], '/node_modules/jose/.+\\.js$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: paths,
  testEnvironment: 'node',
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{apps,libs}/*/src/**/*.spec.ts',
        '<rootDir>/chaos/**/*.spec.ts',
        '<rootDir>/bench/**/*.spec.ts',
        '<rootDir>/deploy/test/**/*.spec.ts',
      ],
    },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/*/test/**/*.int-spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,libs}/*/test/**/*.e2e-spec.ts', '<rootDir>/chaos/test/**/*.e2e-spec.ts'],
    },
    { ...common, displayName: 'compose', testMatch: ['<rootDir>/deploy/test/**/*.compose-spec.ts'] },
  ],
  testTimeout: 60000,
  maxWorkers: 1,
};

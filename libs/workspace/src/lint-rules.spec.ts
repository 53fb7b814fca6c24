import { execFileSync } from 'node:child_process';
import { repositoryRoot } from './services';

// ESLint loads its flat config with a dynamic import, which Jest's module sandbox does not allow: the
// snippets are linted by ESLint's API in one plain node process, with eslint.config.mjs as the repo has it.
const lintInNode = `
  const { ESLint } = require('eslint');
  const eslint = new ESLint({ cwd: process.cwd() });
  const snippets = JSON.parse(process.argv[1]);
  Promise.all(snippets.map(({ filePath, source }) => eslint.lintText(source, { filePath }))).then((results) => {
    const restricted = results.map(([result]) =>
      result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
    process.stdout.write(JSON.stringify(restricted));
  });
`;

type Snippet = { filePath: string; module: string };

const refused: Record<string, Snippet> = {
  'a service importing another by relative path': {
    filePath: 'apps/order-service/src/orders/orders.module.ts',
    module: '../../../inventory-service/src/products/domain/product',
  },
  'a service importing another by its folder': {
    filePath: 'apps/order-service/src/orders/orders.module.ts',
    module: '../../inventory-service',
  },
  'a service importing another through apps/': {
    filePath: 'apps/order-service/src/orders/orders.module.ts',
    module: 'apps/payment-service/src/config',
  },
  'a service importing the broker client': {
    filePath: 'apps/order-service/src/orders/orders.module.ts',
    module: 'amqplib',
  },
  'a service importing TypeORM outside persistence/': {
    filePath: 'apps/order-service/src/orders/orders.module.ts',
    module: 'typeorm',
  },
  ...Object.fromEntries(
    [
      '@nestjs/common',
      'typeorm',
      'pg',
      '@platform/messaging',
      '../persistence/product.record',
      'node:fs',
    ].map((module) => [
      `domain/ importing ${module}`,
      { filePath: 'apps/inventory-service/src/products/domain/reserve-all.ts', module },
    ]),
  ),
};

const allowed: Record<string, Snippet> = {
  'domain/ importing contracts': {
    filePath: 'apps/inventory-service/src/products/domain/reserve-all.ts',
    module: '@platform/contracts',
  },
  'domain/ importing its own files': {
    filePath: 'apps/inventory-service/src/products/domain/reserve-all.ts',
    module: './product',
  },
  'a persistence/ folder importing TypeORM': {
    filePath: 'apps/payment-service/src/payments/persistence/payment.repository.ts',
    module: 'typeorm',
  },
  'a service importing its own feature': {
    filePath: 'apps/payment-service/src/payments/payments.module.ts',
    module: '../accounts/accounts.module',
  },
  'a service importing a library': {
    filePath: 'apps/payment-service/src/payments/payments.module.ts',
    module: '@platform/persistence',
  },
};

/** The import boundaries of eslint.config.mjs, checked on code as it would be written in each place. */
describe('lint rules', () => {
  const messages = new Map<string, string[]>();

  beforeAll(() => {
    const cases = { ...refused, ...allowed };
    const snippets = Object.values(cases).map(({ filePath, module }) => ({
      filePath,
      source: `import imported from '${module}';\nexport const used = imported;\n`,
    }));
    const output = execFileSync(process.execPath, ['-e', lintInNode, JSON.stringify(snippets)], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    });
    const results = JSON.parse(output) as string[][];
    Object.keys(cases).forEach((name, index) => messages.set(name, results[index]));
  }, 60_000);

  it.each(Object.keys(refused))('refuses %s', (name) => {
    expect(messages.get(name)).toHaveLength(1);
  });

  it.each(Object.keys(allowed))('allows %s', (name) => {
    expect(messages.get(name)).toEqual([]);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { transformFileSync } from '@swc/core';
import { distDir, ServiceProcess, spawnScript, untilAnswering } from './service-process';

const platformLibrary = /require\("@platform\/([a-z]+)"\)/g;

/**
 * Compiles a TypeScript test fixture (a small app built on the platform libraries, kept beside the test that
 * needs it) into `dist/test-fixtures/`, where it finds the built libraries and node_modules as a service does.
 */
export function buildFixture(file: string): string {
  const output = join(distDir, 'test-fixtures', `${basename(file, '.ts')}.js`);
  const { code } = transformFileSync(file, {
    swcrc: false,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  });
  const toLibrary = (_: string, library: string) =>
    `require(${JSON.stringify(`./${relative(join(distDir, 'test-fixtures'), join(distDir, 'libs', library, 'src'))}`)})`;
  mkdirSync(join(distDir, 'test-fixtures'), { recursive: true });
  writeFileSync(output, code.replace(platformLibrary, toLibrary));
  return output;
}

/** Builds a fixture app and runs it as its own process, resolving once `readyPath` answers 200. */
export function startFixture(
  file: string,
  env: Record<string, string>,
  readyPath: string,
  timeoutMs = 30_000,
): Promise<ServiceProcess> {
  return untilAnswering(spawnScript(basename(file, '.ts'), buildFixture(file), env), readyPath, timeoutMs);
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('onProcessExit', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'exit-cleanup-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  // Jest gives a test file a copy of `process`: listeners registered on the copy never hear the signal.
  it('runs the cleanups of a Jest test file that is interrupted (Ctrl-C)', () => {
    const marker = join(folder, 'marker');
    const root = join(__dirname, '..', '..', '..');
    const config = {
      rootDir: root,
      testMatch: ['<rootDir>/libs/testing/src/exit-cleanup.fixture.ts'],
      transform: { '^.+\\.ts$': ['@swc/jest'] },
      testEnvironment: 'node',
    };
    const result = spawnSync(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config)],
      { cwd: root, env: { ...process.env, EXIT_CLEANUP_MARKER: marker }, encoding: 'utf8', timeout: 60_000 },
    );
    expect({ status: result.status, cleanedUp: existsSync(marker) && readFileSync(marker, 'utf8') }).toEqual({
      status: 130,
      cleanedUp: 'cleaned up',
    });
  }, 60_000);
});

/**
 * The alert rules of deploy/prometheus/alerts.yml are valid and do what their unit tests say
 * (deploy/prometheus/alerts.test.yml), with promtool from Debian's `prometheus` package.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '@platform/workspace';

const run = promisify(execFile);
const folder = join(repositoryRoot, 'deploy/prometheus');

async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: folder });
    return stdout + stderr;
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: string; stdout?: string; stderr?: string };
    if (code === 'ENOENT') {
      throw new Error('promtool is not installed: apt-get install prometheus (Debian) brings it', {
        cause: error,
      });
    }
    throw new Error(`promtool ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

describe('alert rules', () => {
  it('are valid rules', async () => {
    expect(await promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('pass their unit tests', async () => {
    expect(await promtool('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
  });

  it('are loaded by the compose Prometheus', async () => {
    expect(await promtool('check', 'config', 'prometheus.yml')).toMatch(/SUCCESS: 1 rule files found/);
  });
});

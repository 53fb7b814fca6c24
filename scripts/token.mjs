// `npm run token -- <subject> [--admin]`: builds once if the repository never was, then prints a development
// bearer token on the last line (libs/workspace/src/cli/token.ts). Build output goes to stderr.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './services.mjs';

const cli = join(root, 'dist', 'libs', 'workspace', 'src', 'cli', 'token.js');
if (!existsSync(cli)) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);

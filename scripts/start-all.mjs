// `npm start`: builds if needed, declares the broker topology, then runs every service with its output
// prefixed by its name.
// Each service creates its database if missing and runs its migrations at start. Ctrl-C stops them all.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { applyTopology, isBuilt, nodeArgs, root, serviceNames } from './services.mjs';

const names = serviceNames();
if (!isBuilt(names)) {
  console.log('building...');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

applyTopology();
const width = Math.max(...names.map((name) => name.length));
const children = names.map((name) => {
  const child = spawn(process.execPath, nodeArgs(name), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `${name.padEnd(width)} | `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(prefix + line + '\n'));
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
    if (!stopping) stop(code || 1);
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const force = setTimeout(() => children.forEach((child) => child.kill('SIGKILL')), 15_000).unref();
  Promise.all(
    children.map((child) => child.exitCode !== null || new Promise((r) => child.on('exit', r))),
  ).then(() => {
    clearTimeout(force);
    process.exit(code);
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

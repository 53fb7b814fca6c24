// `npm run start:<service>`: runs one built service in the foreground (builds first if it never was), after
// declaring the broker topology of the whole system.
import { spawn, spawnSync } from 'node:child_process';
import { applyTopology, isBuilt, nodeArgs, root, serviceNames } from './services.mjs';

const name = process.argv[2];
if (!serviceNames().includes(name)) {
  console.error(`unknown service "${name}"; one of: ${serviceNames().join(', ')}`);
  process.exit(2);
}
if (!isBuilt([name])) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
applyTopology();
const child = spawn(process.execPath, nodeArgs(name), { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/** Run by exit-cleanup.spec.ts in a Jest process of its own: registers a cleanup, then is interrupted. */
import { writeFileSync } from 'node:fs';
import { onProcessExit } from './exit-cleanup';

it('is interrupted while a cleanup is registered', async () => {
  onProcessExit(() => writeFileSync(String(process.env.EXIT_CLEANUP_MARKER), 'cleaned up'));
  process.kill(process.pid, 'SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 10_000));
});

/**
 * Last-resort cleanups for what a test run starts outside itself (broker nodes, database servers, service
 * processes): run synchronously when the process exits, is interrupted (Ctrl-C) or terminated, so none of it
 * outlives a failed or aborted run. Orderly teardown stays the caller's job; this is the safety net.
 */
const cleanups = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: one failed cleanup must not keep the others from running.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: cleaning up before exit\n`);
      runAll();
      process.exit(code);
    });
  }
}

/** Registers a synchronous cleanup; the returned function unregisters it (call it after an orderly teardown). */
export function onProcessExit(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Blocks the thread for `ms`: only for the synchronous cleanup path, where awaiting is impossible. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Last-resort cleanups for what a test run starts outside itself (broker nodes, database servers, service
 * processes, compose stacks): run synchronously when the process exits, is interrupted (Ctrl-C) or
 * terminated, so none of it outlives a failed or aborted run. Orderly teardown stays the caller's job; this
 * is the safety net.
 */
import { runInThisContext } from 'node:vm';

/**
 * The real process object. Inside a Jest test file `process` is a copy whose `exit` and signal events the
 * real process never emits, so listeners on it would never run; `runInThisContext` evaluates in the main
 * context and gives the real one (outside Jest, the same object as `process`).
 */
const realProcess = runInThisContext('process') as NodeJS.Process;
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
  realProcess.on('exit', runAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    realProcess.on(signal, () => {
      realProcess.stderr.write(`\n${signal}: cleaning up before exit\n`);
      runAll();
      realProcess.exit(code);
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

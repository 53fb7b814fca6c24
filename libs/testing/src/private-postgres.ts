import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { queryDatabase } from './database-probe';
import { onProcessExit } from './exit-cleanup';
import { unusedStablePort } from './unused-port';

const run = promisify(execFile);
const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A throwaway PostgreSQL server of its own (data folder under /tmp, trust authentication, a free port), for
 * fault tests that crash or restart the database: the machine's own server is never touched. It is stopped
 * and its folder removed however the run ends.
 */
export class PrivatePostgres {
  private readonly unregister: () => void;
  private stopped = false;

  private constructor(
    readonly port: number,
    private readonly directory: string,
  ) {
    this.unregister = onProcessExit(() => this.stopNow());
  }

  /** Creates a cluster with initdb and starts it (a couple of seconds). */
  static async start(): Promise<PrivatePostgres> {
    const directory = mkdtempSync(join(tmpdir(), 'private-postgres-'));
    mkdirSync(join(directory, 'socket'));
    execFileSync('chown', ['-R', 'postgres:postgres', directory]);
    const server = new PrivatePostgres(await unusedStablePort(), directory);
    try {
      await server.asPostgres('initdb', [
        '-D',
        server.dataDirectory,
        '-A',
        'trust',
        '-U',
        'postgres',
        '--no-sync',
      ]);
      await server.pgCtl(['start']);
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  /** The server URL without a database, as services take it in POSTGRES_URL. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}`;
  }

  databaseUrl(database: string): string {
    return `${this.url}/${database}`;
  }

  query<T = Record<string, unknown>>(database: string, sql: string, values: unknown[] = []): Promise<T[]> {
    return queryDatabase<T>(this.databaseUrl(database), sql, values);
  }

  /** An immediate-mode restart: every backend is killed without a checkpoint, and the server recovers, as after a crash. */
  async restartImmediately(): Promise<void> {
    await this.pgCtl(['restart', '-m', 'immediate']);
  }

  /** Stops the server and removes its folder. Safe to call twice. */
  async destroy(): Promise<void> {
    if (!this.stopped) await this.pgCtl(['stop', '-m', 'immediate']).catch(() => undefined);
    this.stopNow();
  }

  private get dataDirectory(): string {
    return join(this.directory, 'data');
  }

  private pgCtl(args: string[]): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${join(this.directory, 'socket')}`,
      '-c listen_addresses=127.0.0.1',
      // Throwaway data: a crash of the server process loses nothing without fsync, only an OS crash would.
      '-c fsync=off',
      '-c max_connections=300',
    ].join(' ');
    return this.asPostgres('pg_ctl', [
      '-D',
      this.dataDirectory,
      '-l',
      join(this.directory, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      options,
      ...args,
    ]);
  }

  private async asPostgres(program: string, args: string[]): Promise<void> {
    await run('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, program), ...args], {
      cwd: this.directory,
      timeout: 120_000,
    });
  }

  private stopNow(): void {
    if (!this.stopped) {
      this.stopped = true;
      try {
        execFileSync(
          'runuser',
          [
            '-u',
            'postgres',
            '--',
            join(POSTGRES_BIN, 'pg_ctl'),
            '-D',
            this.dataDirectory,
            '-m',
            'immediate',
            'stop',
          ],
          { stdio: 'ignore', cwd: this.directory },
        );
      } catch {
        // Not running.
      }
    }
    rmSync(this.directory, { recursive: true, force: true });
    this.unregister();
  }
}

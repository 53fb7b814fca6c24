import { Fault } from '../fault';

/** PostgreSQL restarted in immediate mode (every backend killed, crash recovery) under load. */
export function postgresImmediateRestart(): Fault {
  return {
    name: 'postgres-immediate-restart',
    summary: 'PostgreSQL pg_ctl restart -m immediate mid-load',
    async inject({ infrastructure, progress }) {
      progress('pg_ctl restart -m immediate');
      await infrastructure.postgres.restartImmediately();
    },
  };
}

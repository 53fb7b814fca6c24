/**
 * CPU time and resident memory of processes, read from /proc (Linux): the services by pid, PostgreSQL and
 * RabbitMQ by process name (every backend of the server, so whatever else uses them on the host counts too).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every Linux port that matters). */
const TICKS_PER_SECOND = 100;

/** A group of processes watched together under one name. */
export interface WatchedGroup {
  name: string;
  pids: () => number[];
  /** Whether to sample its resident memory (scanning many processes often costs the host CPU too). */
  sampleMemory: boolean;
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** User plus system CPU seconds a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  const stat = readOr(`/proc/${pid}/stat`);
  if (!stat) return 0;
  // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set size in bytes; 0 once the process is gone. */
export function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readOr(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) * 1024 : 0;
}

/** Every process whose command name is one of `names` (e.g. `postgres`, `beam.smp`). */
export function pidsNamed(...names: string[]): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => names.includes((readOr(`/proc/${pid}/comm`) ?? '').trim()));
}

/** What a group used over one sampled stretch of time. */
export interface GroupUsage {
  name: string;
  cpuSeconds: number;
  /** The highest resident memory seen, summed over the group's processes at each sample. */
  peakResidentBytes: number;
}

/**
 * Samples groups every `everyMs` from `start` until `stop`, which resolves to each group's CPU seconds over
 * the stretch (processes that started meanwhile count from their start) and peak resident memory.
 */
export class UsageSampler {
  private readonly startCpu = new Map<number, number>();
  private readonly peak = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly groups: WatchedGroup[]) {}

  start(everyMs = 250): void {
    for (const group of this.groups) for (const pid of group.pids()) this.startCpu.set(pid, cpuSeconds(pid));
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): GroupUsage[] {
    clearInterval(this.timer);
    this.sample();
    return this.groups.map((group) => ({
      name: group.name,
      cpuSeconds: group.pids().reduce((sum, pid) => sum + cpuSeconds(pid) - (this.startCpu.get(pid) ?? 0), 0),
      peakResidentBytes: this.peak.get(group.name) ?? 0,
    }));
  }

  private sample(): void {
    for (const group of this.groups.filter((candidate) => candidate.sampleMemory)) {
      const resident = group.pids().reduce((sum, pid) => sum + residentBytes(pid), 0);
      this.peak.set(group.name, Math.max(this.peak.get(group.name) ?? 0, resident));
    }
  }
}

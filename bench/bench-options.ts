/** What `npm run bench -- [scenario ...] [--option=value ...]` asks for. */

/** The parts of the benchmark, in the order they run. */
export const scenarioNames = [
  'baseline',
  'outbox',
  'light',
  'open',
  'closed',
  'tracing',
  'replicas',
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

/** Names that stand for several scenarios. */
const groups: Record<string, ScenarioName[]> = {
  all: [...scenarioNames],
  saga: ['light', 'open', 'closed'],
  infrastructure: ['baseline', 'outbox'],
};

export interface BenchOptions {
  scenarios: ScenarioName[];
  /** Seconds of the open and closed loops. */
  durationS: number;
  /** Orders placed one at a time at light load. */
  lightOrders: number;
  /** Orders per second of the open loop. */
  openRate: number;
  /** Concurrent clients of the closed loop. */
  clients: number;
  /**
   * Seconds the closed loop runs unmeasured first, so every process has compiled its hot paths: without it
   * a shape that starts more processes (two replicas) pays more warm-up inside the measured window.
   */
  warmupS: number;
  /** Appends the table to docs/benchmarks.md (off with --no-record). */
  record: boolean;
  /**
   * Runs everything on a RabbitMQ node of its own started for the run (--private-broker) rather than on
   * RABBITMQ_URL: on a shared machine, other users' queues then do not load the broker measured.
   */
  privateBroker: boolean;
}

export const defaultOptions: Omit<BenchOptions, 'scenarios'> = {
  durationS: 10,
  lightOrders: 40,
  openRate: 100,
  clients: 64,
  warmupS: 10,
  record: true,
  privateBroker: false,
};

export const usage = `usage: npm run bench -- [scenario ...] [--duration=s] [--light-orders=n] [--rate=n] [--clients=n] [--warmup=s] [--no-record] [--private-broker]
scenarios: ${scenarioNames.join(', ')}; groups: ${Object.entries(groups)
  .map(([name, members]) => `${name} (${members.join(' ')})`)
  .join(', ')}; default all`;

const numericOptions: Record<string, keyof Omit<BenchOptions, 'scenarios' | 'record' | 'privateBroker'>> = {
  duration: 'durationS',
  'light-orders': 'lightOrders',
  rate: 'openRate',
  clients: 'clients',
  warmup: 'warmupS',
};

/** Parses the command line; throws with the usage on anything it does not know. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options = { ...defaultOptions };
  const chosen = new Set<ScenarioName>();
  for (const argument of argv) {
    if (argument === '--no-record' || argument === '--private-broker') {
      if (argument === '--no-record') options.record = false;
      else options.privateBroker = true;
      continue;
    }
    const option = /^--([a-z-]+)=(.+)$/.exec(argument);
    if (option) {
      const key = numericOptions[option[1]];
      const value = Number(option[2]);
      // Only the warm-up may be 0 (none).
      if (!key || !Number.isFinite(value) || value < 0 || (value === 0 && key !== 'warmupS')) {
        throw new Error(`bad option ${argument}\n${usage}`);
      }
      options[key] = value;
      continue;
    }
    const members = groups[argument] ?? (scenarioNames.includes(argument as ScenarioName) ? [argument] : []);
    if (members.length === 0) throw new Error(`unknown scenario "${argument}"\n${usage}`);
    for (const member of members) chosen.add(member as ScenarioName);
  }
  const scenarios = scenarioNames.filter((name) => chosen.size === 0 || chosen.has(name));
  return { ...options, scenarios };
}

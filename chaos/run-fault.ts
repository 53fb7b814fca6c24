import { sleep } from '@platform/testing';
import { catalogueFor, Catalogue, seedCatalogue } from './catalogue';
import { ChaosInfrastructure } from './chaos-infrastructure';
import { ChaosPlatform, DATABASES, defaultShape, PlatformShape } from './chaos-platform';
import { Fault, FaultContext } from './fault';
import { observe, takeDeadLetters, unpublishedOutboxRows } from './observations';
import { OrderLoad } from './order-load';
import { judge, TERMINAL_WITHIN_S, Verdict } from './pass-rules';

/** Load before the fault is injected and after it ends. */
const LOAD_BEFORE_MS = 5_000;
const LOAD_AFTER_MS = 5_000;
/** After every order ended: how long to wait for the rest (stock settled, outbox and queues empty, mail sent). */
const QUIET_WITHIN_MS = 30_000;

/** What the suite keeps between faults: its infrastructure and the platform, reused while that is sound. */
export interface SuiteState {
  infrastructure: ChaosInfrastructure;
  runId: string;
  platform?: ChaosPlatform;
  /** Whether the running platform may serve the next fault as it is (default shape, last fault passed). */
  reusable: boolean;
}

/** The outcome of one fault: its verdict, how long it took, and the folder with the logs. */
export interface FaultResult {
  fault: string;
  verdict: Verdict;
  seconds: number;
}

/**
 * Runs one fault: the platform in the fault's shape, a fresh catalogue seeded, steady load, the fault injected
 * mid-load and restored, the load stopped, every accepted order given until 60 s after the fault's end, then
 * the state read and judged by the pass rules.
 */
export async function runFault(
  fault: Fault,
  state: SuiteState,
  index: number,
  print: (line: string) => void,
): Promise<FaultResult> {
  const started = Date.now();
  const progress = (message: string) =>
    print(`  [${fault.name} +${((Date.now() - started) / 1000).toFixed(0)}s] ${message}`);
  const shape: PlatformShape = { ...defaultShape, ...fault.shape };
  const platform = await preparePlatform(state, shape, progress);
  const tag = `${state.runId}-${String(index + 1).padStart(2, '0')}`;
  const catalogue = catalogueFor(tag);
  await seedCatalogue(catalogue, { inventory: platform.url('inventory'), payment: platform.url('payment') });
  const context: FaultContext = { infrastructure: state.infrastructure, platform, tag, poison: [], progress };

  const load = new OrderLoad(
    platform.instances.order.map((instance) => instance.url),
    catalogue,
    fault.load,
  );
  const windowStart = Date.now();
  load.start();
  progress('load running');
  await sleep(LOAD_BEFORE_MS);
  const harnessErrors: string[] = [];
  try {
    await fault.inject(context);
    if (fault.holdMs) await sleep(fault.holdMs);
  } catch (error) {
    harnessErrors.push(`inject: ${(error as Error).message}`);
  } finally {
    await fault.restore?.(context).catch((error: Error) => harnessErrors.push(`restore: ${error.message}`));
  }
  const faultEndedAt = Date.now();
  progress('fault over');
  await sleep(LOAD_AFTER_MS);
  await load.stop();
  const accepted = load.accepted().map((order) => order.orderId!);
  progress(
    `load stopped: ${load.orders.length} placed, ${accepted.length} accepted; waiting for them to end`,
  );
  await untilTerminal(state.infrastructure, accepted, faultEndedAt + TERMINAL_WITHIN_S * 1000, progress);
  await untilQuiet(state.infrastructure, shape.vhost, catalogue, progress);

  const observations = await observe(state.infrastructure, catalogue);
  const deadLetters = await takeDeadLetters(state.infrastructure, shape.vhost);
  const notReady = await platform.notReady(10_000);
  const notInjected = await fault.verify?.(context);
  const exits = platform.exits().filter((exit) => exit.at.getTime() >= windowStart);
  const verdict = judge({
    catalogue,
    placed: load.orders,
    observations,
    faultEndedAt,
    deadLetters,
    poison: context.poison,
    unexpectedExits: exits.filter((exit) => exit.cause === 'unexpected'),
    notificationKills: exits.filter(
      (exit) =>
        exit.instance.startsWith('notification-') &&
        (exit.cause === 'killed' || exit.cause === 'crash-point'),
    ).length,
    notReady,
    notInjected,
  });
  verdict.failures.unshift(...harnessErrors.map((error) => `harness error (${error})`));
  state.reusable = verdict.failures.length === 0 && isDefault(shape);
  return { fault: fault.name, verdict, seconds: (Date.now() - started) / 1000 };
}

/** The platform in `shape`: the running one if it is sound and default-shaped, else a fresh start. */
async function preparePlatform(
  state: SuiteState,
  shape: PlatformShape,
  progress: (message: string) => void,
): Promise<ChaosPlatform> {
  if (state.platform && state.reusable && isDefault(shape)) return state.platform;
  if (state.platform) {
    progress('stopping the platform');
    await state.platform.stop();
    state.platform = undefined;
  }
  if (shape.vhost !== defaultShape.vhost) await state.infrastructure.rabbitmq.addVhost(shape.vhost);
  progress(`starting the platform (${describe(shape)})`);
  state.platform = await ChaosPlatform.start(state.infrastructure, shape);
  state.reusable = false;
  return state.platform;
}

function isDefault(shape: PlatformShape): boolean {
  return (
    shape.replicas === 1 &&
    shape.vhost === defaultShape.vhost &&
    !shape.startLast &&
    Object.keys(shape.environment).length === 0
  );
}

function describe(shape: PlatformShape): string {
  const parts = [`${shape.replicas} replica${shape.replicas > 1 ? 's' : ''} each`, `vhost ${shape.vhost}`];
  for (const [service, variables] of Object.entries(shape.environment)) {
    parts.push(
      `${service}: ${Object.entries(variables ?? {})
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}`,
    );
  }
  if (shape.startLast) parts.push(`${shape.startLast} started last`);
  return parts.join(', ');
}

/** Polls until every accepted order is CONFIRMED or CANCELLED, or the deadline passes. */
async function untilTerminal(
  infrastructure: ChaosInfrastructure,
  orderIds: string[],
  deadline: number,
  progress: (message: string) => void,
): Promise<void> {
  let reported = Date.now();
  for (;;) {
    const [row] = await infrastructure.postgres
      .query<{ count: string }>(
        DATABASES.order,
        `SELECT count(*) FROM orders WHERE id = ANY($1::uuid[]) AND status <> 'PENDING'`,
        [orderIds],
      )
      .catch(() => [{ count: '0' }]);
    const open = orderIds.length - Number(row.count);
    if (open === 0) return;
    if (Date.now() > deadline) return progress(`${open} accepted orders still not ended at the deadline`);
    if (Date.now() - reported > 10_000) {
      reported = Date.now();
      progress(`${open} accepted orders not ended yet`);
    }
    await sleep(1_000);
  }
}

/**
 * Waits (bounded) for what follows an order's end: inventory settling stock, outboxes drained, work and retry
 * queues empty, notifications sent. What is still not quiet then is for the pass rules to report.
 */
async function untilQuiet(
  infrastructure: ChaosInfrastructure,
  vhost: string,
  catalogue: Catalogue,
  progress: (message: string) => void,
): Promise<void> {
  const deadline = Date.now() + QUIET_WITHIN_MS;
  let busy: string[] = [];
  while (Date.now() < deadline) {
    busy = await stillBusy(infrastructure, vhost, catalogue).catch((error: Error) => [error.message]);
    if (busy.length === 0) return;
    await sleep(1_000);
  }
  progress(`not quiet after ${QUIET_WITHIN_MS / 1000} s: ${busy.join(', ')}`);
}

async function stillBusy(
  infrastructure: ChaosInfrastructure,
  vhost: string,
  catalogue: Catalogue,
): Promise<string[]> {
  const busy: string[] = [];
  const unpublished = await unpublishedOutboxRows(infrastructure);
  for (const [service, count] of Object.entries(unpublished))
    if (count > 0) busy.push(`${service} outbox ${count}`);
  const [reserved] = await infrastructure.postgres.query<{ units: string | null }>(
    DATABASES.inventory,
    `SELECT sum(reserved) AS units FROM products WHERE sku LIKE $1`,
    [`${catalogue.tag}-%`],
  );
  if (Number(reserved.units ?? 0) > 0) busy.push(`${reserved.units} units reserved`);
  const [unsent] = await infrastructure.postgres.query<{ count: string }>(
    DATABASES.notification,
    `SELECT count(*) FROM notifications WHERE customer_id LIKE $1 AND status = 'PENDING'`,
    [`${catalogue.tag}-%`],
  );
  if (Number(unsent.count) > 0) busy.push(`${unsent.count} notifications unsent`);
  for (const [queue, messages] of await infrastructure.rabbitmq.queueDepths(vhost)) {
    if (messages > 0 && !queue.endsWith('.dlq')) busy.push(`${queue} ${messages}`);
  }
  return busy;
}

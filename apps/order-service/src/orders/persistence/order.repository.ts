import { Injectable } from '@nestjs/common';
import { queryPrepared, TransactionScope } from '@platform/persistence';
import { EntityManager, In } from 'typeorm';
import { TraceCarrier } from '@platform/messaging';
import { CancellationReason } from '@platform/contracts';
import { Order, OrderStatus, SagaStep } from '../domain/order';
import { OrderLine } from '../domain/price-lines';
import { OrderLineRecord } from './order-line.record';
import { OrderRecord } from './order.record';

/** The key a client sent to make retries of one request safe, and the fingerprint of that request's body. */
export interface IdempotencyKey {
  key: string;
  fingerprint: string;
}

/** What is stored with a new order besides the aggregate. */
export interface Placement {
  idempotency?: IdempotencyKey;
  /** The trace of the request that placed the order; work started later by a timer continues it. */
  traceContext: TraceCarrier;
}

/** A pending order past its step deadline, claimed for this transaction, with the trace it belongs to. */
export interface OverdueOrder {
  order: Order;
  traceContext: TraceCarrier;
}

/** A row of `lock`'s statement: the order as locked, its lines, and whether those are as of the lock. */
interface LockedOrderRow {
  id: string;
  customerId: string;
  customerEmail: string | null;
  status: OrderStatus;
  cancellationReason: CancellationReason | null;
  step: SagaStep | null;
  stepDeadline: Date | null;
  /** bigint cents, as text. */
  total: string | null;
  createdAt: Date;
  updatedAt: Date;
  linesCurrent: boolean;
  /** null when the order has no lines (json_agg of nothing). */
  lines: OrderLine[] | null;
}

/** Whether `add` inserted the order, or which order already holds its idempotency key. */
export type AddResult = { added: true } | { added: false; holder: { orderId: string; fingerprint: string } };

/**
 * Orders as aggregates, in the open transaction: inserted when placed, locked and loaded for each saga step,
 * saved after it.
 */
@Injectable()
export class OrderRepository {
  constructor(private readonly transactions: TransactionScope) {}

  private get manager(): EntityManager {
    return this.transactions.manager;
  }

  /**
   * Inserts a placed order with its lines and history, unless another order of the customer holds its
   * idempotency key: then
   * nothing is written and that order is returned. ON CONFLICT waits for a concurrent insert of the same key
   * to commit, so of many simultaneous requests exactly one inserts and the others find its order.
   */
  async add(order: Order, { idempotency, traceContext }: Placement): Promise<AddResult> {
    const { id, customerId, customerEmail, status, step, stepDeadline, lines, createdAt, updatedAt } =
      order.state;
    const history = order.newHistory;
    // One statement: the lines and the history are written only when the order row was (no key conflict).
    const { rows: inserted } = await queryPrepared(
      this.manager,
      `WITH placed AS (
         INSERT INTO orders (id, customer_id, status, step, step_deadline, idempotency_key, request_fingerprint,
           trace_context, created_at, updated_at, customer_email)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $15)
         ON CONFLICT (customer_id, idempotency_key) DO NOTHING
         RETURNING id),
       lines AS (
         INSERT INTO order_lines (order_id, line_no, sku, quantity)
         SELECT placed.id, line.line_no, line.sku, line.quantity
         FROM placed, unnest($11::text[], $12::integer[]) WITH ORDINALITY AS line (sku, quantity, line_no)),
       history AS (
         INSERT INTO order_history (order_id, entry, at)
         SELECT placed.id, entry.entry, entry.at
         FROM placed, unnest($13::text[], $14::timestamptz[]) WITH ORDINALITY AS entry (entry, at, position)
         ORDER BY entry.position)
       SELECT id FROM placed`,
      [
        id,
        customerId,
        status,
        step,
        stepDeadline,
        idempotency?.key ?? null,
        idempotency?.fingerprint ?? null,
        JSON.stringify(traceContext),
        createdAt,
        updatedAt,
        lines.map((line) => line.sku),
        lines.map((line) => line.quantity),
        history.map(({ entry }) => entry),
        history.map(({ at }) => at.toISOString()),
        customerEmail,
      ],
    );
    if (inserted.length === 0) return { added: false, holder: await this.holderOf(customerId, idempotency) };
    return { added: true };
  }

  /**
   * Locks the order until the transaction ends, so replies about one order are decided one at a time, and
   * loads it with its lines in the same round trip.
   *
   * Under READ COMMITTED a lock that had to wait returns the row as the transaction that held it committed,
   * but the lines in the same statement are read as of the statement's start. So the statement also reads
   * the row as of its start (`seen`): when the locked version differs from it (another transaction changed
   * the order meanwhile, and only such a transaction writes lines), the lines are read again by a statement
   * of their own, which sees that commit. Without a wait both versions are the same row.
   */
  async lock(id: string): Promise<Order | undefined> {
    const {
      rows: [row],
    } = await queryPrepared<LockedOrderRow>(
      this.manager,
      `SELECT locked.id, locked.customer_id AS "customerId", locked.customer_email AS "customerEmail",
              locked.status, locked.cancellation_reason AS "cancellationReason", locked.step,
              locked.step_deadline AS "stepDeadline", locked.total, locked.created_at AS "createdAt",
              locked.updated_at AS "updatedAt", locked.xmin = seen.xmin AS "linesCurrent",
              (SELECT json_agg(json_build_object('sku', line.sku, 'quantity', line.quantity,
                                                 'unitPriceCents', line.unit_price) ORDER BY line.line_no)
                 FROM order_lines AS line WHERE line.order_id = locked.id) AS lines
         FROM orders AS locked LEFT JOIN orders AS seen ON seen.id = locked.id
        WHERE locked.id = $1
          FOR UPDATE OF locked`,
      [id],
    );
    if (!row) return undefined;
    const lines = row.linesCurrent ? (row.lines ?? []) : await this.linesOf(id);
    return Order.restore({
      id: row.id,
      customerId: row.customerId,
      customerEmail: row.customerEmail,
      status: row.status,
      cancellationReason: row.cancellationReason,
      step: row.step,
      stepDeadline: row.stepDeadline,
      totalCents: row.total === null ? null : Number(row.total),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      lines,
    });
  }

  /** The order's lines as committed now (a statement of its own, so with a fresh snapshot). */
  private async linesOf(orderId: string): Promise<OrderLine[]> {
    const { rows } = await queryPrepared<{ sku: string; quantity: number; unitPriceCents: string | null }>(
      this.manager,
      `SELECT sku, quantity, unit_price AS "unitPriceCents" FROM order_lines WHERE order_id = $1 ORDER BY line_no`,
      [orderId],
    );
    return rows.map(({ sku, quantity, unitPriceCents }) => ({
      sku,
      quantity,
      unitPriceCents: unitPriceCents === null ? null : Number(unitPriceCents),
    }));
  }

  /**
   * Claims up to `limit` pending orders whose step deadline has passed, oldest deadline first. Rows another
   * replica is working on are skipped, not waited for, so several watchers share the work.
   */
  async claimOverdue(now: Date, limit: number): Promise<OverdueOrder[]> {
    const records = await this.manager
      .createQueryBuilder(OrderRecord, 'orders')
      .where(`orders.status = 'PENDING' AND orders.stepDeadline <= :now`, { now })
      .orderBy('orders.stepDeadline')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    const orders = await this.withLines(records);
    return orders.map((order, index) => ({ order, traceContext: records[index].traceContext }));
  }

  /** Pending orders whose step deadline passed more than `graceMs` ago: ones no timeout watcher has ended. */
  async countOverdue(graceMs: number): Promise<number> {
    const { rows } = await queryPrepared<{ count: number }>(
      this.manager,
      `SELECT count(*)::int AS count FROM orders
        WHERE status = 'PENDING' AND step_deadline < clock_timestamp() - $1 * interval '1 millisecond'`,
      [graceMs],
    );
    return rows[0].count;
  }

  /**
   * Starts the step clock of orders whose step's command was just published: the deadline is the publish
   * time plus the step timeout. An order that has moved on, or whose clock already runs (a command published
   * twice), is left as it is.
   */
  async startStepClocks(
    step: SagaStep,
    sent: ReadonlyArray<{ orderId: string; at: Date }>,
    timeoutMs: number,
  ) {
    if (sent.length === 0) return;
    await queryPrepared(
      this.manager,
      `UPDATE orders SET step_deadline = sent.at + make_interval(secs => $3::double precision / 1000)
       FROM unnest($1::uuid[], $2::timestamptz[]) AS sent (id, at)
       WHERE orders.id = sent.id AND orders.status = 'PENDING' AND orders.step = $4
         AND orders.step_deadline IS NULL`,
      [sent.map((entry) => entry.orderId), sent.map((entry) => entry.at.toISOString()), timeoutMs, step],
    );
  }

  /**
   * Writes what a transition changed, in one statement: the order's state, the prices a reservation set (the
   * only transition that prices lines), new history.
   */
  async save(order: Order): Promise<void> {
    const { id, status, cancellationReason, step, stepDeadline, totalCents, updatedAt, lines } = order.state;
    const history = order.newHistory;
    const priced = history.some(({ entry }) => entry === 'STOCK_RESERVED');
    await queryPrepared(
      this.manager,
      `WITH saved AS (
         UPDATE orders SET status = $2, cancellation_reason = $3, step = $4, step_deadline = $5, total = $6,
           updated_at = $7
         WHERE id = $1),
       prices AS (
         UPDATE order_lines SET unit_price = priced.unit_price
         FROM unnest($8::bigint[]) WITH ORDINALITY AS priced (unit_price, line_no)
         WHERE order_lines.order_id = $1 AND order_lines.line_no = priced.line_no)
       INSERT INTO order_history (order_id, entry, at)
       SELECT $1, entry.entry, entry.at
       FROM unnest($9::text[], $10::timestamptz[]) WITH ORDINALITY AS entry (entry, at, position)
       ORDER BY entry.position`,
      [
        id,
        status,
        cancellationReason,
        step,
        stepDeadline,
        totalCents,
        updatedAt,
        priced ? lines.map((line) => line.unitPriceCents) : [],
        history.map(({ entry }) => entry),
        history.map(({ at }) => at.toISOString()),
      ],
    );
  }

  private async holderOf(
    customerId: string,
    idempotency?: IdempotencyKey,
  ): Promise<{ orderId: string; fingerprint: string }> {
    const record = idempotency
      ? await this.manager.findOne(OrderRecord, {
          select: { id: true, requestFingerprint: true },
          where: { customerId, idempotencyKey: idempotency.key },
        })
      : null;
    if (!record?.requestFingerprint) {
      throw new Error(`order insert conflicted, but no order holds idempotency key ${idempotency?.key}`);
    }
    return { orderId: record.id, fingerprint: record.requestFingerprint };
  }

  private async withLines(records: OrderRecord[]): Promise<Order[]> {
    if (records.length === 0) return [];
    const lines = await this.manager.find(OrderLineRecord, {
      where: { orderId: In(records.map((record) => record.id)) },
      order: { orderId: 'ASC', lineNo: 'ASC' },
    });
    return records.map((record) =>
      Order.restore({
        id: record.id,
        customerId: record.customerId,
        customerEmail: record.customerEmail,
        status: record.status,
        cancellationReason: record.cancellationReason,
        step: record.step,
        stepDeadline: record.stepDeadline,
        totalCents: record.totalCents,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        lines: lines
          .filter((line) => line.orderId === record.id)
          .map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
      }),
    );
  }
}

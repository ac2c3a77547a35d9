/**
 * `this.db` for the relational backends: raw queries, transactions that every
 * store call made inside them joins, and a health ping.
 *
 * Transactions are tracked with our own AsyncLocalStorage instead of
 * `Sequelize.useCLS`: useCLS is global to the Sequelize class, so with one
 * Sequelize per service (PostgreSQL mode) a transaction of service A would
 * leak into service B's queries on another pool. The store maps each
 * Sequelize to its open transaction; every store and `query` call passes the
 * transaction explicitly, read from it.
 *
 * One storage for the process, not one per Sequelize: Node keeps every
 * AsyncLocalStorage ever enabled in a list it walks on each new promise, so a
 * process that makes Sequelize instances over its life (a test worker running
 * many files, a node re-creating pools) got slower on every promise and held
 * their memory for good (a CI worker reached the 4 GB heap limit).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { QueryTypes, type Sequelize, type Transaction, type TransactionOptions } from "sequelize";
import { quoteIdent } from "./sql-query";
import { gateFor, type DbGate } from "./db-gate";
import { directRead, READ_ONLY } from "./direct-read";

/** While the database is down, one call a second tries it; clients are told to come back in 2 s. */
export const DB_GATE_TIMING = { probeIntervalMs: 1000, retryAfterS: 2 };

interface TxState {
  transaction: Transaction;
  /** schema whose search_path the transaction set (SET LOCAL) */
  schema: string;
  /** run once the outermost transaction has committed (never after a rollback) */
  afterCommit: Array<() => void>;
}

/** The open transaction of each Sequelize on this async path (a service called inside another's keeps both). */
type TxStates = ReadonlyMap<Sequelize, TxState>;
const transactions = new AsyncLocalStorage<TxStates>();

/**
 * Errors of one dropped connection (killed backend, network blip), after
 * which a fresh connection from the pool may succeed at once. A server that
 * refuses connections or is starting up / shutting down is not retried: the
 * db gate (db-gate.ts) answers 503 at once while it is down.
 */
export const RETRYABLE_CONNECTION_ERRORS: RegExp[] = [
  /ECONNRESET/,
  /EPIPE/,
  /terminating connection/,
  /Connection terminated/,
  /connection is closed/i,
  /Client has encountered a connection error/,
  /not queryable/,
];

export function isConnectionError(err: unknown): boolean {
  const text = `${(err as Error)?.name ?? ""} ${(err as Error)?.message ?? ""}`;
  return RETRYABLE_CONNECTION_ERRORS.some((re) => re.test(text));
}

export interface DbHandle {
  /** Runs fn in a transaction; store calls and `query` inside it (any awaited path) join it. Nested calls join the outer one. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  sequelize?: Sequelize;
  schema: string;
  /** Raw SQL with `$1` binds; unqualified names resolve in the service's schema; joins the current transaction. */
  query<R>(sql: string, bind?: unknown[]): Promise<R[]>;
  /**
   * Runs `fn` once the enclosing (outermost) transaction commits, outside it;
   * never after a rollback; at once when there is no transaction. For work
   * that must see committed rows, e.g. waking a job runner after enqueueing.
   */
  afterCommit(fn: () => void): void;
}

/** What a store needs: schema-qualified statements that join the current transaction. */
export interface SqlRunner {
  readonly schema: string;
  /** The transaction the current async path runs in (undefined outside one). */
  currentTransaction(): unknown;
  run<R>(sql: string, bind?: unknown[]): Promise<R[]>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

export class SqlDb implements DbHandle, SqlRunner {
  private readonly gate: DbGate;

  constructor(
    readonly sequelize: Sequelize,
    readonly schema: string,
    /** true when every connection of this Sequelize already has search_path = schema (own pool on PostgreSQL). */
    private readonly searchPathOnConnection = false,
    logger?: { warn(...args: unknown[]): void; info(...args: unknown[]): void },
    /** A real PostgreSQL pool (pg clients): reads outside a transaction may use them directly (`directRead`). */
    private readonly directReads = false,
  ) {
    this.gate = gateFor(sequelize, { ...DB_GATE_TIMING, logger });
  }

  currentTransaction(): Transaction | undefined {
    return this.liveState()?.transaction;
  }

  /**
   * The transaction this async path runs in, if it is still open. Work
   * started (not awaited) inside a transaction inherits its async context
   * and may outlive it; such work runs on its own instead of on a finished
   * transaction ("commit has been called on this transaction").
   */
  private liveState(): TxState | undefined {
    const state = transactions.getStore()?.get(this.sequelize);
    return state && !(state.transaction as Transaction & { finished?: string }).finished ? state : undefined;
  }

  afterCommit(fn: () => void): void {
    const state = this.liveState();
    if (state) state.afterCommit.push(fn);
    else fn();
  }

  /**
   * Statement runner used by the stores (fully qualified SQL). Outside a
   * transaction a dropped connection is retried on a fresh one; inside one,
   * the transaction is gone with its connection, so it fails at once.
   */
  async run<R>(sql: string, bind: unknown[] = []): Promise<R[]> {
    const transaction = this.currentTransaction();
    if (!transaction && this.directReads && READ_ONLY.test(sql))
      return this.gate.run(() => directRead<R>(this.sequelize, sql, bind));
    return (await this.gate.run(() =>
      this.sequelize.query(sql, {
        bind,
        type: QueryTypes.SELECT,
        transaction: transaction ?? null,
        retry: transaction ? { max: 1 } : undefined,
        logging: false,
      }),
    )) as R[];
  }

  async query<R>(sql: string, bind: unknown[] = []): Promise<R[]> {
    // On a shared connection (embedded) search_path is set per transaction
    // (SET LOCAL), so a raw query outside one gets its own short transaction
    // to resolve names the same way.
    const state = this.liveState();
    if (this.searchPathOnConnection || state?.schema === this.schema) return this.run<R>(sql, bind);
    if (!state) return this.transaction(() => this.run<R>(sql, bind));
    // Embedded only: this service was called inside another service's
    // transaction on the shared connection, whose search_path names the other
    // schema. Switch, run, switch back. (Store statements are schema-qualified
    // and unaffected; only the caller's own unqualified raw SQL issued
    // concurrently with this call would resolve in this schema meanwhile.)
    const setPath = (schema: string) =>
      this.sequelize.query(`SET LOCAL search_path TO ${quoteIdent(schema)}, public`, {
        transaction: state.transaction,
        logging: false,
      });
    await setPath(this.schema);
    try {
      return await this.run<R>(sql, bind);
    } finally {
      await setPath(state.schema);
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.currentTransaction()) return fn();
    const transaction = await this.gate.run(() => this.begin());
    const state: TxState = { transaction, schema: this.schema, afterCommit: [] };
    let result: T;
    try {
      result = await transactions.run(new Map(transactions.getStore()).set(this.sequelize, state), fn);
    } catch (err) {
      await transaction.rollback().catch(() => undefined);
      throw err;
    }
    await transaction.commit();
    // Here the async context is outside the transaction again.
    for (const callback of state.afterCommit) callback();
    return result;
  }

  async ping(): Promise<void> {
    await this.gate.run(() =>
      this.sequelize.query("SELECT 1", {
        type: QueryTypes.SELECT,
        logging: false,
        transaction: this.currentTransaction() ?? null,
      }),
    );
  }

  /** BEGIN on a live connection: a dead pooled connection is discarded and BEGIN retried, nothing has run yet. */
  private async begin(): Promise<Transaction> {
    for (let attempt = 1; ; attempt++) {
      let transaction: Transaction | undefined;
      try {
        // retry max 1: BEGIN on a dead connection fails at once (instead of
        // sequelize's backoff on the same socket) and this loop takes a new one.
        transaction = await this.sequelize.transaction({ retry: { max: 1 } } as TransactionOptions);
        // A pool of this service's own already leads search_path with its schema: one round trip less per transaction.
        if (!this.searchPathOnConnection)
          await this.sequelize.query(`SET LOCAL search_path TO ${quoteIdent(this.schema)}, public`, {
            transaction,
            logging: false,
          });
        return transaction;
      } catch (err) {
        if (transaction) await transaction.rollback().catch(() => undefined);
        if (attempt >= 4 || !isConnectionError(err)) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }
}

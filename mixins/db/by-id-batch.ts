/**
 * Reads by id outside a transaction, coalesced per turn of the event loop.
 *
 * Under load a node is handed many requests at once (one read of the
 * transporter's socket carries dozens), and each used to cost its own
 * statement: a socket write, a wake-up of a PostgreSQL backend and a reply
 * read, which together were about a third of a core node's CPU on the
 * cluster by-id read (issue 19). Every `get` issued before the current tick
 * ends joins one `id = ANY($1)` statement; each caller gets its own answer
 * (its own row: callers of one id get copies). One id alone runs
 * the same single-row statement as before, so a quiet node sees no change.
 *
 * Only for reads outside a transaction: a read inside one must see the
 * transaction's own writes on its connection (the store checks).
 */
interface Waiter<R> {
  resolve(row: R | undefined): void;
  reject(err: unknown): void;
}

/** Most ids in one statement; a bigger batch is split. */
const MAX_IDS_PER_STATEMENT = 500;

export class ByIdBatch<R> {
  private pending: Map<string, Waiter<R>[]> | undefined;

  /**
   * `load` answers the rows of the ids it finds, by id; `copy` makes a row for each further caller of
   * the same id (the first one gets the row itself), so no two callers share a nested value.
   */
  constructor(
    private readonly load: (ids: string[]) => Promise<Map<string, R>>,
    private readonly copy: (row: R) => R,
  ) {}

  get(id: string): Promise<R | undefined> {
    let batch = this.pending;
    if (!batch) {
      const fresh = new Map<string, Waiter<R>[]>();
      this.pending = batch = fresh;
      process.nextTick(() => this.flush(fresh));
    }
    const waiters = batch.get(id) ?? [];
    if (waiters.length === 0) batch.set(id, waiters);
    return new Promise<R | undefined>((resolve, reject) => waiters.push({ resolve, reject }));
  }

  private flush(batch: Map<string, Waiter<R>[]>): void {
    if (this.pending === batch) this.pending = undefined;
    const ids = [...batch.keys()];
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_STATEMENT) {
      const chunk = ids.slice(start, start + MAX_IDS_PER_STATEMENT);
      this.load(chunk).then(
        (rows) => {
          for (const id of chunk) {
            const row = rows.get(id);
            (batch.get(id) as Waiter<R>[]).forEach((w, i) =>
              w.resolve(row !== undefined && i > 0 ? this.copy(row) : row),
            );
          }
        },
        (err: unknown) => {
          for (const id of chunk) for (const w of batch.get(id) as Waiter<R>[]) w.reject(err);
        },
      );
    }
  }
}

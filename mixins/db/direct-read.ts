/**
 * Reads outside a transaction that skip Sequelize's query wrapper (SqlDb.run
 * sends them here when its pool is a real PostgreSQL one), and the parts of
 * Sequelize's internals they use.
 */
import type { Sequelize } from "sequelize";

/** A statement that only reads: outside a transaction it may skip Sequelize (see `directRead`). */
export const READ_ONLY = /^\s*select\b/i;

/** What `directRead` uses of Sequelize's internals: its pool, its error mapping and its retry policy. */
interface PooledPgClient {
  query(sql: string, values: unknown[]): Promise<{ rows: unknown[] } | Array<{ rows?: unknown[] }>>;
  /** Sequelize's mark for a connection the pool must not hand out again. */
  _invalid?: boolean;
}
interface SequelizeInternals {
  connectionManager: {
    getConnection(options: { type: string }): Promise<PooledPgClient>;
    releaseConnection(connection: PooledPgClient): void;
  };
  dialect: {
    Query: new (
      connection: PooledPgClient,
      sequelize: Sequelize,
      options: object,
    ) => { formatError(err: Error, stack?: string): Error };
  };
  options: { retry?: { max?: number; match?: RegExp[]; backoffBase?: number; backoffExponent?: number } };
}

/**
 * SQL as Sequelize sends it with an array of binds: trimmed, `$$` unescaped to `$`, and any
 * `$name` or `$n` without a value refused. Statements repeat (the stores build a few shapes),
 * so each is worked out once.
 */
const preparedSql = new Map<string, string>();
function asSequelizeSends(sql: string, bindCount: number): string {
  const key = `${bindCount}\u0000${sql}`;
  const known = preparedSql.get(key);
  if (known !== undefined) return known;
  const text = sql.trim().replace(/\B\$(\$|\w+)/g, (match, name: string) => {
    if (name === "$") return name;
    if (/^[1-9]\d*$/.test(name) && Number(name) <= bindCount) return match;
    throw new Error(`Named bind parameter "${match}" has no value in the given object.`);
  });
  if (preparedSql.size >= 2000) preparedSql.clear();
  preparedSql.set(key, text);
  return text;
}

/**
 * A SELECT outside a transaction, on a connection of the same Sequelize pool (same search_path
 * and type parsers) but through pg's own `query`: Sequelize's query wrapper (its Query object, a
 * stack trace captured per statement, hooks, the bind rewrite) cost about as much CPU as the
 * query itself (issue 19, cluster by-id read). What stays Sequelize's: the SQL and binds as it
 * sends them (asSequelizeSends, `\0` in strings), its errors (its Query's formatError), a
 * connection it would discard marked so, and its retry policy for a dropped connection.
 */
export async function directRead<R>(sequelize: Sequelize, sql: string, bind: unknown[]): Promise<R[]> {
  const seq = sequelize as unknown as SequelizeInternals;
  const text = asSequelizeSends(sql, bind.length);
  const values = bind.map((v) => (typeof v === "string" && v.includes("\0") ? v.replace(/\0/g, "\\0") : v));
  const retry = seq.options.retry ?? {};
  const max = retry.max ?? 1;
  for (let attempt = 1; ; attempt++) {
    let connection: PooledPgClient | undefined;
    try {
      connection = await seq.connectionManager.getConnection({ type: "SELECT" });
      try {
        const result = await connection.query(text, values);
        // Several statements without binds (the simple protocol) answer one result each: their rows, as Sequelize joins them.
        return (Array.isArray(result) ? result.flatMap((r: { rows?: unknown[] }) => r.rows ?? []) : result.rows) as R[];
      } catch (err) {
        const e = err as Error & { code?: string; sql?: string; parameters?: unknown[] };
        if (e.code === "ECONNRESET" || e.message === "Query read timeout") connection._invalid = true;
        e.sql = text;
        e.parameters = values;
        throw new seq.dialect.Query(connection, sequelize, {}).formatError(e, e.stack);
      } finally {
        seq.connectionManager.releaseConnection(connection);
      }
    } catch (err) {
      const e = err as Error;
      const retryable = (retry.match ?? []).some((re) => re.test(e.message) || re.test(String(e)));
      if (attempt >= max || !retryable) throw err;
      await new Promise((r) =>
        setTimeout(r, (retry.backoffBase ?? 100) * (retry.backoffExponent ?? 1.1) ** (attempt - 1)),
      );
    }
  }
}

/**
 * Fail fast while the database is known to be down. The first call that finds
 * PostgreSQL unreachable (refused, unknown host, connect timeout, starting up
 * or shutting down) marks it down; from then on calls fail at once with a 503
 * (DependencyUnavailableError, Retry-After) instead of each one waiting out
 * reconnect attempts, except one call per probe interval that tries for real
 * and brings the database back into use when it succeeds. Errors of a live
 * database (constraint violations, a killed backend the retry recovers from)
 * pass through untouched.
 */
import type { Sequelize } from "sequelize";
import { DependencyUnavailableError } from "../../lib/errors";

/** Signs that no connection can be made right now (as opposed to one dropped connection). */
const UNREACHABLE: RegExp[] = [
  /ECONNREFUSED/,
  /ENOTFOUND/,
  /EHOSTUNREACH/,
  /ETIMEDOUT/,
  /SequelizeConnectionRefusedError/,
  /SequelizeHostNotFoundError/,
  /SequelizeHostNotReachableError/,
  /SequelizeConnectionTimedOutError/,
  /timeout expired/,
  /connection timeout/i,
  /the database system is (starting up|shutting down|in recovery mode)/,
];

export function isDatabaseUnreachable(err: unknown): boolean {
  const e = err as { name?: string; message?: string; original?: { code?: string } } | undefined;
  const text = `${e?.name ?? ""} ${e?.message ?? ""} ${e?.original?.code ?? ""}`;
  return UNREACHABLE.some((re) => re.test(text));
}

export interface DbGateOptions {
  /** How often, while down, one call may try the database. */
  probeIntervalMs: number;
  /** Retry-After given to callers while down. */
  retryAfterS: number;
  logger?: { warn(...args: unknown[]): void; info(...args: unknown[]): void };
}

export class DbGate {
  private downSince: number | undefined;
  private nextProbeAt = 0;

  constructor(private readonly options: DbGateOptions) {}

  get down(): boolean {
    return this.downSince !== undefined;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.downSince !== undefined) {
      const now = Date.now();
      if (now < this.nextProbeAt) throw this.unavailable();
      // This call is the probe; the others keep failing fast meanwhile.
      this.nextProbeAt = now + this.options.probeIntervalMs;
    }
    try {
      const result = await fn();
      if (this.downSince !== undefined) {
        this.options.logger?.info(`Database available again after ${Date.now() - this.downSince} ms`);
        this.downSince = undefined;
      }
      return result;
    } catch (err) {
      if (!isDatabaseUnreachable(err)) throw err;
      if (this.downSince === undefined) {
        this.downSince = Date.now();
        this.nextProbeAt = this.downSince + this.options.probeIntervalMs;
        this.options.logger?.warn(`Database unreachable, failing fast until it answers: ${(err as Error).message}`);
      }
      throw this.unavailable();
    }
  }

  private unavailable(): DependencyUnavailableError {
    return new DependencyUnavailableError("database", this.options.retryAfterS);
  }
}

const gates = new WeakMap<Sequelize, DbGate>();

/** One gate per connection pool: every service sharing it learns at once that the database is down. */
export function gateFor(sequelize: Sequelize, options: DbGateOptions): DbGate {
  let gate = gates.get(sequelize);
  if (!gate) {
    gate = new DbGate(options);
    gates.set(sequelize, gate);
  }
  return gate;
}

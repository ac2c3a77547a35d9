/**
 * The `pg` module Sequelize gets, with one change: every client has an
 * `error` listener from the moment it exists.
 *
 * Why: Sequelize attaches its listener only after `connect()` resolves, a
 * microtask after pg's ReadyForQuery. When the server kills the backend at
 * that moment (pg_terminate_backend on a failover, a restart), ReadyForQuery
 * and the FATAL ErrorResponse arrive in the same socket read: pg emits
 * `error` synchronously with no listener yet, and Node turns that into an
 * uncaught exception that takes the whole node down. Marking the client
 * invalid here is what Sequelize's own listener does: the pool's validate
 * then keeps it out of use and a fresh connection is taken.
 */
import pg from "pg";

type InvalidatableClient = pg.Client & { _invalid?: boolean };

class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on("error", () => {
      (this as InvalidatableClient)._invalid = true;
    });
  }
}

/** `pg` with `Client` replaced; every other export (types, defaults, Pool) is pg's own, through the prototype. */
export const guardedPg: typeof pg = Object.assign(Object.create(pg) as typeof pg, { Client: GuardedClient });

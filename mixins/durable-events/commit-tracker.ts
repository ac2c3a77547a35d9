/**
 * Knows when the transaction a publishDurable() call ran in has committed,
 * so the outbox relay can run right after it (and never after a rollback).
 * It wraps the service's `db.transaction` with an AsyncLocalStorage scope;
 * callbacks registered inside run once the outermost transaction resolves.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Service } from "moleculer";

interface CommitScope {
  callbacks: Array<() => void>;
}

interface Transactional {
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

const scopes = new AsyncLocalStorage<CommitScope>();
const wrapped = new WeakSet<object>();

function isTransactional(value: unknown): value is Transactional {
  return !!value && typeof value === "object" && typeof (value as Partial<Transactional>).transaction === "function";
}

function wrap(db: Transactional): void {
  if (wrapped.has(db)) return;
  wrapped.add(db);
  const original = db.transaction.bind(db);
  db.transaction = function transaction<T>(fn: () => Promise<T>): Promise<T> {
    // Nested transaction (savepoint or joined): only the outermost commit counts.
    if (scopes.getStore()) return original(fn);
    const scope: CommitScope = { callbacks: [] };
    return scopes.run(scope, async () => {
      const result = await original(fn);
      // Resolved means committed; a throw skips this, so rolled-back events are never relayed.
      for (const callback of scope.callbacks) callback();
      return result;
    });
  };
}

export const trackCommits = {
  /** The enclosing tracked transaction, if any. */
  current(): { onCommit(callback: () => void): void } | undefined {
    const scope = scopes.getStore();
    return scope && { onCommit: (callback: () => void) => scope.callbacks.push(callback) };
  },

  /** Wraps `svc.db` now if set, or as soon as a mixin assigns it. */
  install(svc: Service): void {
    const current: unknown = (svc as { db?: unknown }).db;
    if (isTransactional(current)) {
      wrap(current);
      return;
    }
    let value: unknown = current;
    Object.defineProperty(svc, "db", {
      configurable: true,
      enumerable: true,
      get: () => value,
      set: (next: unknown) => {
        if (isTransactional(next)) wrap(next);
        value = next;
      },
    });
  },
};

/**
 * A suspended account's content leaves every result (search, facets,
 * suggest, trending) while the suspension lasts and comes back when it is
 * lifted; its documents stay indexed and current meanwhile, so nothing has
 * to be rebuilt. Fed by identity's durable user.suspended/user.unsuspended,
 * applied only over an older version (any delivery order converges).
 */
import type { Service } from "moleculer";
import { durableHandler } from "../../../mixins/durable-events";
import { SEARCH_GROUP } from "./index-consumers";
import type { SearchThis } from "./search.context";
import "../../core/identity/identity.events";

/** SQL condition on the documents alias `d`: its owner is not suspended. */
export const NOT_SUSPENDED_OWNER =
  "NOT EXISTS (SELECT 1 FROM suspended_owners so WHERE so.owner_id = d.owner_id AND so.suspended)";

async function record(svc: SearchThis, ownerId: string, suspended: boolean, version: number): Promise<void> {
  await svc.db.transaction(async () => {
    const rows = await svc.db.query(
      `INSERT INTO suspended_owners (owner_id, suspended, version) VALUES ($1, $2, $3)
       ON CONFLICT (owner_id) DO UPDATE SET suspended = EXCLUDED.suspended, version = EXCLUDED.version,
         updated_at = now()
         WHERE suspended_owners.version < EXCLUDED.version
       RETURNING owner_id`,
      [ownerId, suspended, version],
    );
    // Cached results may still show (or miss) the owner's documents once this commits.
    if (rows.length === 1) svc.db.afterCommit(() => void svc.cache.invalidate());
  });
}

/**
 * The reindex's catch-up: identity's current states (with the events' versions), applied like the events
 * (only over an older version), so a suspension whose event search never handled is kept out after a reindex.
 */
export async function recordOwnerStates(
  svc: SearchThis,
  states: { userId: string; suspended: boolean; version: number }[],
): Promise<number> {
  if (states.length === 0) return 0;
  const rows = await svc.db.query(
    `INSERT INTO suspended_owners (owner_id, suspended, version)
       SELECT * FROM unnest($1::text[], $2::boolean[], $3::int[])
     ON CONFLICT (owner_id) DO UPDATE SET suspended = EXCLUDED.suspended, version = EXCLUDED.version,
       updated_at = now()
       WHERE suspended_owners.version < EXCLUDED.version
     RETURNING owner_id`,
    [states.map((s) => s.userId), states.map((s) => s.suspended), states.map((s) => s.version)],
  );
  if (rows.length > 0) await svc.cache.invalidate();
  return rows.length;
}

export const ownerSuspensionHandlers = {
  ...durableHandler("user.suspended", {
    group: SEARCH_GROUP,
    async handler(this: Service, envelope) {
      await record(this as unknown as SearchThis, envelope.payload.userId, true, envelope.payload.version);
    },
  }),
  ...durableHandler("user.unsuspended", {
    group: SEARCH_GROUP,
    async handler(this: Service, envelope) {
      await record(this as unknown as SearchThis, envelope.payload.userId, false, envelope.payload.version);
    },
  }),
};

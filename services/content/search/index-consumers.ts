/**
 * The search index is fed only by the owning services' durable events.
 * Every handler is batched (events in flight together share one transaction
 * and one write), deduplicated by event id by the durable-events mixin in
 * that transaction, and ordered per document by the guards of search-doc.ts:
 * an older event never overwrites a newer document version.
 */
import type { Service } from "moleculer";
import type { DurableEnvelope, DurableEventName } from "../../../mixins/durable-events";
import { durableHandler } from "../../../mixins/durable-events";
import * as E from "./event-changes";
import { applyChanges, loadDocs } from "./index-store";
import type { DocChange, DocType, Position } from "./search-doc";
import type { SearchThis } from "./search.context";
import "../../content/blog/blog.events";
import "../../content/tournaments/tournaments.events";
import "../../core/channels/channels.events";
import "../../core/identity/identity.events";
import "../../core/users/users.events";
import "../../media/streams/streams.events";
import "../../media/videos/videos.events";

export const SEARCH_GROUP = "search";

const at = (envelope: DurableEnvelope): number => Date.parse(envelope.occurredAt);
const timed = (envelope: DurableEnvelope): Position => ({ at: at(envelope) });

/** Applies changes and, once committed, drops cached results if a document left them. */
export async function indexChanges(svc: SearchThis, changes: DocChange[], sweptAt?: Date): Promise<void> {
  await svc.db.transaction(async () => {
    const result = await applyChanges(svc, changes, sweptAt);
    // Cached results may not show what left the index, nor miss what joined it, once this commits.
    if (result.hidden.length > 0 || result.shown.length > 0) svc.db.afterCommit(() => void svc.cache.invalidate());
  });
}

function indexer<N extends DurableEventName>(
  type: N,
  toChanges: (svc: SearchThis, envelope: DurableEnvelope<N>) => DocChange[] | Promise<DocChange[]>,
) {
  return durableHandler(type, {
    group: SEARCH_GROUP,
    batch: true,
    async batchHandler(this: Service, envelopes) {
      // The durable-events mixin calls this on the search service.
      const svc = this as unknown as SearchThis;
      const changes: DocChange[] = [];
      for (const envelope of envelopes) changes.push(...(await toChanges(svc, envelope)));
      await indexChanges(svc, changes);
    },
  });
}

export const indexEventHandlers = {
  ...indexer("channel.created", (_svc, e) => E.channelCreated(e.payload, timed(e))),
  ...indexer("channel.updated", (_svc, e) => E.channelUpdated(e.payload, timed(e))),
  ...indexer("stream.started", async (svc, e) => {
    const channel = (await loadDocs(svc, [`channel:${e.payload.channelId}`])).get(`channel:${e.payload.channelId}`);
    return E.streamStarted(e.payload, timed(e), channel);
  }),
  ...indexer("stream.updated", (_svc, e) => E.streamUpdated(e.payload, timed(e))),
  ...indexer("stream.ended", (_svc, e) => E.streamEnded(e.payload, timed(e))),
  ...indexer("video.published", (_svc, e) => E.videoPublished(e.payload, timed(e))),
  ...indexer("video.updated", (_svc, e) => E.videoUpdated(e.payload, timed(e))),
  ...indexer("video.deleted", (_svc, e) => E.videoDeleted(e.payload, timed(e))),
  ...indexer("user.registered", (_svc, e) => E.userRegistered(e.payload, timed(e))),
  ...indexer("user.provisioned", (_svc, e) => E.userProvisioned(e.payload, timed(e))),
  ...indexer("user.updated", (_svc, e) => E.userUpdated(e.payload, timed(e))),
  ...indexer("channel.suspended", (_svc, e) => E.channelSuspension(e.payload, at(e))),
  ...indexer("channel.unsuspended", (_svc, e) => E.channelSuspension(e.payload, at(e))),
  ...indexer("channel.followers.changed", (_svc, e) => E.channelFollowersChanged(e.payload, at(e))),
  // Deletions: the person or channel and everything indexed under them, tombstoned (late events cannot revive them).
  ...indexer("user.deleted", async (svc, e) => {
    const docs = await docsWhere(svc, "owner_id = $1", e.payload.userId);
    return E.erased([{ type: "user", sourceId: e.payload.userId }, ...docs], timed(e));
  }),
  ...indexer("channel.deleted", async (svc, e) => {
    const docs = await docsWhere(svc, "channel_id = $1", e.payload.channelId);
    const own = (["channel", "stream"] as const).map((type) => ({ type, sourceId: e.payload.channelId }));
    return E.erased([...own, ...docs], timed(e));
  }),
  ...indexer("tournament.created", (_svc, e) =>
    E.tournamentUpdated({ ...e.payload, status: "draft", updatedAt: e.payload.createdAt }, timed(e)),
  ),
  ...indexer("tournament.updated", (_svc, e) => E.tournamentUpdated(e.payload, timed(e))),
  ...indexer("tournament.started", (_svc, e) => [E.tournamentStatus(e.payload.tournamentId, "running", timed(e))]),
  ...indexer("tournament.completed", (_svc, e) => [E.tournamentStatus(e.payload.tournamentId, "completed", timed(e))]),
  ...indexer("tournament.cancelled", (_svc, e) => [E.tournamentStatus(e.payload.tournamentId, "cancelled", timed(e))]),
  ...indexer("post.published", (_svc, e) => E.postPublished(e.payload, at(e))),
  ...indexer("post.updated", (_svc, e) => E.postUpdated(e.payload, at(e))),
  ...indexer("post.unpublished", (_svc, e) => E.postUnpublished(e.payload, at(e))),
  ...indexer("post.deleted", (_svc, e) => E.postDeleted(e.payload, at(e))),
};

/** Documents matching a fixed condition on one column (`sql` is a constant of this file, never input). */
async function docsWhere(
  svc: SearchThis,
  sql: "owner_id = $1" | "channel_id = $1",
  value: string,
): Promise<{ type: DocType; sourceId: string }[]> {
  const rows = await svc.db.query<{ type: DocType; source_id: string }>(
    `SELECT type, source_id FROM documents WHERE ${sql}`,
    [value],
  );
  return rows.map((r) => ({ type: r.type, sourceId: r.source_id }));
}

/** Viewer samples: the newest per channel, written together (a sample a second per live channel would be a commit each). */
export class ViewerSamples {
  private pending = new Map<string, { viewers: number; at: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flushMs: number,
    private readonly write: (changes: DocChange[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  add(channelId: string, viewers: number, at: number): void {
    const current = this.pending.get(channelId);
    if (!current || current.at <= at) this.pending.set(channelId, { viewers, at });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const samples = [...this.pending];
    this.pending.clear();
    if (samples.length === 0) return;
    const changes = samples.flatMap(([channelId, s]): DocChange[] =>
      (["channel", "stream"] as const).map((type) => ({
        type,
        sourceId: channelId,
        aspect: "stats",
        position: { at: s.at },
        fields: { viewers: s.viewers },
      })),
    );
    await this.write(changes).catch(this.onError);
  }
}

/**
 * What each event counts for: the facts (counters, gauge samples) and hashed
 * members it adds. Pure apart from the viewer hash (the day's key), so the
 * mapping is unit-tested alone. Every fact of a channel also counts in the
 * platform totals the admin overview reads.
 */
import type { DurableEnvelope, DurableEventMap, DurableEventName } from "../../../mixins/durable-events";
import type { PlainEventMap } from "../../../lib/contracts";
import type { Fact, IngestEvent, MemberFact } from "./ingest";
import { PLATFORM, type Metric } from "./metrics";

/** Hashes an identity with the key of the day `at` falls in (viewer-keys.ts). */
export type Hasher = (identity: string, at: number) => Promise<Buffer>;

const channel = (subjectId: string, metric: Metric, value = 1): Fact => ({
  scope: "channel",
  subjectId,
  metric,
  value,
});
const video = (subjectId: string, metric: Metric, value = 1): Fact => ({ scope: "video", subjectId, metric, value });
const platform = (metric: Metric, value = 1): Fact => ({ scope: "platform", subjectId: PLATFORM, metric, value });

function timeOf(iso: string | undefined, fallback: string): number {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : Date.parse(fallback);
}

interface FactRule<N extends DurableEventName> {
  /** When it happened, from the payload (the envelope's occurredAt when absent). */
  at(p: DurableEventMap[N]): string | undefined;
  facts(p: DurableEventMap[N]): Fact[];
}

/** Every durable event analytics counts, and what it counts for. */
export const DURABLE_FACTS: { [N in CountedEvent]: FactRule<N> } = {
  "stream.started": {
    at: (p) => p.startedAt,
    facts: (p) => [channel(p.channelId, "streams_started"), platform("streams_started")],
  },
  "stream.ended": {
    at: (p) => p.endedAt,
    facts: (p) => [
      channel(p.channelId, "streams_ended"),
      channel(p.channelId, "stream_seconds", Math.max(0, p.durationS)),
      platform("streams_ended"),
      platform("stream_seconds", Math.max(0, p.durationS)),
    ],
  },
  "channel.followed": {
    at: (p) => p.followedAt,
    facts: (p) => [channel(p.channelId, "follows"), platform("follows")],
  },
  "channel.unfollowed": {
    at: (p) => p.unfollowedAt,
    facts: (p) => [channel(p.channelId, "unfollows"), platform("unfollows")],
  },
  "user.registered": { at: (p) => p.registeredAt, facts: () => [platform("new_users")] },
  "video.created": {
    at: (p) => p.createdAt,
    facts: (p) => (p.origin === "upload" ? [channel(p.channelId, "uploads"), platform("uploads")] : []),
  },
  "video.published": {
    at: (p) => p.publishedAt,
    facts: (p) => [channel(p.channelId, "videos_published"), platform("videos_published")],
  },
  "comment.created": {
    at: (p) => p.createdAt,
    facts: (p) => [video(p.videoId, "comments"), channel(p.channelId, "comments"), platform("comments")],
  },
  "post.published": {
    at: (p) => p.publishedAt,
    facts: (p) => [platform("posts_published"), ...(p.channelId ? [channel(p.channelId, "posts_published")] : [])],
  },
  "tournament.created": { at: (p) => p.createdAt, facts: () => [platform("tournaments_created")] },
  "tournament.started": { at: (p) => p.startedAt, facts: () => [platform("tournaments_started")] },
  "tournament.completed": { at: (p) => p.completedAt, facts: () => [platform("tournaments_completed")] },
  "tournament.registration.confirmed": { at: (p) => p.confirmedAt, facts: () => [platform("registrations")] },
};

export type CountedEvent =
  | "stream.started"
  | "stream.ended"
  | "channel.followed"
  | "channel.unfollowed"
  | "user.registered"
  | "video.created"
  | "video.published"
  | "comment.created"
  | "post.published"
  | "tournament.created"
  | "tournament.started"
  | "tournament.completed"
  | "tournament.registration.confirmed";

export const COUNTED_EVENTS = Object.keys(DURABLE_FACTS) as CountedEvent[];

/** The facts of a durable event (null when it counts for nothing). */
export function durableFacts<N extends CountedEvent>(envelope: DurableEnvelope<N>): IngestEvent | null {
  // The table is keyed by type, so the rule of envelope.type takes envelope.payload.
  const rule = DURABLE_FACTS[envelope.type] as unknown as FactRule<N>;
  const facts = rule.facts(envelope.payload);
  if (facts.length === 0) return null;
  return { id: envelope.id, at: timeOf(rule.at(envelope.payload), envelope.occurredAt), facts };
}

/**
 * A realtime node's viewer sample: one per channel per sampling period, taken
 * by one node for the cluster, so (channel, sample time) is its identity and
 * the minute bucket dedupes it (samples.ts), without a row in ingested_events.
 */
export function viewerSampleFacts(sample: PlainEventMap["stream.viewers.sampled"]): IngestEvent | null {
  const at = Date.parse(sample.at);
  if (!Number.isFinite(at) || !(sample.viewerCount >= 0)) return null;
  return {
    id: `viewers:${sample.channelId}:${at}`,
    at,
    facts: [channel(sample.channelId, "viewers", sample.viewerCount)],
    dedupe: "sample",
    // The room is sampled live or not: only its live windows are live viewing (live-windows.ts).
    whileLive: sample.channelId,
  };
}

/** Chat messages the chat service stored: a message and its (hashed) author per minute. */
export async function chatFacts(stored: PlainEventMap["chat.messages.stored"], hash: Hasher): Promise<IngestEvent[]> {
  return Promise.all(
    stored.messages.map(async (m) => {
      const members: MemberFact[] = [
        { scope: "channel", subjectId: m.channelId, metric: "chatters", member: await hash(m.userId, m.sentAt) },
      ];
      return {
        id: `chat:${m.id}`,
        at: m.sentAt,
        facts: [channel(m.channelId, "chat_messages"), platform("chat_messages")],
        members,
      };
    }),
  );
}

/** A counted VOD view (the videos service's once-per-viewer-per-window rule already applied). */
export async function videoViewFacts(view: PlainEventMap["video.viewed"], hash: Hasher): Promise<IngestEvent | null> {
  const at = Date.parse(view.viewedAt);
  if (!Number.isFinite(at)) return null;
  const member = await hash(view.viewerKey, at);
  return {
    id: `view:${view.viewId}`,
    at,
    facts: [video(view.videoId, "video_views"), channel(view.channelId, "video_views"), platform("video_views")],
    members: [
      { scope: "video", subjectId: view.videoId, metric: "video_viewers", member },
      { scope: "channel", subjectId: view.channelId, metric: "video_viewers", member },
    ],
  };
}

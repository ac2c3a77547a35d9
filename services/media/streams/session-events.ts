/** What the streams service does when it hears a plain event (viewer samples, end requests, key rotations). */
import type { PlainEventMap } from "../../../lib/contracts";
import { OPEN } from "./read-actions";
import { endSessionNow } from "./session-lifecycle";
import type { StreamsThis } from "./streams.context";

/** Keeps the current viewer count (newest sample wins) and the session's peak. */
export async function recordViewerSample(
  svc: StreamsThis,
  sample: PlainEventMap["stream.viewers.sampled"],
): Promise<void> {
  const doc = await svc.stores.sessions.findOne({ channelId: sample.channelId, status: OPEN });
  if (!doc) return;
  const at = new Date(sample.at);
  if (Number.isNaN(at.getTime())) return;
  // Only a newer sample may set the current count (two conditional writes: never sampled, or sampled earlier).
  const patch = { viewerCount: sample.viewerCount, viewersSampledAt: at };
  const updated = await svc.stores.sessions.updateMany({ id: doc.id, viewersSampledAt: null }, patch);
  if (updated === 0) await svc.stores.sessions.updateMany({ id: doc.id, viewersSampledAt: { $lt: at } }, patch);
  // Conditional write: concurrent samples (several realtime nodes) can only raise the peak.
  await svc.stores.sessions.updateMany(
    { id: doc.id, peakViewers: { $lt: sample.viewerCount } },
    { peakViewers: sample.viewerCount },
  );
}

/** Another node asked to end a session: only the node holding its broadcaster acts. */
export async function endRequestedSession(svc: StreamsThis, sessionId: string): Promise<void> {
  const doc = await svc.stores.sessions.findById(sessionId);
  if (!doc || doc.nodeId !== svc.broker.nodeID) return;
  svc.provider.dropPublisher(doc.id);
  await endSessionNow(svc, doc.id);
}

/** Drops a channel's live broadcaster if this node holds its session (key rotated, channel suspended). */
export async function dropLivePublisher(svc: StreamsThis, channelId: string): Promise<void> {
  const doc = await svc.stores.sessions.findOne({ channelId, status: OPEN });
  if (doc && doc.nodeId === svc.broker.nodeID) svc.provider.dropPublisher(doc.id);
}

import { getConfig } from "../../../lib/config";
import type { IngestHealthSample } from "../../../lib/media/ingest-health";
import { ConflictError } from "../../../lib/errors";
import { callAction } from "../../../lib/contracts";
import type { ProviderCallbacks, SessionAssignment } from "./media-provider";
import { sessionDurationS } from "./stream-sessions";
import type { StreamsThis } from "./streams.context";
import { channelStreamKey } from "./streams.events";

/**
 * The session lifecycle driven by ingest: open or resume on publish, wait
 * out the grace period on disconnect, end with events and the recording
 * handed to VOD. Kept apart from the service file so the wiring there
 * stays readable; everything here runs with the service as `svc`.
 */
/** How far back a restarted node looks for recordings it ended but never handed over. */
const RECORDING_RECOVERY_WINDOW_MS = 24 * 3600 * 1000;

export function ingestCallbacks(svc: StreamsThis): ProviderCallbacks {
  return {
    async authorizeStreamKey(streamKey) {
      // channels compares hashes in constant time; rotated or unknown keys throw ForbiddenError.
      const found = await callAction(svc.broker, "channels.verifyStreamKey", { streamKey });
      return { channelId: found.channelId, ownerId: found.ownerId };
    },
    publishStarted: (event) => openOrResume(svc, event.channelId, event.ownerId, event.connectionId, event.sessionId),
    publishStopped: (event) => void markDisconnected(svc, event.sessionId, event.connectionId),
    healthSampled: (event) => void recordHealth(svc, event.sessionId, event.sample),
  };
}

async function openOrResume(
  svc: StreamsThis,
  channelId: string,
  ownerId: string,
  connectionId: string,
  sessionIdHint?: string,
): Promise<SessionAssignment> {
  const sessions = svc.stores.sessions;
  const open = await sessions.findOne({ channelId, status: { $in: ["live", "reconnecting"] } });
  if (open && open.nodeId !== svc.broker.nodeID) {
    if (svc.broker.registry.nodes.get(open.nodeId)?.available)
      throw new ConflictError(`Channel ${channelId} is already live through another ingest node`);
    // Its node is gone (crash, redeploy with a new node id): nobody else will ever end it.
    svc.logger.warn(`Session ${open.id} of channel ${channelId} was left open by node ${open.nodeId}; ending it`);
    await endSessionNow(svc, open.id);
  } else if (open) {
    const timer = svc.graceTimers.get(open.id);
    if (timer) clearTimeout(timer);
    svc.graceTimers.delete(open.id);
    await sessions.updateById(open.id, { status: "live", connectionId, disconnectedAt: null });
    svc.logger.info(`Channel ${channelId} reconnected: session ${open.id} continues`);
    return { sessionId: open.id, resumed: true };
  }
  const channel = await callAction(svc.broker, "channels.get", { id: channelId });
  const startedAt = new Date();
  // The partial unique index on open sessions turns a race between two ingest nodes into a 409.
  const created = await svc.db.transaction(async () => {
    const doc = await sessions.insert({
      ...(sessionIdHint ? { id: sessionIdHint } : {}),
      channelId,
      ownerId,
      status: "live",
      title: channel.title,
      category: channel.category ?? null,
      language: channel.language ?? "en",
      provider: svc.provider.kind,
      nodeId: svc.broker.nodeID,
      connectionId,
      startedAt,
      disconnectedAt: null,
      endedAt: null,
      durationS: null,
      viewerCount: 0,
      peakViewers: 0,
      lastHealth: null,
      recordingKey: null,
    });
    await svc.publishDurable(
      "stream.started",
      {
        sessionId: doc.id,
        channelId,
        ownerId,
        title: doc.title,
        category: doc.category,
        language: doc.language,
        startedAt: startedAt.toISOString(),
      },
      { key: channelStreamKey(channelId) },
    );
    return doc;
  });
  svc.logger.info(`Channel ${channelId} is live: session ${created.id}`);
  // The owner sees the health of the latest session only: earlier sessions' samples go.
  await svc.stores.healthSamples
    .removeMany({ channelId, sessionId: { $ne: created.id } })
    .catch((err: unknown) =>
      svc.logger.warn(`Old health samples of channel ${channelId} not removed: ${(err as Error).message}`),
    );
  return { sessionId: created.id, resumed: false };
}

async function markDisconnected(svc: StreamsThis, sessionId: string, connectionId: string): Promise<void> {
  if (svc.stopping) return;
  try {
    // Conditional update: if a newer connection resumed the session, or it already ended, this close is old news.
    const matched = await svc.stores.sessions.updateMany(
      { id: sessionId, status: "live", connectionId },
      { status: "reconnecting", disconnectedAt: new Date() },
    );
    if (matched === 0) return;
    scheduleGraceEnd(svc, sessionId, getConfig().media.live.reconnectGraceS * 1000);
  } catch (err) {
    svc.logger.error(`Could not mark session ${sessionId} disconnected`, err);
  }
}

/** Ends the session unless its broadcaster publishes again within `afterMs` (openOrResume clears the timer). */
function scheduleGraceEnd(svc: StreamsThis, sessionId: string, afterMs: number): void {
  const previous = svc.graceTimers.get(sessionId);
  if (previous) clearTimeout(previous);
  const timer = setTimeout(() => {
    svc.graceTimers.delete(sessionId);
    void endSessionNow(svc, sessionId);
  }, afterMs);
  svc.graceTimers.set(sessionId, timer);
}

async function recordHealth(svc: StreamsThis, sessionId: string, sample: IngestHealthSample): Promise<void> {
  try {
    const doc = await svc.stores.sessions.findById(sessionId);
    if (!doc || doc.status === "ended") return;
    await svc.stores.healthSamples.insert({ sessionId, channelId: doc.channelId, ...sample, at: new Date(sample.at) });
    await svc.stores.sessions.updateById(sessionId, { lastHealth: sample });
    // Bounded retention: a 12-hour stream would otherwise keep thousands of rows nobody reads.
    await svc.stores.healthSamples.removeMany({
      sessionId,
      at: { $lt: new Date(Date.parse(sample.at) - svc.settings.healthRetentionS * 1000) },
    });
  } catch (err) {
    // Health is advisory: a failed write must never disturb the stream.
    svc.logger.warn(`Health sample for session ${sessionId} not stored: ${(err as Error).message}`);
  }
}

/** Ends a session once, whoever asks first (grace timer, owner, shutdown recovery). */
export function endSessionNow(svc: StreamsThis, sessionId: string): Promise<void> {
  const running = svc.endingSessions.get(sessionId);
  if (running) return running;
  const timer = svc.graceTimers.get(sessionId);
  if (timer) clearTimeout(timer);
  svc.graceTimers.delete(sessionId);
  const work = finishSession(svc, sessionId)
    .catch((err: unknown) => svc.logger.error(`Ending session ${sessionId} failed`, err))
    .finally(() => svc.endingSessions.delete(sessionId));
  svc.endingSessions.set(sessionId, work);
  return work;
}

async function finishSession(svc: StreamsThis, sessionId: string): Promise<void> {
  const doc = await svc.stores.sessions.findById(sessionId);
  if (!doc || doc.status === "ended") return;
  // The broadcast ended when the broadcaster left, not when the grace period ran out.
  const endedAt = doc.disconnectedAt ? new Date(doc.disconnectedAt) : new Date();
  const durationS = sessionDurationS(doc.startedAt, endedAt);
  // Status first, so the channel may go live again while the recording is finalized.
  await svc.db.transaction(async () => {
    await svc.stores.sessions.updateById(sessionId, { status: "ended", endedAt, durationS, connectionId: null });
    await svc.publishDurable(
      "stream.ended",
      {
        sessionId,
        channelId: doc.channelId,
        ownerId: doc.ownerId,
        endedAt: endedAt.toISOString(),
        durationS,
        peakViewers: doc.peakViewers,
      },
      { key: channelStreamKey(doc.channelId) },
    );
  });
  svc.logger.info(`Session ${sessionId} of channel ${doc.channelId} ended after ${durationS}s`);
  await handOverRecording(svc, sessionId, durationS);
}

/** Finalizes the recording and publishes video.source.ready with the recording key, atomically. */
async function handOverRecording(svc: StreamsThis, sessionId: string, durationS: number): Promise<void> {
  const recording = await svc.provider.endSession(sessionId);
  if (!recording) return;
  const latest = await svc.stores.sessions.findById(sessionId);
  if (!latest) return;
  const doc = latest;
  await svc.db.transaction(async () => {
    await svc.stores.sessions.updateById(sessionId, { recordingKey: recording.storageKey });
    await svc.publishDurable("video.source.ready", {
      // Deterministic: a retried handover is the same source for the VOD service's dedupe.
      sourceId: `live-${sessionId}`,
      channelId: doc.channelId,
      ownerId: doc.ownerId,
      sessionId,
      title: doc.title,
      category: doc.category ?? null,
      storageKey: recording.storageKey,
      durationS: recording.durationS ?? durationS,
    });
  });
}

/**
 * Sessions this node left open when it stopped (crash, deploy with a fixed
 * NODE_ID): their broadcasters were cut off. Within the reconnect grace
 * period (counted from the disconnect) they wait for the broadcaster like any
 * reconnect; past it they end now with whatever was recorded. Sessions of
 * other nodes are theirs to end.
 */
export async function recoverOrphanedSessions(svc: StreamsThis): Promise<void> {
  // Ended, but the node stopped before the recording was handed over (the handover commits the key and the event together).
  const since = new Date(Date.now() - RECORDING_RECOVERY_WINDOW_MS);
  const unhanded = await svc.stores.sessions.find({
    query: { nodeId: svc.broker.nodeID, status: "ended", recordingKey: null, endedAt: { $gte: since } },
  });
  for (const doc of unhanded) {
    await handOverRecording(svc, doc.id, doc.durationS ?? 0).catch((err: unknown) =>
      svc.logger.warn(`Recording of session ${doc.id} not recovered: ${(err as Error).message}`),
    );
  }
  const orphans = await svc.stores.sessions.find({
    query: { nodeId: svc.broker.nodeID, status: { $in: ["live", "reconnecting"] } },
  });
  const graceMs = getConfig().media.live.reconnectGraceS * 1000;
  for (const doc of orphans) {
    // A live session's last write (health every few seconds) is about when this node went down.
    const disconnectedAt = doc.disconnectedAt ? new Date(doc.disconnectedAt) : new Date(doc.updatedAt);
    const remainingMs = disconnectedAt.getTime() + graceMs - Date.now();
    if (remainingMs > 0) {
      // A restart (deploy, crash) within the grace period: the encoder is reconnecting right now, so
      // the same session continues (no second stream.started, one recording) if it is back in time.
      await svc.stores.sessions.updateById(doc.id, { status: "reconnecting", disconnectedAt, connectionId: null });
      scheduleGraceEnd(svc, doc.id, remainingMs);
      svc.logger.info(
        `Session ${doc.id} left open by this node's previous run waits ${Math.ceil(remainingMs / 1000)}s for its broadcaster`,
      );
      continue;
    }
    if (!doc.disconnectedAt) await svc.stores.sessions.updateById(doc.id, { disconnectedAt });
    await endSessionNow(svc, doc.id);
  }
}

/**
 * Sessions held by a node that left the cluster for good (crash, a pod
 * replaced under a new node id) whose broadcaster never came back: nobody
 * else would end them, so the channel would stay "live" in every listing
 * and its recording would never reach VOD. Any streams node ends them once
 * they have been silent for longer than the grace period plus `marginMs`;
 * a conditional takeover makes sure only one node does.
 */
export async function sweepAbandonedSessions(svc: StreamsThis, marginMs = 60_000): Promise<string[]> {
  const silentSince = new Date(Date.now() - getConfig().media.live.reconnectGraceS * 1000 - marginMs);
  const candidates = await svc.stores.sessions.find({
    query: {
      status: { $in: ["live", "reconnecting"] },
      nodeId: { $ne: svc.broker.nodeID },
      updatedAt: { $lt: silentSince },
    },
    limit: 100,
  });
  const ended: string[] = [];
  for (const doc of candidates) {
    if (svc.broker.registry.nodes.get(doc.nodeId)?.available) continue;
    const disconnectedAt = doc.disconnectedAt ? new Date(doc.disconnectedAt) : new Date(doc.updatedAt);
    const taken = await svc.stores.sessions.updateMany(
      { id: doc.id, nodeId: doc.nodeId, status: { $in: ["live", "reconnecting"] } },
      { nodeId: svc.broker.nodeID, status: "reconnecting", disconnectedAt, connectionId: null },
    );
    if (taken === 0) continue;
    svc.logger.warn(`Session ${doc.id} of channel ${doc.channelId} was abandoned by node ${doc.nodeId}; ending it`);
    await endSessionNow(svc, doc.id);
    ended.push(doc.id);
  }
  return ended;
}

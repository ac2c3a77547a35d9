/**
 * Media fixtures the guard cannot make through the API without ffmpeg or a
 * live encoder: a live session, a published video, stored chat messages.
 * They are written through the owning service's store or internal action;
 * every state the guard compares is still read back through the API.
 */
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import type { ClipsThis } from "../../../../services/media/clips/clips.context";
import type { VideosThis } from "../../../../services/media/videos/videos.context";
import { newVideoDoc } from "../../../../services/media/videos/video-actions";
import { newMessageId } from "../../../../services/edge/realtime/message-ids";
import type { GuardHarness } from "../guard-harness";

/** The owner's channel is live (markers, stream edits): a session is opened unless one is. */
export async function ensureLive(h: GuardHarness): Promise<string> {
  const streams = h.service<StreamsThis>("streams");
  const open = await streams.stores.sessions.findOne({
    channelId: h.channelId,
    status: { $in: ["live", "reconnecting"] },
  });
  if (open) return open.id;
  const session = await streams.stores.sessions.insert({
    channelId: h.channelId,
    ownerId: h.users.owner.id,
    status: "live",
    title: "Live for the guard",
    category: null,
    language: "en",
    provider: "local",
    nodeId: h.broker.nodeID,
    connectionId: null,
    startedAt: new Date(Date.now() - 60_000),
    disconnectedAt: null,
    endedAt: null,
    durationS: null,
    viewerCount: 0,
    peakViewers: 0,
    lastHealth: null,
    recordingKey: null,
  });
  return session.id;
}

/** A published video of the owner's channel (no transcoding: its renditions are never fetched here). */
export async function publishedVideo(
  h: GuardHarness,
  visibility: "public" | "unlisted" | "private" = "public",
  sourceKey: string | null = null,
): Promise<string> {
  const videos = h.service<VideosThis>("videos");
  const doc = await videos.stores.videos.insert({
    ...newVideoDoc({
      channelId: h.channelId,
      ownerId: h.users.owner.id,
      title: "Published for the guard",
      visibility,
      origin: "upload",
    }),
    status: "ready" as const,
    publishedAt: new Date(),
    durationS: 120,
    // A clip's source (never cut here: the guard's clips service processes no jobs).
    ...(sourceKey ? { sourceKey } : {}),
  });
  return doc.id;
}

/** A ready clip of the owner's channel clipped by `ownerId`: anyone may read it, 404 once deleted. */
export async function readyClip(h: GuardHarness, ownerId: string): Promise<string> {
  const clips = h.service<ClipsThis>("clips");
  const clip = await clips.stores.clips.insert({
    channelId: h.channelId,
    ownerId,
    ownerName: "clipper",
    title: "Clip for the guard",
    sourceKind: "vod",
    sessionId: null,
    videoId: null,
    sourceKey: "videos/guard/source.mp4",
    startS: 0,
    durationS: 10,
    requestedAt: new Date(),
    status: "ready",
    method: "copy",
    storageKey: "clips/guard/clip.mp4",
    thumbnailKey: null,
    sizeBytes: 1000,
    viewCount: 0,
    failureReason: null,
    attempts: 1,
    leaseOwner: null,
    leaseUntil: null,
    finishedAt: new Date(),
  });
  return clip.id;
}

let messageClock = Date.now();

/** A chat message by `authorId` stored in the owner's channel history; returns its id. */
export async function chatMessage(h: GuardHarness, authorId: string): Promise<string> {
  const id = newMessageId(++messageClock, "a1b2");
  await h.broker.call("chat.appendMessages", {
    messages: [
      {
        id,
        room: h.channelId,
        user: { id: authorId, username: "author", badges: [] },
        text: "hi",
        sentAt: messageClock,
      },
    ],
  });
  return id;
}

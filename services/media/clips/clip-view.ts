import { roundedExpiry, signSingleObject } from "../../../lib/media/playback-signer";
import type { ClipsThis } from "./clips.context";
import type { ClipDoc, ClipView, MarkerDoc, MarkerView } from "./clip.types";

/** How long a signed clip or thumbnail URL lives. */
export const CLIP_URL_TTL_S = 3600;

export function toClipView(svc: ClipsThis, clip: ClipDoc, now = Date.now()): ClipView {
  return {
    id: clip.id,
    channelId: clip.channelId,
    ownerId: clip.ownerId,
    ownerName: clip.ownerName,
    title: clip.title,
    sourceKind: clip.sourceKind,
    sessionId: clip.sessionId,
    videoId: clip.videoId,
    startS: clip.startS,
    durationS: clip.durationS,
    status: clip.status,
    method: clip.method,
    viewCount: clip.viewCount,
    failureReason: clip.failureReason,
    thumbnailUrl:
      clip.status === "ready" && clip.thumbnailKey
        ? signSingleObject(svc.signer, clip.thumbnailKey, roundedExpiry(now, CLIP_URL_TTL_S))
        : null,
    createdAt: new Date(clip.createdAt).toISOString(),
    finishedAt: clip.finishedAt ? clip.finishedAt.toISOString() : null,
  };
}

export function toMarkerView(m: MarkerDoc): MarkerView {
  return {
    id: m.id,
    channelId: m.channelId,
    sessionId: m.sessionId,
    offsetS: m.offsetS,
    description: m.description,
    createdBy: m.createdBy,
    createdAt: new Date(m.createdAt).toISOString(),
  };
}

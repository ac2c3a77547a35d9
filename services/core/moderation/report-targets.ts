/**
 * What a report is about, asked of the service that owns it at report time:
 * the target must exist and be visible to the reporter, and the report
 * records its channel, its author or owner, and a snapshot of the text, so
 * moderators see what was reported even after it changed.
 */
import { callAction } from "../../../lib/contracts";
import { ConflictError, ValidationError } from "../../../lib/errors";
import type { ModerationContext } from "./moderation.context";
import type { ReportDoc, TargetKind } from "./report.types";

export interface TargetRef {
  targetKind: TargetKind;
  targetId: string;
  channelId?: string;
  videoId?: string;
}

export type ResolvedTarget = Pick<ReportDoc, "channelId" | "targetUserId" | "contextId" | "snapshot">;

function need(value: string | undefined, field: string, what: string): string {
  if (!value) throw new ValidationError(`${what} needs ${field}`, [{ field, message: "required for this target" }]);
  return value;
}

export async function resolveTarget(ctx: ModerationContext, ref: TargetRef): Promise<ResolvedTarget> {
  switch (ref.targetKind) {
    case "channel": {
      const c = await callAction(ctx, "channels.get", { id: ref.targetId });
      return { channelId: c.id, targetUserId: c.ownerId, contextId: null, snapshot: `${c.title} (${c.slug})` };
    }
    case "stream": {
      // A live stream is reported by its channel id; the session is what was live then.
      const c = await callAction(ctx, "channels.get", { id: ref.targetId });
      const status = await callAction(ctx, "streams.channelStatus", { channelId: c.id });
      if (!status.session) throw new ConflictError("The channel is not live");
      return { channelId: c.id, targetUserId: c.ownerId, contextId: status.session.id, snapshot: status.session.title };
    }
    case "video": {
      const v = await callAction(ctx, "videos.get", { id: ref.targetId });
      return { channelId: v.channelId, targetUserId: v.ownerId, contextId: null, snapshot: v.title };
    }
    case "comment": {
      const videoId = need(ref.videoId, "videoId", "A comment report");
      const c = await callAction(ctx, "videos.commentForReport", { videoId, id: ref.targetId });
      return { channelId: c.channelId, targetUserId: c.authorId, contextId: c.videoId, snapshot: c.body };
    }
    case "chat_message": {
      const channelId = need(ref.channelId, "channelId", "A chat message report");
      const m = await callAction(ctx, "chat.messageForReport", { channelId, messageId: ref.targetId });
      return { channelId: m.channelId, targetUserId: m.userId, contextId: null, snapshot: `${m.username}: ${m.text}` };
    }
    case "user": {
      const u = await callAction(ctx, "users.get", { id: ref.targetId });
      return { channelId: null, targetUserId: u.id, contextId: null, snapshot: u.username };
    }
  }
}

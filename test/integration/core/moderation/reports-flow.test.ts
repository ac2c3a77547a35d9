/**
 * Abuse reports against PostgreSQL behind the real gateway, with the real
 * users and channels services (reported users and channels, channel
 * moderators, channel suspension). Chat, videos and streams are stand-ins
 * speaking their real contracts and recording what moderation asked of them.
 */
import type { Context, ServiceSchema } from "moleculer";
import { DurableEventsMixin, durableHandler } from "../../../../mixins/durable-events";
import ModerationService from "../../../../services/core/moderation/moderation.service";
import { moderationRoutes } from "../../../../services/core/moderation/moderation.routes";
import type { ReportResolved } from "../../../../services/core/moderation/moderation.events";
import type { AuditView, ReportReceipt, ReportView } from "../../../../services/core/moderation/report.types";
import { startCommunity, type CommunityActor, type CommunityHarness } from "../../../helpers/community-harness";
import { waitFor } from "../../../helpers/infra";

const notFound = (what: string) => Object.assign(new Error(`${what} not found`), { code: 404, type: "NOT_FOUND" });
const calls: { action: string; params: unknown; by: string | undefined }[] = [];
const record = (action: string) => (ctx: Context<Record<string, unknown>, { user?: { id: string } }>) => {
  calls.push({ action, params: ctx.params, by: ctx.meta.user?.id });
};
const messages = new Map<string, { channelId: string; userId: string; username: string; text: string }>();

const chatStandIn: ServiceSchema = {
  name: "chat",
  actions: {
    messageForReport(ctx: Context<{ channelId: string; messageId: string }>) {
      const m = messages.get(ctx.params.messageId);
      if (!m || m.channelId !== ctx.params.channelId) throw notFound("Chat message");
      return { messageId: ctx.params.messageId, deleted: false, ...m };
    },
    deleteMessage(ctx: Context<Record<string, unknown>, { user?: { id: string } }>) {
      record("chat.deleteMessage")(ctx);
      return { ...ctx.params, deleted: true };
    },
    moderate(ctx: Context<Record<string, unknown>, { user?: { id: string } }>) {
      record("chat.moderate")(ctx);
      return { applied: true };
    },
  },
};
const videosStandIn: ServiceSchema = {
  name: "videos",
  actions: {
    get(ctx: Context<{ id: string }>) {
      if (ctx.params.id !== "vid-1") throw notFound("Video");
      return { id: "vid-1", channelId: channelIdOfVideo, ownerId: ownerIdOfVideo, title: "Bad video" };
    },
    commentForReport(ctx: Context<{ videoId: string; id: string }>) {
      if (ctx.params.videoId !== "vid-1" || ctx.params.id !== "cmt-1") throw notFound("Comment");
      return { commentId: "cmt-1", videoId: "vid-1", channelId: channelIdOfVideo, authorId: "troll", body: "rude" };
    },
    deleteComment(ctx: Context<Record<string, unknown>, { user?: { id: string } }>) {
      record("videos.deleteComment")(ctx);
      return { id: ctx.params.id, status: "removed" };
    },
  },
};
/** Nobody is live here: a stream report is refused. */
const streamsStandIn: ServiceSchema = {
  name: "streams",
  actions: {
    channelStatus(ctx: Context<{ channelId: string }>) {
      return { channelId: ctx.params.channelId, live: false, session: null, playbackUrl: null, playbackCookies: null };
    },
  },
};
const resolvedEvents: ReportResolved[] = [];
const listener: ServiceSchema = {
  name: "report-listener",
  mixins: [DurableEventsMixin()],
  channels: {
    ...durableHandler("report.resolved", {
      group: "report-listener",
      async handler(envelope) {
        resolvedEvents.push(envelope.payload);
      },
    }),
  },
};

let channelIdOfVideo = "";
let ownerIdOfVideo = "";
let h: CommunityHarness;
let streamer: CommunityActor & { channelId: string };
let mod: CommunityActor;
let admin: CommunityActor;
let reporters: CommunityActor[];
let author: CommunityActor;

beforeAll(async () => {
  h = await startCommunity({
    dbPrefix: "arena_reports",
    services: [
      {
        ...ModerationService,
        settings: { ...ModerationService.settings, reportRateLimit: { max: 8, windowMs: 60_000 } },
      } as ServiceSchema,
      chatStandIn,
      videosStandIn,
      streamsStandIn,
      listener,
    ],
    routes: [moderationRoutes],
    checkResponses: true,
  });
  streamer = await h.streamer("own");
  channelIdOfVideo = streamer.channelId;
  ownerIdOfVideo = streamer.id;
  mod = await h.actor("mod");
  admin = await h.actor("adm", ["admin"]);
  author = await h.actor("author");
  reporters = await Promise.all([h.actor("r1"), h.actor("r2"), h.actor("r3")]);
  expect((await streamer.api.request("PUT", `/channels/${streamer.channelId}/moderators/${mod.id}`)).status).toBe(200);
  messages.set("msg-1", {
    channelId: streamer.channelId,
    userId: author.id,
    username: author.username,
    text: "spam spam",
  });
});
afterAll(async () => {
  await h?.stop();
});

const report = (actor: CommunityActor | null, body: Record<string, unknown>) =>
  (actor?.api ?? h.anonymous).request<ReportReceipt>("POST", "/reports", { reason: "spam", ...body });

describe("abuse reports", () => {
  let chatReport: string;
  let videoReport: string;

  it("collapses reports of one target, one entry per reporter", async () => {
    const target = { targetKind: "chat_message", targetId: "msg-1", channelId: streamer.channelId };
    expect((await report(null, target)).status).toBe(401);
    const first = await report(reporters[0]!, { ...target, text: "bot" });
    expect(first.status).toBe(200);
    expect(first.body.recorded).toBe(true);
    const second = await report(reporters[1]!, { ...target, reason: "harassment" });
    const again = await report(reporters[0]!, target);
    expect(second.body.reportId).toBe(first.body.reportId);
    expect(again.body).toMatchObject({ reportId: first.body.reportId, recorded: false });
    chatReport = first.body.reportId;
    const view = await admin.api.request<ReportView>("GET", `/moderation/reports/${chatReport}`);
    expect(view.body).toMatchObject({
      reportCount: 2,
      reasons: { spam: 1, harassment: 1 },
      targetUserId: author.id,
      channelId: streamer.channelId,
      snapshot: `${author.username}: spam spam`,
    });
    videoReport = (await report(reporters[2]!, { targetKind: "video", targetId: "vid-1", reason: "copyright" })).body
      .reportId;
    await report(reporters[2]!, { targetKind: "comment", targetId: "cmt-1", videoId: "vid-1" });
  });

  it("refuses bad reports", async () => {
    const r = reporters[2]!;
    expect((await report(r, { targetKind: "chat_message", targetId: "msg-1" })).status).toBe(400);
    expect((await report(r, { targetKind: "comment", targetId: "cmt-1" })).status).toBe(400);
    expect((await report(r, { targetKind: "video", targetId: "vid-1", reason: "boring" })).status).toBe(400);
    expect((await report(r, { targetKind: "video", targetId: "nope" })).status).toBe(404);
    expect((await report(r, { targetKind: "user", targetId: r.id })).status).toBe(403);
    expect((await report(r, { targetKind: "stream", targetId: streamer.channelId })).status).toBe(409);
  });

  it("shows channel moderators their channel's chat and comment reports, admins everything", async () => {
    const modQueue = await mod.api.request<{ items: ReportView[] }>(
      "GET",
      `/moderation/reports?channelId=${streamer.channelId}`,
    );
    expect(modQueue.status).toBe(200);
    expect(modQueue.body.items.map((r) => r.targetKind).sort()).toEqual(["chat_message", "comment"]);
    expect((await mod.api.request("GET", "/moderation/reports")).status).toBe(400);
    expect((await reporters[0]!.api.request("GET", `/moderation/reports?channelId=${streamer.channelId}`)).status).toBe(
      403,
    );
    expect((await mod.api.request("GET", `/moderation/reports/${videoReport}`)).status).toBe(403);
    const all = await admin.api.request<{ items: ReportView[] }>("GET", "/moderation/reports");
    expect(all.body.items.map((r) => r.id)).toEqual(expect.arrayContaining([chatReport, videoReport]));
  });

  it("acts through the owning services, audits who and why, and tells the reporters", async () => {
    const act = (actor: CommunityActor, id: string, body: Record<string, unknown>) =>
      actor.api.request<ReportView>("POST", `/moderation/reports/${id}/actions`, body);
    expect((await act(mod, chatReport, { action: "delete_content" })).status).toBe(400);
    expect((await act(mod, chatReport, { action: "suspend_channel", reason: "x" })).status).toBe(403);
    expect((await act(reporters[0]!, chatReport, { action: "dismiss", reason: "x" })).status).toBe(403);
    const deleted = await act(mod, chatReport, { action: "delete_content", reason: "Spam bot" });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ status: "resolved", action: "delete_content", resolvedBy: mod.id });
    const banned = await act(mod, chatReport, { action: "timeout", reason: "Cool off", durationS: 300 });
    expect(banned.status).toBe(200);
    expect(calls).toEqual([
      { action: "chat.deleteMessage", params: { channelId: streamer.channelId, messageId: "msg-1" }, by: mod.id },
      {
        action: "chat.moderate",
        params: {
          channelId: streamer.channelId,
          command: { action: "timeout", userId: author.id, durationS: 300, reason: "Cool off" },
        },
        by: mod.id,
      },
    ]);
    const event = await waitFor(() => resolvedEvents.find((e) => e.reportId === chatReport));
    expect(event).toMatchObject({ action: "delete_content", targetKind: "chat_message" });
    expect(event.reporterIds.sort()).toEqual([reporters[0]!.id, reporters[1]!.id].sort());
    // Only the first action resolves (and notifies).
    await new Promise((r) => setTimeout(r, 300));
    expect(resolvedEvents.filter((e) => e.reportId === chatReport)).toHaveLength(1);

    // Video reports are the admins'; suspending the channel goes through the channels service.
    expect((await act(mod, videoReport, { action: "dismiss", reason: "fine" })).status).toBe(403);
    const suspended = await act(admin, videoReport, { action: "suspend_channel", reason: "Repeated piracy" });
    expect(suspended.status).toBe(200);
    const key = await streamer.api.request("POST", `/channels/${streamer.channelId}/stream-key`);
    expect(key.status).toBeLessThan(500);

    const audit = await mod.api.request<{ items: AuditView[] }>(
      "GET",
      `/moderation/audit?channelId=${streamer.channelId}`,
    );
    expect(audit.body.items.map((a) => [a.action, a.actorId, a.reason])).toEqual([
      ["suspend_channel", admin.id, "Repeated piracy"],
      ["timeout", mod.id, "Cool off"],
      ["delete_content", mod.id, "Spam bot"],
    ]);
    // A new report of a resolved target opens a new report.
    const fresh = await report(reporters[2]!, {
      targetKind: "chat_message",
      targetId: "msg-1",
      channelId: streamer.channelId,
    });
    expect(fresh.body.reportId).not.toBe(chatReport);
  });

  it("rate-limits reporting per user", async () => {
    const flood = await h.actor("flood");
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++)
      statuses.push((await report(flood, { targetKind: "user", targetId: author.id })).status);
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(200));
    expect(statuses[8]).toBe(429);
  });
});

describe("the OpenAPI document", () => {
  it("declares the status and body of every moderation answer above (issue 9)", () => {
    expect(h.responses?.violationsOf("moderation.")).toEqual([]);
    // The account suspension routes answer in account-suspension.test.ts, checked the same way.
    expect(h.responses?.unanswered("moderation.")).toEqual([
      "DELETE /api/v1/moderation/users/{userId}/suspension",
      "GET /api/v1/moderation/users/{userId}/suspension",
      "PUT /api/v1/moderation/users/{userId}/suspension",
    ]);
  });
});

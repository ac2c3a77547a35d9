/**
 * Account suspension on the real identity, channels and moderation services
 * behind the real gateway (PostgreSQL, durable events in-process): acting on
 * a report and the admin routes; a suspended user's tokens, refresh token
 * and password stop working, their channel's key is refused and its live
 * broadcast dropped, their content stays; lifting it restores all of it.
 * Every change is in the audit log.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ServiceSchema } from "moleculer";
import { mailDir } from "../../../../lib/mail";
import { DurableEventsMixin, durableHandler } from "../../../../mixins/durable-events";
import type { ChannelsThis } from "../../../../services/core/channels/channels.context";
import type { UserSuspended, UserUnsuspended } from "../../../../services/core/identity/identity.events";
import type { SuspensionStatus } from "../../../../services/core/identity/suspension";
import ModerationService from "../../../../services/core/moderation/moderation.service";
import { moderationRoutes } from "../../../../services/core/moderation/moderation.routes";
import type { AuditView, ReportReceipt } from "../../../../services/core/moderation/report.types";
import { ok } from "../../../helpers/api-client";
import { uniqueId, waitFor } from "../../../helpers/infra";
import { newUser, PASSWORD, startCore, type CoreHarness, type TestUser } from "../core-harness";

jest.setTimeout(60000);

const dropped: string[] = [];
const messages = new Map<string, { channelId: string; userId: string; username: string; text: string }>();
/** Chat stand-in speaking the contract moderation uses to look a reported message up. */
const chatStandIn: ServiceSchema = {
  name: "chat",
  actions: {
    messageForReport(ctx: { params: { channelId: string; messageId: string } }) {
      const m = messages.get(ctx.params.messageId);
      if (!m || m.channelId !== ctx.params.channelId)
        throw Object.assign(new Error("Chat message not found"), { code: 404, type: "NOT_FOUND" });
      return { messageId: ctx.params.messageId, deleted: false, ...m };
    },
  },
};
const events: Array<{ type: string; payload: UserSuspended | UserUnsuspended }> = [];
const listener: ServiceSchema = {
  name: "suspension-listener",
  mixins: [DurableEventsMixin()],
  events: {
    "channels.suspended"(ctx: { params: { channelId: string } }) {
      dropped.push(ctx.params.channelId);
    },
  },
  channels: {
    ...durableHandler("user.suspended", {
      group: "suspension-listener",
      async handler(envelope) {
        events.push({ type: "user.suspended", payload: envelope.payload });
      },
    }),
    ...durableHandler("user.unsuspended", {
      group: "suspension-listener",
      async handler(envelope) {
        events.push({ type: "user.unsuspended", payload: envelope.payload });
      },
    }),
  },
};

describe("account suspension (report action and admin routes)", () => {
  let h: CoreHarness;
  let admin: TestUser;

  beforeAll(async () => {
    h = await startCore({}, [ModerationService as unknown as ServiceSchema, listener, chatStandIn], {
      routes: [moderationRoutes],
      checkResponses: true,
    });
    admin = await newUser(h, "sad");
    await h.broker.call("identity.grantRole", { userId: admin.id, role: "admin" });
    const token = ok(await h.api.auth.login({ login: admin.email, password: PASSWORD })).accessToken;
    admin = { ...admin, token, api: h.api.as(token) };
  });
  afterAll(() => h?.stop());

  async function streamer(prefix: string): Promise<TestUser & { channelId: string; streamKey: string }> {
    const user = await newUser(h, prefix);
    const slug = uniqueId(prefix).slice(0, 30).toLowerCase();
    const created = ok(await user.api.channels.create({ slug, title: "Mine" }), 201);
    return { ...user, channelId: created.channel.id, streamKey: created.streamKey };
  }
  const mailsTo = (email: string): string[] => {
    const dir = mailDir(h.config);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .filter((m) => m.includes(email));
  };
  const verify = (streamKey: string) => h.broker.call("channels.verifyStreamKey", { streamKey });
  const path = (userId: string) => `/moderation/users/${userId}/suspension`;
  const login = (u: TestUser) => h.api.auth.login({ login: u.email, password: PASSWORD });
  async function auditOf(userId: string): Promise<AuditView[]> {
    const page = ok(await admin.api.request<{ items: AuditView[] }>("GET", "/moderation/audit?limit=100"));
    return page.items.filter((a) => a.targetUserId === userId);
  }

  it("acting on a chat report suspends its author: no login, no refresh, sessions end, the stream key is refused", async () => {
    const [target, host, reporter] = await Promise.all([streamer("sst"), streamer("ssh"), newUser(h, "srp")]);
    await expect(verify(target.streamKey)).resolves.toMatchObject({ channelId: target.channelId });
    const messageId = uniqueId("msg");
    messages.set(messageId, { channelId: host.channelId, userId: target.id, username: target.username, text: "rude" });
    const receipt = ok(
      await reporter.api.request<ReportReceipt>("POST", "/reports", {
        targetKind: "chat_message",
        targetId: messageId,
        channelId: host.channelId,
        reason: "harassment",
      }),
    );
    const act = (api: TestUser["api"], reason: string) =>
      api.request("POST", `/moderation/reports/${receipt.reportId}/actions`, { action: "suspend_account", reason });
    // The channel's broadcaster handles its chat reports, but only admins suspend accounts.
    expect((await act(host.api, "x")).status).toBe(403);
    expect(ok(await h.api.auth.login({ login: target.email, password: PASSWORD })).accessToken).toBeTruthy();
    ok(await act(admin.api, "Repeated <b>harassment</b>"));

    // The open session's access token is refused at once, its refresh token too, and the password no longer logs in.
    expect((await target.api.me.get()).status).toBe(401);
    expect((await h.api.auth.refresh(target.refreshToken)).status).toBe(401);
    const refused = await login(target);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain("Repeated harassment");
    // A wrong password still answers 401: suspension is only told to whoever proves the account is theirs.
    expect((await h.api.auth.login({ login: target.email, password: "not-the-password-9" })).status).toBe(401);

    // channels heard user.suspended: the key is refused and a live broadcaster is dropped. The channel stays.
    await waitFor(
      async () =>
        verify(target.streamKey).then(
          () => false,
          () => true,
        ),
      {
        what: "the suspended owner's stream key to be refused",
      },
    );
    await expect(verify(target.streamKey)).rejects.toMatchObject({ code: 403 });
    expect(dropped).toContain(target.channelId);
    expect(ok(await h.api.channels.get(target.channelId)).id).toBe(target.channelId);

    await waitFor(async () => events.some((e) => e.type === "user.suspended" && e.payload.userId === target.id), {
      what: "user.suspended",
    });
    const event = events.find((e) => e.payload.userId === target.id)!.payload as UserSuspended;
    expect(event).toMatchObject({ reportId: receipt.reportId, reason: "Repeated harassment", version: 1 });
    const [row] = await auditOf(target.id);
    expect(row).toMatchObject({
      action: "suspend_account",
      actorId: admin.id,
      reportId: receipt.reportId,
      targetKind: "chat_message",
    });
  });

  it("admins suspend and reinstate directly (audited); reinstated users log in and broadcast again", async () => {
    const target = await streamer("ssd");
    const suspended = ok(await admin.api.request<SuspensionStatus>("PUT", path(target.id), { reason: "spam bot" }));
    expect(suspended).toMatchObject({ userId: target.id, suspended: true, reason: "spam bot", version: 1 });
    // Again: nothing changes, no second event or audit row.
    expect(ok(await admin.api.request<SuspensionStatus>("PUT", path(target.id), { reason: "again" })).version).toBe(1);
    expect(ok(await admin.api.request<SuspensionStatus>("GET", path(target.id)))).toMatchObject({ suspended: true });
    expect((await login(target)).status).toBe(403);
    await waitFor(
      async () =>
        verify(target.streamKey).then(
          () => false,
          () => true,
        ),
      { what: "key refused" },
    );

    // They cannot log in to read anything: a mail tells them (embedded mode writes .eml files).
    await waitFor(() => mailsTo(target.email).some((m) => m.includes("Your Arena account is suspended")), {
      what: "the suspension mail",
    });
    expect(mailsTo(target.email).find((m) => m.includes("suspended"))).toContain("spam bot");

    const lifted = ok(await admin.api.request<SuspensionStatus>("DELETE", path(target.id), { reason: "appeal ok" }));
    expect(lifted).toMatchObject({ suspended: false, version: 2 });
    expect(ok(await login(target)).accessToken).toBeTruthy();
    await waitFor(
      async () =>
        verify(target.streamKey).then(
          () => true,
          () => false,
        ),
      { what: "key accepted again" },
    );

    const actions = (await auditOf(target.id)).map((a) => [a.action, a.reason]);
    expect(actions).toEqual([
      ["unsuspend_account", "appeal ok"],
      ["suspend_account", "spam bot"],
    ]);
    await waitFor(() => events.filter((e) => e.payload.userId === target.id).length === 2, { what: "both events" });
    await waitFor(() => mailsTo(target.email).some((m) => m.includes("active again")), {
      what: "the reinstatement mail",
    });
    expect(events.filter((e) => e.payload.userId === target.id).map((e) => e.type)).toEqual([
      "user.suspended",
      "user.unsuspended",
    ]);
  });

  it("an unsuspend older than the suspension it follows changes nothing (versions order the events)", async () => {
    const target = await streamer("sso");
    ok(await admin.api.request("PUT", path(target.id), { reason: "first" }));
    await waitFor(
      async () =>
        verify(target.streamKey).then(
          () => false,
          () => true,
        ),
      { what: "key refused" },
    );
    // A stale user.unsuspended (version 0) arriving late must not reinstate the channel.
    const identity = h.broker.getLocalService("identity") as unknown as {
      publishDurable(type: "user.unsuspended", payload: UserUnsuspended): Promise<string>;
      relayOutbox(): Promise<number>;
    };
    const eventId = await identity.publishDurable("user.unsuspended", {
      userId: target.id,
      unsuspendedAt: new Date().toISOString(),
      version: 0,
    });
    await identity.relayOutbox();
    const channels = h.broker.getLocalService("channels") as unknown as ChannelsThis;
    await waitFor(
      async () =>
        (
          await channels.db.query("SELECT 1 FROM processed_events WHERE consumer_group = $1 AND event_id = $2", [
            "channels",
            eventId,
          ])
        ).length === 1,
      { what: "channels to handle the stale event" },
    );
    await expect(verify(target.streamKey)).rejects.toMatchObject({ code: 403 });
  });

  it("authorization and params: admins only, reasons required, unknown users 404, no self or admin suspension", async () => {
    const [target, other] = await Promise.all([newUser(h, "ssa"), newUser(h, "ssb")]);
    expect((await h.api.request("PUT", path(target.id), { reason: "x" })).status).toBe(401);
    expect((await other.api.request("PUT", path(target.id), { reason: "x" })).status).toBe(403);
    expect((await other.api.request("DELETE", path(target.id), { reason: "x" })).status).toBe(403);
    expect((await other.api.request("GET", path(target.id))).status).toBe(403);
    expect((await admin.api.request("PUT", path(target.id), {})).status).toBe(400);
    expect((await admin.api.request("PUT", path(target.id), { reason: "<b></b>" })).status).toBe(400);
    expect((await admin.api.request("DELETE", path(target.id), {})).status).toBe(400);
    expect((await admin.api.request("PUT", path("not a uuid"), { reason: "x" })).status).toBe(400);
    expect((await admin.api.request("PUT", path("00000000-0000-4000-8000-000000000000"), { reason: "x" })).status).toBe(
      404,
    );
    expect((await admin.api.request("PUT", path(admin.id), { reason: "x" })).status).toBe(400);
    await h.broker.call("identity.grantRole", { userId: other.id, role: "admin" });
    expect((await admin.api.request("PUT", path(other.id), { reason: "x" })).status).toBe(403);
    // Nothing above changed anything.
    expect(ok(await admin.api.request<SuspensionStatus>("GET", path(target.id))).suspended).toBe(false);
    expect(await auditOf(target.id)).toEqual([]);
  });

  it("answered every moderation call above as the OpenAPI document declares (issue 9)", () => {
    expect(h.responses?.violationsOf("moderation.")).toEqual([]);
    // Listing and reading reports answer in reports-flow.test.ts, checked the same way.
    expect(h.responses?.unanswered("moderation.")).toEqual([
      "GET /api/v1/moderation/reports",
      "GET /api/v1/moderation/reports/{id}",
    ]);
  });
});

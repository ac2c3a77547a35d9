/**
 * The chat service's REST routes through the real gateway and core
 * services: history paging, delete and moderation with their 400/401/403/404.
 */
import type { ServiceSchema } from "moleculer";
import ApiService, { type ApiSettings, type ApiThis } from "../../../../services/edge/api/api.service";
import type { HistoryPage } from "../../../../services/media/chat/chat-history";
import { chatRoutes } from "../../../../services/media/chat/chat.routes";
import ChatService from "../../../../services/media/chat/chat.service";
import type { ModerationDoc } from "../../../../services/media/chat/chat.entities";
import type { EntityStore } from "../../../../mixins/db/entity-store";
import { newMessageId } from "../../../../services/edge/realtime/message-ids";

/** Any gateway's 4-hex node tag. */
const NODE_TAG = "a1b2";
import { ApiClient, ok } from "../../../helpers/api-client";
import { waitFor } from "../../../helpers/infra";
import { ResponseCheck } from "../../../helpers/response-check";
import { newUser, startCore, type CoreHarness, type TestUser } from "../../core/core-harness";

/** Channel creation answers 201 (200 in older builds of the channels service); either is success. */
function createdChannel<T>(res: { status: number; body: T | unknown }): T {
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`channel create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}
describe("chat REST routes", () => {
  let h: CoreHarness;
  let api: ApiClient;
  let check: ResponseCheck;
  let owner: TestUser, mod: TestUser, viewer: TestUser;
  let channelId: string;
  const ids: string[] = [];
  const as = (u?: TestUser) => api.as(u?.token);

  beforeAll(async () => {
    h = await startCore({}, [ChatService]);
    const schema: ServiceSchema<ApiSettings> = {
      name: "chatapi",
      mixins: [ApiService as ServiceSchema],
      settings: { routeTables: [chatRoutes] },
    };
    const gw = h.broker.createService(schema) as ApiThis;
    await h.broker.waitForServices(["chatapi"]);
    check = await ResponseCheck.load(`http://127.0.0.1:${gw.boundPort()}`);
    api = new ApiClient(`http://127.0.0.1:${gw.boundPort()}`, undefined, check.fetch);
    [owner, mod, viewer] = await Promise.all([newUser(h, "co"), newUser(h, "cm"), newUser(h, "cv")]);
    channelId = createdChannel<{ channel: { id: string } }>(
      await owner.api.channels.create({ slug: `chat-${Date.now().toString(36)}`, title: "Chat routes" }),
    ).channel.id;
    ok(await owner.api.channels.addModerator(channelId, mod.id));
    const t0 = Date.now();
    const messages = Array.from({ length: 7 }, (_, i) => {
      const id = newMessageId(t0 + i, NODE_TAG);
      ids.push(id);
      return {
        id,
        room: channelId,
        user: { id: viewer.id, username: viewer.username, badges: [] },
        text: `m${i}`,
        sentAt: t0 + i,
      };
    });
    await h.broker.call("chat.appendMessages", { messages });
    // A retried batch is harmless.
    await h.broker.call("chat.appendMessages", { messages: messages.slice(0, 2) });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("pages history backwards with a cursor, oldest first in each page", async () => {
    const base = `/channels/${channelId}/chat/messages`;
    const first = ok(await as().request<HistoryPage>("GET", `${base}?limit=3`));
    expect(first.items.map((m) => m.text)).toEqual(["m4", "m5", "m6"]);
    const second = ok(await as().request<HistoryPage>("GET", `${base}?limit=3&before=${first.nextBefore}`));
    expect(second.items.map((m) => m.text)).toEqual(["m1", "m2", "m3"]);
    const third = ok(await as().request<HistoryPage>("GET", `${base}?limit=3&before=${second.nextBefore}`));
    expect(third.items.map((m) => m.text)).toEqual(["m0"]);
    expect(third.nextBefore).toBeNull();
    expect((await as().request("GET", `${base}?limit=1000`)).status).toBe(400);
    expect((await as().request("GET", `${base}?before=bad%20id`)).status).toBe(400);
    for (const q of ["limit=0", "limit=-1", "limit=abc", "limit=2.5", `before=${"x".repeat(65)}`])
      expect({ q, status: (await as().request("GET", `${base}?${q}`)).status }).toEqual({ q, status: 400 });
    // A cursor older than everything is an empty page; an unknown channel is a 404, not an empty history.
    expect(ok(await as().request<HistoryPage>("GET", `${base}?before=000000000`))).toEqual({
      items: [],
      nextBefore: null,
    });
    expect((await as().request("GET", `/channels/nochannel${Date.now()}/chat/messages`)).status).toBe(404);
  });

  it("deletes messages for moderators only; deleted stays deleted", async () => {
    const path = `/channels/${channelId}/chat/messages/${ids[6]}`;
    expect((await as().request("DELETE", path)).status).toBe(401);
    expect((await as(viewer).request("DELETE", path)).status).toBe(403);
    expect((await as(mod).request("DELETE", `/channels/${channelId}/chat/messages/0000000000000000z`)).status).toBe(
      404,
    );
    ok(await as(mod).request("DELETE", path));
    const page = ok(await as().request<HistoryPage>("GET", `/channels/${channelId}/chat/messages?limit=100`));
    expect(page.items.map((m) => m.id)).toEqual(ids.slice(0, 6));
    // The same id arriving later in a batch does not resurrect it.
    await h.broker.call("chat.appendMessages", {
      messages: [
        {
          id: ids[6],
          room: channelId,
          user: { id: viewer.id, username: viewer.username, badges: [] },
          text: "m6",
          sentAt: Date.now(),
        },
      ],
    });
    const again = ok(await as().request<HistoryPage>("GET", `/channels/${channelId}/chat/messages?limit=100`));
    expect(again.items.some((m) => m.id === ids[6])).toBe(false);
  });

  it("does not let a moderator of another channel erase a message before its batch is stored", async () => {
    const other = await newUser(h, "cx");
    const otherChannel = createdChannel<{ channel: { id: string } }>(
      await other.api.channels.create({ slug: `chat-x-${Date.now().toString(36)}`, title: "Other" }),
    ).channel.id;
    const now = Date.now();
    const id = newMessageId(now, NODE_TAG);
    // The id was seen live on the victim channel's socket; the batch holding it is not stored yet.
    ok(await as(other).request("DELETE", `/channels/${otherChannel}/chat/messages/${id}`));
    await h.broker.call("chat.appendMessages", {
      messages: [
        {
          id,
          room: channelId,
          user: { id: viewer.id, username: viewer.username, badges: [] },
          text: "still here",
          sentAt: now,
        },
      ],
    });
    const page = ok(await as().request<HistoryPage>("GET", `/channels/${channelId}/chat/messages?limit=100`));
    expect(page.items.find((m) => m.id === id)).toMatchObject({ text: "still here", user: { id: viewer.id } });
    expect(ok(await as().request<HistoryPage>("GET", `/channels/${otherChannel}/chat/messages`)).items).toEqual([]);
  });

  it("runs moderation commands with 400/401/403 and refuses banning the broadcaster", async () => {
    const path = `/channels/${channelId}/chat/moderation`;
    expect((await as().request("POST", path, { command: { action: "slow", seconds: 5 } })).status).toBe(401);
    expect((await as(viewer).request("POST", path, { command: { action: "slow", seconds: 5 } })).status).toBe(403);
    expect((await as(mod).request("POST", path, { command: { action: "slow", seconds: 500 } })).status).toBe(400);
    expect((await as(mod).request("POST", path, { command: { action: "explode" } })).status).toBe(400);
    // No subscriptions in Arena: the mode is gone from the protocol.
    const subs = await as(mod).request<{ error: { message: string } }>("POST", path, {
      command: { action: "subscribersOnly", enabled: true },
    });
    expect(subs.status).toBe(400);
    expect(subs.body.error.message).toMatch(/unknown moderation action/);
    expect((await as(mod).request("POST", path, { command: { action: "ban", userId: owner.id } })).status).toBe(403);
    ok(await as(mod).request("POST", path, { command: { action: "timeout", userId: viewer.id, durationS: 600 } }));
    ok(await as(owner).request("POST", path, { command: { action: "blockTerm", term: "spoiler*" } }));
    expect((await as(viewer).request("GET", path)).status).toBe(403);
    const state = ok(
      await as(mod).request<{
        modes: { slowModeS: number };
        bans: Record<string, { until: number }>;
        blockedTerms: string[];
        version: number;
      }>("GET", path),
    );
    expect(state.modes.slowModeS).toBe(0);
    expect(Object.keys(state.bans)).toEqual([viewer.id]);
    expect(state.bans[viewer.id]!.until).toBeGreaterThan(Date.now());
    expect(state.blockedTerms).toEqual(["spoiler*"]);
    expect(state.version).toBe(2);
  });

  it("refuses a moderator banning or timing out a site admin (roles from identity, refreshed by user.roles.changed)", async () => {
    const path = `/channels/${channelId}/chat/moderation`;
    const timeout = (userId: string) => ({ command: { action: "timeout", userId, durationS: 60 } });
    const [staff, later] = await Promise.all([newUser(h, "cs"), newUser(h, "cl")]);
    await h.broker.call("identity.grantRole", { userId: staff.id, role: "admin" });
    expect(ok(await h.api.request<{ roles: string[] }>("GET", `/users/${staff.id}/roles`)).roles).toContain("admin");
    for (const command of [timeout(staff.id), { command: { action: "ban", userId: staff.id } }]) {
      const res = await as(mod).request<{ error: { code: string; message: string } }>("POST", path, command);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/site admin/);
    }
    // The channel owner: refused too, by a moderator as by anyone.
    expect((await as(mod).request("POST", path, timeout(owner.id))).status).toBe(403);
    // The broadcaster may act on an admin in their own room.
    ok(await as(owner).request("POST", path, timeout(staff.id)));
    ok(await as(owner).request("POST", path, { command: { action: "untimeout", userId: staff.id } }));

    // Roles cached as a plain user are replaced when the user becomes an admin, without waiting for the cache TTL.
    ok(await as(mod).request("POST", path, timeout(later.id)));
    await h.broker.call("identity.grantRole", { userId: later.id, role: "admin" });
    await waitFor(async () => (await as(mod).request("POST", path, timeout(later.id))).status === 403, {
      what: "chat to learn the new admin role from user.roles.changed",
    });
  });

  it("caps blocked terms per room with a 400, so every message's scan stays bounded", async () => {
    const path = `/channels/${channelId}/chat/moderation`;
    const chat = h.broker.getLocalService("chat") as unknown as { stores: { moderation: EntityStore<ModerationDoc> } };
    ok(await as(owner).request("POST", path, { command: { action: "links", allowed: true } }));
    const doc = await chat.stores.moderation.findById(channelId);
    if (!doc) throw new Error("moderation state missing");
    const terms = Array.from({ length: 500 }, (_, i) => `word${i}`);
    await chat.stores.moderation.updateById(channelId, { state: { ...doc.state, blockedTerms: terms } });
    const refused = await as(owner).request<{ message: string }>("POST", path, {
      command: { action: "blockTerm", term: "one more" },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/at most 500/);
    ok(await as(owner).request("POST", path, { command: { action: "blockTerm", term: "WORD7" } }));
    ok(await as(owner).request("POST", path, { command: { action: "unblockTerm", term: "word1" } }));
    ok(await as(owner).request("POST", path, { command: { action: "blockTerm", term: "one more" } }));
    const state = ok(await as(mod).request<{ blockedTerms: string[] }>("GET", path));
    expect(state.blockedTerms).toHaveLength(500);
    expect(state.blockedTerms).toContain("one more");
  });

  it("answered every call above as the OpenAPI document declares (issue 9)", () => {
    expect(check.violationsOf("chat.")).toEqual([]);
    expect(check.unanswered("chat.")).toEqual([]);
  });
});

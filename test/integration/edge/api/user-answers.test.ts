/**
 * GET /me kept per user on the gateway (services/edge/api/user-answers.ts):
 * never across users, the caller's own change at once, another writer's
 * change when its `cache.invalidated` broadcast arrives, a change nobody
 * announced within READ_CACHE_TTL_S, and a revoked session refused with a
 * warm entry.
 */
import { Client } from "pg";
import { ok } from "../../../helpers/api-client";
import { newUser, startCore, type CoreHarness, type TestUser } from "../../core/core-harness";
import type { UserAnswerCache } from "../../../../services/edge/api/user-answers";

jest.setTimeout(60000);

const TTL_S = 2;

describe("gateway /me answers per user (real Postgres, real gateway)", () => {
  let h: CoreHarness;
  let owner: TestUser;
  let other: TestUser;
  let sql: Client;
  let answers: UserAnswerCache;

  beforeAll(async () => {
    h = await startCore({ READ_CACHE_TTL_S: String(TTL_S) });
    [owner, other] = await Promise.all([newUser(h, "uaown"), newUser(h, "uaoth")]);
    sql = new Client({ connectionString: h.db?.url });
    await sql.connect();
    answers = (h.broker.getLocalService("api") as unknown as { userAnswers: UserAnswerCache }).userAnswers;
  });

  afterAll(async () => {
    await sql?.end();
    await h?.stop();
  });

  /** Changes the row behind the users service's back: nobody announces it. */
  const renameBehindItsBack = (user: TestUser, name: string) =>
    sql.query("UPDATE users.profiles SET display_name = $1 WHERE id = $2", [name, user.id]);
  const displayName = async (user: TestUser) => ok(await user.api.me.get()).displayName;

  it("keeps each caller's answer on the gateway, never serving it to another user", async () => {
    for (let i = 0; i < 2; i += 1) {
      expect(ok(await owner.api.me.get()).id).toBe(owner.id);
      expect(ok(await other.api.me.get()).id).toBe(other.id);
    }
    expect(answers.get("users.me", owner.id)).toMatchObject({ id: owner.id });
    expect(answers.get("users.me", other.id)).toMatchObject({ id: other.id });
    const before = await displayName(owner);
    await renameBehindItsBack(owner, "Unannounced");
    // Kept: the gateway answers without asking (the proof that the steps below really invalidate).
    expect(await displayName(owner)).toBe(before);
    expect(ok(await other.api.me.get()).id).toBe(other.id);
  });

  it("shows the caller's own change at once (profile and preferences)", async () => {
    await displayName(owner);
    ok(await owner.api.me.update({ displayName: "Owner Renamed" }));
    expect(await displayName(owner)).toBe("Owner Renamed");
    ok(await owner.api.me.updatePreferences({ language: "de" }));
    expect(ok(await owner.api.me.get()).preferences.language).toBe("de");
    expect(await displayName(other)).not.toBe("Owner Renamed");
  });

  it("drops the answers when the users service announces a write it did elsewhere", async () => {
    expect(await displayName(other)).not.toBe("Elsewhere");
    await renameBehindItsBack(other, "Elsewhere");
    expect(await displayName(other)).not.toBe("Elsewhere");
    // What a users service on another node broadcasts after its write (mixins/read-cache).
    await h.broker.broadcast("cache.invalidated", { service: "users" });
    await new Promise((r) => setTimeout(r, 50));
    expect(await displayName(other)).toBe("Elsewhere");
  });

  it("never serves a change nobody announced for longer than READ_CACHE_TTL_S", async () => {
    expect(await displayName(other)).toBe("Elsewhere");
    await renameBehindItsBack(other, "Silent");
    const changedAt = Date.now();
    let fresh = false;
    let stale = 0;
    while (!fresh) {
      const startedAt = Date.now();
      fresh = (await displayName(other)) === "Silent";
      if (!fresh) {
        stale += 1;
        expect(startedAt - changedAt).toBeLessThanOrEqual(TTL_S * 1000);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // It was kept for a while (else this proves nothing about the bound).
    expect(stale).toBeGreaterThan(0);
  });

  it("refuses a revoked session although its /me answer is warm", async () => {
    const second = ok(await h.api.auth.login({ login: other.email, password: "violet-tundra-42-kettle" }));
    if (!("accessToken" in second)) throw new Error("login failed");
    const api = h.api.as(second.accessToken);
    expect(ok(await api.me.get()).id).toBe(other.id);
    expect(answers.get("users.me", other.id)).toBeDefined();
    const sid = (JSON.parse(Buffer.from(second.accessToken.split(".")[1], "base64url").toString()) as { sid: string })
      .sid;
    // What identity broadcasts when a session is revoked on any node.
    await h.broker.broadcast("identity.sessions.revoked", {
      sessionIds: [sid],
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    await new Promise((r) => setTimeout(r, 50));
    expect((await api.me.get()).status).toBe(401);
    // The other session of the same user still reads its (kept) answer.
    expect(ok(await other.api.me.get()).id).toBe(other.id);
  });
});

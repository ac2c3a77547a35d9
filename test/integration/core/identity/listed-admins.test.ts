import { randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { ok } from "../../../helpers/api-client";
import { createTestDatabase, uniqueId, type TestDatabase } from "../../../helpers/infra";
import { PASSWORD, startCore, type CoreHarness } from "../core-harness";

jest.setTimeout(90000);

/** ARENA_ADMINS: the first admin of a fresh install, without the REPL. */
describe("ARENA_ADMINS", () => {
  let db: TestDatabase;
  let h: CoreHarness | undefined;
  const env = (admins: string) => ({
    DATABASE_URL: db.url,
    NAMESPACE: uniqueId("ns"),
    IDENTITY_KEY_ENCRYPTION_SECRET: "k".repeat(43),
    ARENA_ADMINS: admins,
  });
  const tag = randomBytes(3).toString("hex");
  const boss = `boss_${tag}`;
  const late = `late_${tag}`;

  beforeAll(async () => {
    db = await createTestDatabase("arena_admins");
  });
  afterAll(async () => {
    await h?.stop();
    await db?.drop();
  });

  async function register(core: CoreHarness, username: string, email = `${username}@example.test`) {
    return ok(await core.api.auth.register({ email, username, password: PASSWORD }), 201);
  }
  async function tokenRoles(core: CoreHarness, login: string): Promise<{ token: string; roles: string[] }> {
    const token = ok(await core.api.auth.login({ login, password: PASSWORD })).accessToken;
    return { token, roles: decodeJwt(token).roles as string[] };
  }

  it("makes listed usernames and emails admin when they register, and existing ones at boot", async () => {
    h = await startCore(env(` ${boss.toUpperCase()} , Chief_${tag}@Example.test`));
    expect((await register(h, boss)).roles).toEqual(["viewer", "admin"]);
    expect((await register(h, `chf_${tag}`, `chief_${tag}@example.test`)).roles).toEqual(["viewer", "admin"]);
    expect((await register(h, late)).roles).toEqual(["viewer"]);
    // The listed user acts as admin at once: an admin-only route answers.
    const admin = await tokenRoles(h, boss);
    expect(admin.roles).toContain("admin");
    const lateUser = await tokenRoles(h, late);
    const lateId = (decodeJwt(lateUser.token).sub as string) ?? "";
    expect((await h.api.as(lateUser.token).auth.addRole(lateId, "organizer")).status).toBe(403);
    ok(await h.api.as(admin.token).auth.addRole(lateId, "organizer"));
    await h.stop();

    // Listed later (or by email): granted at the next boot; unlisting does not take admin away.
    h = await startCore(env(late));
    expect((await tokenRoles(h, late)).roles).toEqual(expect.arrayContaining(["admin", "organizer"]));
    expect((await tokenRoles(h, boss)).roles).toContain("admin");
  });
});

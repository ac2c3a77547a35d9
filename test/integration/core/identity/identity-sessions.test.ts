import { decodeProtectedHeader } from "jose";
import type { Service } from "moleculer";
import type { IdentityThis } from "../../../../services/core/identity/identity.service";
import { totpCode } from "../../../../services/core/identity/totp";
import { isErrorBody, ok } from "../../../helpers/api-client";
import { waitFor } from "../../../helpers/infra";
import { newUser, PASSWORD, startCore, type CoreHarness } from "../core-harness";

jest.setTimeout(60000);

describe("identity: built-in issuer sessions, MFA, lockout, keys (real Postgres, real gateway)", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startCore({}, [], { checkResponses: true });
  });
  afterAll(() => h?.stop());

  it("refuses weak passwords, bad input and duplicates with 4xx", async () => {
    const weak = await h.api.auth.register({
      email: "weak@example.test",
      username: "weakling",
      password: "password123",
    });
    expect(weak.status).toBe(400);
    expect(isErrorBody(weak.body) && weak.body.error.code).toBe("VALIDATION_ERROR");
    expect((await h.api.auth.register({ email: "not-an-email", username: "someone", password: PASSWORD })).status).toBe(
      400,
    );
    expect((await h.api.auth.register({ email: "x@example.test", username: "a b", password: PASSWORD })).status).toBe(
      400,
    );
    const first = await newUser(h, "dup");
    const again = await h.api.auth.register({
      email: first.email.toUpperCase(),
      username: "otherdup",
      password: PASSWORD,
    });
    expect(again.status).toBe(409);
    const sameName = await h.api.auth.register({
      email: "fresh@example.test",
      username: first.username.toUpperCase(),
      password: PASSWORD,
    });
    expect(sameName.status).toBe(409);
  });

  it("rotates refresh tokens and revokes the session when a used one is replayed", async () => {
    const u = await newUser(h, "rot");
    const first = ok(await h.api.auth.refresh(u.refreshToken));
    expect(first.refreshToken).not.toBe(u.refreshToken);
    expect(ok(await u.api.as(first.accessToken).me.get()).id).toBe(u.id);

    // Replaying the used token: 401, and the whole session dies with it.
    const replay = await h.api.auth.refresh(u.refreshToken);
    expect(replay.status).toBe(401);
    expect((await h.api.auth.refresh(first.refreshToken)).status).toBe(401);
    await waitFor(async () => (await u.api.as(first.accessToken).me.get()).status === 401, {
      what: "revoked access token refused",
    });
  });

  it("two concurrent refreshes with one token: exactly one wins, the other counts as reuse and ends the session", async () => {
    const u = await newUser(h, "race");
    const answers = await Promise.all([
      h.api.auth.refresh(u.refreshToken),
      h.api.auth.refresh(u.refreshToken),
      h.api.auth.refresh(u.refreshToken),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    // Never two valid chains from one token.
    expect(statuses).toEqual([200, 401, 401]);
    const winner = answers.find((a) => a.status === 200)!.body as { refreshToken: string };
    expect((await h.api.auth.refresh(winner.refreshToken)).status).toBe(401);
  });

  it("logs in by email or username in any case, with surrounding spaces", async () => {
    const u = await newUser(h, "Case");
    expect(ok(await h.api.auth.login({ login: `  ${u.email.toUpperCase()} `, password: PASSWORD })).user.id).toBe(u.id);
    expect(ok(await h.api.auth.login({ login: u.username.toUpperCase(), password: PASSWORD })).user.id).toBe(u.id);
    expect((await h.api.auth.login({ login: u.email, password: PASSWORD.toUpperCase() })).status).toBe(401);
  });

  it("keeps the username's case as the display name, while the username itself is lower-cased", async () => {
    const stamp = Date.now().toString(36);
    const reg = await h.api.auth.register({
      email: `Mixed.${stamp}@Example.test`,
      username: `SpeedRunner_${stamp}`,
      password: PASSWORD,
    });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ username: `speedrunner_${stamp}`, email: `mixed.${stamp}@example.test` });
    const login = ok(await h.api.auth.login({ login: `speedrunner_${stamp}`, password: PASSWORD }));
    expect(ok(await h.api.as(login.accessToken).me.get())).toMatchObject({
      username: `speedrunner_${stamp}`,
      displayName: `SpeedRunner_${stamp}`,
    });
  });

  it("purges sessions (and their refresh tokens) that ended long enough ago; live and recently ended ones stay", async () => {
    const identity = h.broker.getLocalService("identity") as Service as IdentityThis;
    const u = await newUser(h, "purge");
    const sm = identity.sessionManager;
    const day = 24 * 3600 * 1000;
    const keepS = 3600;
    // Opened 40 days ago (sessions last REFRESH_TOKEN_TTL_S, 30 days by default): long expired.
    const old = await sm.open(u.id, new Date(Date.now() - 40 * day));
    const revokedLongAgo = await sm.open(u.id);
    await sm.revoke([revokedLongAgo.session.id], "test", new Date(Date.now() - 2 * keepS * 1000));
    const revokedJustNow = await sm.open(u.id);
    await sm.revoke([revokedJustNow.session.id], "test");
    const tokensOf = (sessionId: string) => identity.stores.refreshTokens.count({ sessionId });
    expect(await tokensOf(old.session.id)).toBe(1);

    expect(await sm.purgeEnded(keepS)).toBeGreaterThanOrEqual(2);
    expect(await sm.findSession(old.session.id)).toBeNull();
    expect(await sm.findSession(revokedLongAgo.session.id)).toBeNull();
    expect(await tokensOf(old.session.id)).toBe(0);
    expect(await tokensOf(revokedLongAgo.session.id)).toBe(0);
    // Still needed: the recent revocation is what gateways refuse tokens by; the live session still refreshes.
    expect(await sm.findSession(revokedJustNow.session.id)).not.toBeNull();
    expect(
      (await h.broker.call<{ sessionIds: string[] }, Record<string, never>>("identity.revokedSessions", {})).sessionIds,
    ).toContain(revokedJustNow.session.id);
    expect(ok(await h.api.auth.refresh(u.refreshToken)).refreshToken).toBeDefined();
  });

  it("logout revokes the session at the gateway at once; other sessions live on", async () => {
    const u = await newUser(h, "out");
    const second = ok(await h.api.auth.login({ login: u.username, password: PASSWORD }));
    // The gateway now holds this token as verified (lib/auth/verified-token-cache.ts): revocation must still win.
    expect((await u.api.me.get()).status).toBe(200);
    expect((await u.api.me.get()).status).toBe(200);
    expect(ok(await u.api.auth.logout()).revoked).toBe(true);
    expect((await u.api.me.get()).status).toBe(401);
    expect((await h.api.auth.refresh(u.refreshToken)).status).toBe(401);
    expect((await u.api.as(second.accessToken).me.get()).status).toBe(200);
    expect(ok(await u.api.as(second.accessToken).auth.logoutAll()).revokedSessions).toBe(1);
    expect((await u.api.as(second.accessToken).me.get()).status).toBe(401);
  });

  it("lists the caller's sessions and ends one of them; others' sessions are not reachable", async () => {
    const u = await newUser(h, "ses");
    const laptop = ok(await h.api.auth.login({ login: u.email, password: PASSWORD }));
    const list = ok(await u.api.auth.sessions()).items;
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const laptopSession = list.find((s) => !s.current)!;
    const stranger = await newUser(h, "str");
    expect((await stranger.api.auth.revokeSession(laptopSession.id)).status).toBe(404);
    expect((await u.api.as(laptop.accessToken).me.get()).status).toBe(200);
    expect(ok(await u.api.auth.revokeSession(laptopSession.id)).revoked).toBe(true);
    expect((await u.api.as(laptop.accessToken).me.get()).status).toBe(401);
    expect(ok(await u.api.auth.sessions()).items.map((s) => s.current)).toEqual([true]);
  });

  it("locks the account after five wrong passwords, even for the right one", async () => {
    const u = await newUser(h, "lock");
    for (let i = 0; i < 4; i++)
      expect((await h.api.auth.login({ login: u.email, password: "wrong-password-here" })).status).toBe(401);
    const locked = await h.api.auth.login({ login: u.email, password: "wrong-password-here" });
    expect(locked.status).toBe(429);
    expect((await h.api.auth.login({ login: u.email, password: PASSWORD })).status).toBe(429);
    // Unknown accounts get the same answer as a wrong password.
    const unknown = await h.api.auth.login({ login: "nobody@example.test", password: PASSWORD });
    expect(unknown.status).toBe(401);
  });

  it("counts wrong passwords and codes on password change and MFA disable toward the same lockout", async () => {
    const u = await newUser(h, "orc");
    const setup = ok(await u.api.auth.mfaSetup());
    ok(await u.api.auth.mfaEnable(totpCode(setup.secret, Date.now())));
    const wrong = "wrong-password-here";
    expect((await u.api.auth.changePassword(wrong, "another-fine-passphrase-9")).status).toBe(401);
    expect((await u.api.auth.changePassword(wrong, "another-fine-passphrase-9")).status).toBe(401);
    expect((await u.api.auth.mfaDisable(wrong, totpCode(setup.secret, Date.now()))).status).toBe(401);
    expect((await u.api.auth.mfaDisable(PASSWORD, "000000")).status).toBe(401);
    // The fifth failure, at login, locks the account: the four above counted.
    expect((await h.api.auth.login({ login: u.email, password: wrong })).status).toBe(429);
    // Locked means locked everywhere, right secrets included, with no further hint.
    expect((await h.api.auth.login({ login: u.email, password: PASSWORD })).status).toBe(429);
    const change = await u.api.auth.changePassword(PASSWORD, "another-fine-passphrase-9");
    expect(change.status).toBe(429);
    expect(Number(change.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await u.api.auth.mfaDisable(PASSWORD, totpCode(setup.secret, Date.now()))).status).toBe(429);
  });

  it("a successful password change resets the failure count", async () => {
    const u = await newUser(h, "rst");
    for (let i = 0; i < 4; i++)
      expect((await u.api.auth.changePassword("wrong-password-here", "another-fine-passphrase-9")).status).toBe(401);
    const next = "another-fine-passphrase-9";
    expect((await u.api.auth.changePassword(PASSWORD, next)).status).toBe(200);
    // Four more failures after the reset still leave the account open.
    for (let i = 0; i < 4; i++)
      expect((await h.api.auth.login({ login: u.email, password: "wrong-password-here" })).status).toBe(401);
    expect((await h.api.auth.login({ login: u.email, password: next })).status).toBe(200);
  });

  it("TOTP: enrolment, login needs a code, replayed codes are refused", async () => {
    const u = await newUser(h, "mfa");
    const setup = ok(await u.api.auth.mfaSetup());
    expect(setup.otpauthUri).toContain(setup.secret);
    expect((await u.api.auth.mfaEnable("000000")).status).toBe(400);
    ok(await u.api.auth.mfaEnable(totpCode(setup.secret, Date.now())));

    const noCode = await h.api.auth.login({ login: u.email, password: PASSWORD });
    expect(noCode.status).toBe(401);
    expect(isErrorBody(noCode.body) && noCode.body.error.details).toEqual([
      { field: "totpCode", message: "A one-time code is required" },
    ]);
    // The code used to enable is spent; the next step's code works once.
    const next = totpCode(setup.secret, Date.now() + 30_000);
    ok(await h.api.auth.login({ login: u.email, password: PASSWORD, totpCode: next }));
    expect((await h.api.auth.login({ login: u.email, password: PASSWORD, totpCode: next })).status).toBe(401);
  });

  it("changing the password ends the other sessions and needs the current one", async () => {
    const u = await newUser(h, "pwd");
    const other = ok(await h.api.auth.login({ login: u.email, password: PASSWORD }));
    expect((await u.api.auth.changePassword("not-the-password", "another-long-passphrase-7")).status).toBe(401);
    expect(ok(await u.api.auth.changePassword(PASSWORD, "another-long-passphrase-7")).revokedSessions).toBe(1);
    expect((await u.api.as(other.accessToken).me.get()).status).toBe(401);
    expect((await u.api.me.get()).status).toBe(200);
    expect((await h.api.auth.login({ login: u.email, password: PASSWORD })).status).toBe(401);
    ok(await h.api.auth.login({ login: u.email, password: "another-long-passphrase-7" }));
  });

  it("admins grant and remove global roles; removal ends the user's sessions at once", async () => {
    const admin = await newUser(h, "radm");
    const user = await newUser(h, "rusr");
    expect((await user.api.auth.addRole(user.id, "editor")).status).toBe(403);
    await h.broker.call("identity.grantRole", { userId: admin.id, role: "admin" });
    const adminToken = ok(await h.api.auth.login({ login: admin.email, password: PASSWORD })).accessToken;
    const asAdmin = h.api.as(adminToken);
    expect((await asAdmin.auth.addRole(user.id, "moderator")).status).toBe(400);
    expect((await asAdmin.auth.addRole("00000000-0000-4000-8000-000000000000", "editor")).status).toBe(404);
    expect(ok(await asAdmin.auth.addRole(user.id, "editor")).roles).toEqual(["viewer", "editor"]);
    const editor = ok(await h.api.auth.login({ login: user.email, password: PASSWORD }));
    expect(editor.user.roles).toEqual(["viewer", "editor"]);
    expect(ok(await asAdmin.auth.removeRole(user.id, "editor")).roles).toEqual(["viewer"]);
    expect((await h.api.as(editor.accessToken).me.get()).status).toBe(401);
    expect((await h.api.auth.refresh(editor.refreshToken)).status).toBe(401);
    expect((await asAdmin.auth.removeRole(admin.id, "admin")).status).toBe(400);
  });

  it("publishes the JWKS and rotates keys (admin only); old tokens stay valid", async () => {
    const jwksRes = await h.api.auth.jwks();
    expect(jwksRes.headers.get("cache-control")).toBe("public, max-age=300");
    const jwks = ok(jwksRes);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d");

    const u = await newUser(h, "adm");
    expect((await u.api.auth.rotateKeys()).status).toBe(403);
    await h.broker.call("identity.grantRole", { userId: u.id, role: "admin" });
    const admin = ok(await h.api.auth.login({ login: u.email, password: PASSWORD }));
    const oldKid = decodeProtectedHeader(admin.accessToken).kid;
    const rotated = ok(await u.api.as(admin.accessToken).auth.rotateKeys());
    expect(rotated.kid).not.toBe(oldKid);
    expect(ok(await h.api.auth.jwks()).keys.map((k) => k.kid)).toEqual([rotated.kid, oldKid]);
    // Token signed with the previous key still verifies; new tokens carry the new kid.
    expect((await u.api.as(admin.accessToken).me.get()).status).toBe(200);
    const fresh = ok(await h.api.auth.login({ login: u.email, password: PASSWORD }));
    expect(decodeProtectedHeader(fresh.accessToken).kid).toBe(rotated.kid);
    expect((await u.api.as(fresh.accessToken).me.get()).status).toBe(200);
  });

  it("answered every identity call above as the OpenAPI document declares (issue 9)", async () => {
    const [user, leaving, admin] = await Promise.all([newUser(h, "rdoc"), newUser(h, "rleave"), newUser(h, "radoc")]);
    await h.broker.call("identity.grantRole", { userId: admin.id, role: "admin" });
    const asAdmin = h.api.as(ok(await h.api.auth.login({ login: admin.email, password: PASSWORD })).accessToken);
    expect((await h.api.request("GET", "/auth/.well-known/openid-configuration")).status).toBe(200);
    expect((await h.api.request("GET", `/users/${user.id}/roles`)).status).toBe(200);
    expect((await user.api.request("GET", "/me/export")).status).toBe(200);
    expect((await leaving.api.request("DELETE", "/me", { password: PASSWORD })).status).toBe(200);
    expect((await asAdmin.request("DELETE", `/users/${user.id}`)).status).toBe(200);

    expect(h.responses?.violationsOf("identity.")).toEqual([]);
    // The email routes answer in account-email.test.ts, which checks them the same way; mail requests and MFA
    // disable also in identity.responses.test.ts (with JWKS and the full export).
    expect(h.responses?.unanswered("identity.")).toEqual([
      "POST /api/v1/auth/email",
      "POST /api/v1/auth/email/verification",
      "POST /api/v1/auth/email/verify",
      "POST /api/v1/auth/mfa/disable",
      "POST /api/v1/auth/password/forgot",
      "POST /api/v1/auth/password/reset",
    ]);
  });
});

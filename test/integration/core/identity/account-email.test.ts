import type { Service } from "moleculer";
import type { IdentityThis } from "../../../../services/core/identity/identity.service";
import { hashEmailToken } from "../../../../services/core/identity/account-mail";
import { totpCode } from "../../../../services/core/identity/totp";
import type { UsersThis } from "../../../../services/core/users/users.service";
import { ok } from "../../../helpers/api-client";
import { uniqueId, waitFor } from "../../../helpers/infra";
import { linkToken, startSmtpInbox, type SmtpInbox } from "../../../helpers/smtp-inbox";
import { newUser, PASSWORD, startCore, type CoreHarness } from "../core-harness";

jest.setTimeout(90000);

const NEW_PASSWORD = "amber-glacier-77-lantern";
const PER_HOUR = 3;

/**
 * Verification, password reset, email change and security notices, sent
 * through nodemailer to a real SMTP server (smtp-server) started here, which
 * receives and parses every mail; real gateway, real PostgreSQL.
 */
describe("account email (identity through SMTP to a local smtp-server; real gateway, real Postgres)", () => {
  let h: CoreHarness;
  let inbox: SmtpInbox;
  const identity = () => h.broker.getLocalService("identity") as Service as IdentityThis;
  // Background work done and the mail outbox sent (sent mail leaves it).
  const settled = () =>
    waitFor(async () => identity().pendingMail.size === 0 && (await identity().stores.mailOutbox.count({})) === 0, {
      what: "background mail work",
    });
  const freshEmail = (prefix: string) => `${uniqueId(prefix).replace(/[^a-zA-Z0-9_]/g, "_")}@example.test`;

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    h = await startCore({ SMTP_URL: inbox.url, PASSWORD_RESET_PER_HOUR: String(PER_HOUR) }, [], {
      checkResponses: true,
    });
  });
  afterAll(async () => {
    await h?.stop();
    await inbox?.stop();
  });

  it("registration mails a verification link that works once; a wrong or expired link is refused", async () => {
    const u = await newUser(h, "ver");
    const mail = await inbox.next(u.email, "Confirm your email");
    expect(mail.from).toContain("no-reply@localhost");
    expect(mail.text).toContain(u.username);
    const token = linkToken(mail);
    expect(mail.text).toContain(`${h.config.publicUrl}/verify-email?token=`);
    // Stored hashed only.
    const stored = await identity().stores.emailTokens.find({ query: { userId: u.id } });
    expect(stored.map((t) => t.id)).toEqual([hashEmailToken(token)]);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await identity().stores.accounts.findById(u.id))?.emailVerifiedAt).toBeNull();

    expect((await h.api.request("POST", "/auth/email/verify", { token: "x".repeat(43) })).status).toBe(400);
    expect(ok(await h.api.request("POST", "/auth/email/verify", { token }))).toEqual({
      userId: u.id,
      email: u.email,
      emailVerified: true,
    });
    expect((await identity().stores.accounts.findById(u.id))?.emailVerifiedAt).toBeInstanceOf(Date);
    expect((await h.api.request("POST", "/auth/email/verify", { token })).status).toBe(400);
    expect((await u.api.request("POST", "/auth/email/verification", {})).status).toBe(409);

    // A resent link: an expired one is refused.
    const other = await newUser(h, "exp");
    await inbox.next(other.email, "Confirm your email");
    expect((await other.api.request("POST", "/auth/email/verification", {})).status).toBe(202);
    const resent = linkToken(await inbox.next(other.email, "Confirm your email", 2));
    await identity().stores.emailTokens.updateById(hashEmailToken(resent), { expiresAt: new Date(Date.now() - 1000) });
    expect((await h.api.request("POST", "/auth/email/verify", { token: resent })).status).toBe(400);
  });

  it("password reset: same answer for unknown addresses, a single-use link, every session ended, a notice", async () => {
    const u = await newUser(h, "rst");
    const second = ok(await h.api.auth.login({ login: u.email, password: PASSWORD }));
    const unknown = freshEmail("nobody");
    const forUnknown = await h.api.request("POST", "/auth/password/forgot", { email: unknown });
    const forKnown = await h.api.request("POST", "/auth/password/forgot", { email: u.email.toUpperCase() });
    expect(forUnknown.status).toBe(202);
    expect(forKnown.status).toBe(202);
    expect(forUnknown.body).toEqual(forKnown.body);
    const mail = await inbox.next(u.email, "Reset your Arena password");
    await settled();
    expect(inbox.to(unknown)).toEqual([]);
    const token = linkToken(mail);
    expect(mail.text).toContain(`${h.config.publicUrl}/reset-password?token=`);

    // A password the policy refuses does not use the link up.
    expect((await h.api.request("POST", "/auth/password/reset", { token, newPassword: "short" })).status).toBe(400);
    const reset = await h.api.request("POST", "/auth/password/reset", { token, newPassword: NEW_PASSWORD });
    expect(ok(reset)).toEqual({ revokedSessions: 2 });
    expect((await h.api.request("POST", "/auth/password/reset", { token, newPassword: NEW_PASSWORD })).status).toBe(
      400,
    );
    expect((await u.api.me.get()).status).toBe(401);
    expect((await u.api.as(second.accessToken).me.get()).status).toBe(401);
    expect((await h.api.auth.refresh(u.refreshToken)).status).toBe(401);
    expect((await h.api.auth.login({ login: u.email, password: PASSWORD })).status).toBe(401);
    ok(await h.api.auth.login({ login: u.email, password: NEW_PASSWORD }));
    const notice = await inbox.next(u.email, "password was changed");
    expect(notice.text).toContain("reset with a link");
    // The link came to the address: it is proven too.
    expect((await identity().stores.accounts.findById(u.id))?.emailVerifiedAt).toBeInstanceOf(Date);
  });

  it(`password reset requests are limited to ${PER_HOUR} mails per account per hour, with the same answer`, async () => {
    const u = await newUser(h, "lim");
    const answers = [];
    for (let i = 0; i < PER_HOUR + 2; i++)
      answers.push(await h.api.request("POST", "/auth/password/forgot", { email: u.email }));
    expect(answers.map((a) => a.status)).toEqual(Array(PER_HOUR + 2).fill(202));
    await inbox.next(u.email, "Reset your Arena password", PER_HOUR);
    await settled();
    expect(inbox.to(u.email, "Reset your Arena password")).toHaveLength(PER_HOUR);
    expect(await identity().stores.emailTokens.count({ userId: u.id, purpose: "reset-password" })).toBe(PER_HOUR);
    // A reset uses up every other reset link of the account.
    const tokens = inbox.to(u.email, "Reset your Arena password").map(linkToken);
    ok(await h.api.request("POST", "/auth/password/reset", { token: tokens[0], newPassword: NEW_PASSWORD }));
    expect(
      (await h.api.request("POST", "/auth/password/reset", { token: tokens[1], newPassword: `${NEW_PASSWORD}x` }))
        .status,
    ).toBe(400);
  });

  it("email change: password re-check, a link to the new address, notices to the old one, profile follows", async () => {
    const u = await newUser(h, "chg");
    const taken = await newUser(h, "tkn");
    const newEmail = freshEmail("moved");
    expect((await u.api.request("POST", "/auth/email", { newEmail, password: "wrong-password-123" })).status).toBe(401);
    // A taken address answers alike; its owner is told, nothing changes.
    const toTaken = await u.api.request("POST", "/auth/email", { newEmail: taken.email, password: PASSWORD });
    const toFree = await u.api.request("POST", "/auth/email", { newEmail, password: PASSWORD });
    expect([toTaken.status, toFree.status]).toEqual([202, 202]);
    expect(toTaken.body).toEqual(toFree.body);
    const takenMail = await inbox.next(taken.email, "Email change on Arena");
    expect(takenMail.text).not.toMatch(/token=/);
    await inbox.next(u.email, "email address is changing");
    const token = linkToken(await inbox.next(newEmail, "Confirm your email"));
    expect(ok(await u.api.me.get()).email).toBe(u.email);

    expect(ok(await h.api.request("POST", "/auth/email/verify", { token }))).toEqual({
      userId: u.id,
      email: newEmail,
      emailVerified: true,
    });
    const changed = await inbox.next(u.email, "email address was changed");
    expect(changed.text).toContain(newEmail);
    await waitFor(
      async () =>
        (await (h.broker.getLocalService("users") as Service as UsersThis).stores.profiles.findById(u.id))?.email ===
        newEmail,
      { what: "the profile's email to follow user.email.changed" },
    );
    expect(ok(await u.api.me.get()).email).toBe(newEmail);
    ok(await h.api.auth.login({ login: newEmail, password: PASSWORD }));
    expect((await h.api.auth.login({ login: u.email, password: PASSWORD })).status).toBe(401);
    // A reset to the old address is dead now.
    expect(await identity().stores.emailTokens.count({ userId: u.id, usedAt: null })).toBe(0);
  });

  it("notices: a login from a new device, a password change, MFA turned off", async () => {
    const u = await newUser(h, "dev");
    const login = (userAgent: string) =>
      h.api.request(
        "POST",
        "/auth/login",
        { login: u.email, password: PASSWORD },
        { headers: { "user-agent": userAgent } },
      );
    ok(await login("ArenaTest/1.0 (laptop)"));
    const notice = await inbox.next(u.email, "New login");
    expect(notice.text).toContain("ArenaTest/1.0 (laptop)");
    ok(await login("ArenaTest/1.0 (laptop)"));
    ok(await h.api.auth.login({ login: u.email, password: PASSWORD }));

    ok(await u.api.auth.changePassword(PASSWORD, NEW_PASSWORD));
    expect((await inbox.next(u.email, "password was changed")).text).toContain("was changed");

    const setup = ok(await u.api.auth.mfaSetup());
    ok(await u.api.auth.mfaEnable(totpCode(setup.secret, Date.now())));
    ok(await u.api.auth.mfaDisable(NEW_PASSWORD, totpCode(setup.secret, Date.now() + 30_000)));
    await inbox.next(u.email, "Two-factor authentication was turned off");
    // The registration device (first login) and the same laptop twice: one new-device notice only.
    expect(inbox.to(u.email, "New login")).toHaveLength(1);
  });

  it("answered every identity call above as the OpenAPI document declares (issue 9)", () => {
    expect(h.responses?.violationsOf("identity.")).toEqual([]);
    for (const op of [
      "POST /api/v1/auth/email",
      "POST /api/v1/auth/email/verification",
      "POST /api/v1/auth/email/verify",
      "POST /api/v1/auth/mfa/disable",
      "POST /api/v1/auth/password/forgot",
      "POST /api/v1/auth/password/reset",
    ])
      expect({ op, answered: h.responses?.answered.has(op) }).toEqual({ op, answered: true });
  });
});

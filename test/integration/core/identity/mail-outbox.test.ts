/**
 * Durable mail: registration and reset requests queue their mail in the
 * identity database (mail_outbox) and a worker sends it. With the real local
 * SMTP server stopped, registration still answers 201 and the mail waits
 * (failed attempts recorded); once the server is back on its port the mail
 * arrives. A node stopped with mail still queued loses none: the next node
 * on the same database sends it. Real PostgreSQL, real gateway.
 */
import { randomBytes } from "node:crypto";
import type { Service, ServiceSchema } from "moleculer";
import IdentityService from "../../../../services/core/identity/identity.service";
import type { IdentityThis } from "../../../../services/core/identity/identity.context";
import { createTestDatabase, uniqueId, waitFor, type TestDatabase } from "../../../helpers/infra";
import { linkToken, startSmtpInbox, type SmtpInbox } from "../../../helpers/smtp-inbox";
import { PASSWORD, startCore, type CoreHarness } from "../core-harness";

jest.setTimeout(90000);

/** Short retry timings so the outage test takes seconds. */
const fastOutbox: ServiceSchema = {
  name: "identity",
  mixins: [IdentityService],
  settings: { mailOutbox: { pollMs: 200, retryBaseMs: 200, retryMaxMs: 400, maxAttempts: 1000 } },
};

describe("durable mail outbox (identity, local smtp-server stopped and started; real Postgres)", () => {
  let db: TestDatabase;
  let inbox: SmtpInbox;
  let h: CoreHarness | undefined;
  const identity = () => h!.broker.getLocalService("identity") as Service as IdentityThis;
  const freshUser = () => {
    const username = uniqueId("mo")
      .replace(/[^a-zA-Z0-9_]/g, "_")
      .slice(0, 24);
    return { username, email: `${username}@example.test`, password: PASSWORD };
  };

  beforeAll(async () => {
    db = await createTestDatabase("arena_mailbox");
    inbox = await startSmtpInbox();
  });
  afterAll(async () => {
    await h?.stop();
    await inbox?.stop();
    await db?.drop();
  });

  it("an SMTP outage neither fails registration nor loses its mail, even across a restart", async () => {
    const env = {
      DATABASE_URL: db.url,
      SMTP_URL: inbox.url,
      NAMESPACE: uniqueId("ns"),
      IDENTITY_KEY_ENCRYPTION_SECRET: randomBytes(32).toString("hex"),
    };
    h = await startCore(env, [], { identity: fastOutbox });

    // Up: mail goes out at once and leaves the outbox.
    const first = freshUser();
    expect((await h.api.auth.register(first)).status).toBe(201);
    await inbox.next(first.email, "Confirm your email");
    await waitFor(async () => (await identity().stores.mailOutbox.count({})) === 0, { what: "outbox to empty" });

    // Down: registration still answers 201; the mail waits in the outbox, failed attempts recorded.
    await inbox.stop();
    const during = freshUser();
    expect((await h.api.auth.register(during)).status).toBe(201);
    const [queued] = await waitFor(
      async () => {
        const rows = await identity().stores.mailOutbox.find({ query: {} });
        return rows.length === 1 && rows[0]!.attempts >= 2 && rows[0]!.lastError ? rows : null;
      },
      { what: "failed attempts on the queued mail" },
    );
    // Stored sealed: neither the address nor the link is readable in the table.
    expect(queued!.sealed).not.toContain(during.email);
    expect(queued!.sealed).not.toContain("token=");

    // Back on the same port: the retry delivers it, with a working link.
    inbox = await startSmtpInbox({ port: Number(new URL(env.SMTP_URL).port) });
    const late = await inbox.next(during.email, "Confirm your email");
    expect((await h.api.request("POST", "/auth/email/verify", { token: linkToken(late) })).status).toBe(200);
    await waitFor(async () => (await identity().stores.mailOutbox.count({})) === 0, { what: "outbox to empty" });

    // Down again, and the node stops with the mail still queued: the next node on the database sends it.
    await inbox.stop();
    const beforeRestart = freshUser();
    expect((await h.api.auth.register(beforeRestart)).status).toBe(201);
    await waitFor(async () => (await identity().stores.mailOutbox.count({})) === 1, { what: "mail queued" });
    await h.stop();
    h = undefined;
    inbox = await startSmtpInbox({ port: Number(new URL(env.SMTP_URL).port) });
    h = await startCore(env, [], { identity: fastOutbox });
    await inbox.next(beforeRestart.email, "Confirm your email");
    await waitFor(async () => (await identity().stores.mailOutbox.count({})) === 0, { what: "outbox to empty" });
    // Each mail went out once.
    expect(inbox.to(beforeRestart.email)).toHaveLength(1);
  });
});

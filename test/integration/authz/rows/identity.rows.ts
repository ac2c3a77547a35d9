/**
 * identity: accounts, sessions, email, MFA, roles, keys. Routes on the
 * caller's own account take no target: the guard checks that anonymous is
 * refused and that calls by everyone else (fresh stand-ins with the actors'
 * global roles, so the shared actors keep their sessions and passwords)
 * leave a victim account exactly as it was, read back through GET /me/export.
 */
import { totpCode } from "../../../../services/core/identity/totp";
import { ok } from "../../../helpers/api-client";
import { PASSWORD, type GuardHarness, type GuardUser } from "../guard-harness";
import { anyUser, everyone, only, read, type ActorName, type Attempt, type GuardRow } from "../route-guard";

/** The account as its owner exports it, minus what moves on every read. */
async function accountState(user: GuardUser): Promise<unknown> {
  const res = await read(user.api, "/me/export");
  if (res.status !== 200) return { status: res.status };
  const archive = res.body as { services: Record<string, unknown> };
  const identity = archive.services.identity as { account: unknown; sessions: unknown };
  return { account: identity.account, sessions: identity.sessions, users: archive.services.users };
}

/** A fresh account, with a second session when a call ending "other sessions" must show. */
async function victim(h: GuardHarness, secondSession = false): Promise<GuardUser> {
  const user = await h.newUser("vic");
  if (secondSession) ok(await h.anonymous.auth.login({ login: user.email, password: PASSWORD }));
  return user;
}

/** A fresh stand-in for an actor: same global role (admin), anonymous stays anonymous. */
async function standIn(h: GuardHarness, actor: ActorName): Promise<string | undefined> {
  if (actor === "anonymous") return undefined;
  return (await h.newUser("sti", actor === "admin" ? ["admin"] : [])).token;
}

interface SelfRowOptions extends Partial<GuardRow> {
  /**
   * Fresh stand-ins call instead of the shared actors: the route ends the
   * caller's sessions or changes their password, which would break the
   * shared actors for every later row.
   */
  standIns?: boolean;
  /** The victim has a second session (the call ends the caller's other sessions). */
  secondSession?: boolean;
  /** Prepares the victim before the owner's call (e.g. MFA set up). */
  prepare?(h: GuardHarness, user: GuardUser): Promise<Record<string, string>>;
}

/**
 * A route on the caller's own account: the owner is a fresh victim calling
 * with `own` (its own account must change); everyone else calls with
 * `others` and the victim's account must not move.
 */
function selfRow(
  route: GuardRow["route"],
  statuses: { owner: number; others: number },
  bodies: { own: (u: GuardUser, prepared: Record<string, string>) => unknown; others?: unknown },
  opts: SelfRowOptions = {},
): GuardRow {
  const { standIns, secondSession, prepare, ...extra } = opts;
  return {
    route,
    expect: { ...anyUser(statuses.others), owner: statuses.owner },
    changes: ["owner"],
    ...extra,
    async attempt(h, actor): Promise<Attempt> {
      const user = await victim(h, secondSession);
      const prepared = (await prepare?.(h, user)) ?? {};
      if (actor === "owner") {
        return { body: bodies.own(user, prepared), token: async () => user.token, state: () => accountState(user) };
      }
      return {
        body: bodies.others ?? bodies.own(user, prepared),
        ...(standIns ? { token: (a: ActorName) => standIn(h, a) } : {}),
        state: () => accountState(user),
      };
    },
  };
}

/** Sets MFA up for the victim; the secret goes to the owner's body. */
async function mfaSetUp(_h: GuardHarness, user: GuardUser): Promise<Record<string, string>> {
  return { secret: (ok(await user.api.auth.mfaSetup()) as { secret: string }).secret };
}

/** The shared owner's account, for anonymous routes and admin routes aimed at the owner. */
function ownerState(h: GuardHarness): () => Promise<unknown> {
  return () => accountState(h.users.owner);
}

export const identityRows: GuardRow[] = [
  {
    route: "POST /auth/register",
    note: "the owner's address: refused whoever calls",
    expect: everyone(409),
    attempt: async (h) => ({
      body: { email: h.users.owner.email, username: `reg_${Date.now().toString(36)}`, password: PASSWORD },
      state: ownerState(h),
    }),
  },
  {
    route: "POST /auth/login",
    note: "anonymous by design: a caller's token adds nothing, the account's roles never move",
    expect: everyone(200),
    changes: [],
    attempt: async (h) => {
      const user = await h.newUser("lgn");
      return {
        body: { login: user.email, password: PASSWORD },
        state: async () =>
          (await read(user.api, "/me/export").then((r) => r.body as { services: { identity: { account: unknown } } }))
            .services.identity.account,
      };
    },
  },
  {
    route: "POST /auth/refresh",
    note: "bound to the refresh token alone",
    expect: everyone(401),
    attempt: async (h) => ({ body: { refreshToken: "x".repeat(40) }, state: ownerState(h) }),
  },
  selfRow("POST /auth/logout", { owner: 200, others: 200 }, { own: () => ({}) }, { standIns: true }),
  selfRow("POST /auth/logout-all", { owner: 200, others: 200 }, { own: () => ({}) }, { standIns: true }),
  {
    route: "DELETE /auth/sessions/:id",
    note: "another session of the owner",
    expect: { ...only({ owner: 200 }, 404) },
    attempt: async (h) => {
      const user = await victim(h, true);
      const sessions = ok(await user.api.auth.sessions()) as { items: Array<{ id: string; current: boolean }> };
      const other = sessions.items.find((s) => !s.current);
      if (!other) throw new Error("the victim has no second session");
      return {
        params: { id: other.id },
        // The owner is the victim itself; everyone else calls as themselves.
        token: async (a) => (a === "owner" ? user.token : (await h.actorClient(a)).token),
        state: () => accountState(user),
      };
    },
  },
  selfRow(
    "POST /auth/password",
    { owner: 200, others: 200 },
    { own: () => ({ currentPassword: PASSWORD, newPassword: "amber-glacier-17-spoon" }) },
    { standIns: true, secondSession: true },
  ),
  {
    route: "POST /auth/password/forgot",
    note: "anonymous by design: one answer for any address, nothing changes until the mailed link is used",
    expect: everyone(202),
    changes: [],
    attempt: async (h) => ({ body: { email: h.users.owner.email }, state: ownerState(h) }),
  },
  {
    route: "POST /auth/password/reset",
    note: "bound to the single-use mailed link",
    expect: everyone(400),
    attempt: async (h) => ({
      body: { token: "x".repeat(40), newPassword: "amber-glacier-17-spoon" },
      state: ownerState(h),
    }),
  },
  selfRow(
    "POST /auth/email",
    { owner: 202, others: 202 },
    { own: (u) => ({ newEmail: `new.${u.email}`, password: PASSWORD }) },
    { invisible: "the address changes only when the link mailed to it is opened" },
  ),
  {
    route: "POST /auth/email/verify",
    note: "bound to the single-use mailed link",
    expect: everyone(400),
    attempt: async (h) => ({ body: { token: "x".repeat(40) }, state: ownerState(h) }),
  },
  selfRow(
    "POST /auth/email/verification",
    { owner: 202, others: 202 },
    { own: () => ({}) },
    { invisible: "it mails a new link; the account itself does not change" },
  ),
  selfRow(
    "POST /auth/mfa/setup",
    { owner: 200, others: 200 },
    { own: () => ({}) },
    // Stand-ins: a shared actor with a pending secret would answer the enable row differently.
    { invisible: "a pending secret is not part of the account until enabled", standIns: true },
  ),
  // Others have no setup of their own: 409; the victim's setup is theirs alone.
  selfRow(
    "POST /auth/mfa/enable",
    { owner: 200, others: 409 },
    { own: (_u, p) => ({ code: totpCode(p.secret ?? "", Date.now()) }), others: { code: "000000" } },
    { prepare: mfaSetUp },
  ),
  selfRow(
    "POST /auth/mfa/disable",
    { owner: 200, others: 409 },
    { own: (_u, p) => ({ password: PASSWORD, code: p.code ?? "" }), others: { password: PASSWORD, code: "000000" } },
    {
      prepare: async (h, user) => {
        const { secret = "" } = await mfaSetUp(h, user);
        ok(await user.api.auth.mfaEnable(totpCode(secret, Date.now())));
        // The enabling code's step is spent (replay guard): the disabling one is the next step's.
        return { code: totpCode(secret, Date.now() + 30_000) };
      },
    },
  ),
  {
    route: "PUT /auth/users/:userId/roles/:role",
    expect: only({ admin: 200 }),
    attempt: async (h) => {
      const user = await h.newUser("rol");
      return { params: { userId: user.id, role: "organizer" }, state: () => accountState(user) };
    },
  },
  {
    route: "DELETE /auth/users/:userId/roles/:role",
    expect: only({ admin: 200 }),
    attempt: async (h) => {
      const user = await h.newUser("rol", ["organizer"]);
      return {
        params: { userId: user.id, role: "organizer" },
        state: () => read(h.users.admin.api, `/users/${user.id}/roles`),
      };
    },
  },
  selfRow(
    "DELETE /me",
    { owner: 200, others: 401 },
    {
      own: () => ({ password: PASSWORD }),
      others: { password: "not-the-password-1" },
    },
  ),
  {
    route: "DELETE /users/:userId",
    expect: only({ admin: 200 }),
    attempt: async (h) => {
      const user = await h.newUser("del");
      return { params: { userId: user.id }, state: () => accountState(user) };
    },
  },
  {
    route: "POST /auth/keys/rotate",
    expect: only({ admin: 200 }),
    attempt: async (h) => ({ state: () => read(h.anonymous, "/auth/jwks") }),
  },
];

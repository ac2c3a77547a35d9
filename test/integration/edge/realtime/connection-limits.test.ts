/**
 * Connection limits hold when upgrades arrive together: token checks are
 * asynchronous (JWKS, session revocation), so many upgrades from one IP can
 * be in flight at once.
 */
import type { AuthUser } from "../../../../lib/auth/auth-user";
import type { TokenVerifier } from "../../../../lib/auth/token-verifier";
import { waitFor } from "../../../helpers/infra";
import { RealtimeClient } from "./realtime-client";
import { startRealtime, type RealtimeHarness } from "./realtime-harness";

/** The gateway's real verifier, answering only after `delayMs` more, like one waiting on a slow JWKS fetch. */
const slowed =
  (delayMs: number) =>
  (real: TokenVerifier): TokenVerifier => ({
    async verify(t: string): Promise<AuthUser> {
      await new Promise((r) => setTimeout(r, delayMs));
      return real.verify(t);
    },
  });

describe("realtime connection limits under concurrent upgrades", () => {
  let h: RealtimeHarness;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    h = await startRealtime({ maxConnectionsPerIp: 3, maxConnectionsPerUser: 2 }, { wrapVerifier: slowed(150) });
    // Registered up front, so the upgrades below are the only thing happening at once.
    await h.users("u1", "u2", "u3", "u4");
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function attempt(user: string): Promise<number> {
    try {
      clients.push(await RealtimeClient.connect(h.url, { token: (await h.user(user)).token }));
      return 101;
    } catch (err) {
      const m = /upgrade refused: (\d+)/.exec((err as Error).message);
      if (m) return Number(m[1]);
      throw err;
    }
  }

  it("admits no more than the per-IP limit when upgrades are verified at the same time", async () => {
    // Eight upgrades from four users (two each, within the per-user limit): only the per-IP limit binds.
    const statuses = await Promise.all(["u1", "u2", "u3", "u4", "u1", "u2", "u3", "u4"].map(attempt));
    expect(statuses.filter((s) => s === 101)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect(h.realtime.gateway.sockets.size).toBe(3);
  });

  it("admits no more than the per-user limit when one user's upgrades overlap", async () => {
    await waitFor(() => h.realtime.gateway.sockets.size === 0);
    const statuses = await Promise.all(["u1", "u1", "u1", "u1"].map(attempt));
    expect(statuses.filter((s) => s === 101)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });
});

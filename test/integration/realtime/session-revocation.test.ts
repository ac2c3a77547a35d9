/**
 * The WebSocket gateway applies the same identity rules as the REST gateway:
 * with the real identity service issuing tokens, logging out closes the
 * sockets of that session (4004) and the same token can no longer upgrade.
 */
import type { ServiceSchema } from "moleculer";
import RealtimeService from "../../../services/realtime/realtime.service";
import { CloseCode } from "../../../services/realtime/protocol";
import { ok } from "../../helpers/api-client";
import { waitFor } from "../../helpers/infra";
import { newUser, startCore, type CoreHarness } from "../core/core-harness";
import { RealtimeClient } from "./realtime-client";

describe("realtime gateway and revoked sessions (real identity service)", () => {
  let h: CoreHarness;
  let url: string;

  beforeAll(async () => {
    h = await startCore({}, [RealtimeService as unknown as ServiceSchema]);
    const stats = await h.broker.call<{ port: number }, Record<string, never>>("realtime.stats", {});
    url = `ws://127.0.0.1:${stats.port}`;
  });
  afterAll(() => h?.stop());

  it("closes open sockets of a session at logout and refuses its token afterwards", async () => {
    const alice = await newUser(h, "rvk");
    const other = await newUser(h, "rvo");
    const aliceSocket = await RealtimeClient.connect(url, { token: alice.token });
    const otherSocket = await RealtimeClient.connect(url, { token: other.token });

    ok(await alice.api.auth.logout());

    await waitFor(() => aliceSocket.closed !== null, { what: "alice's socket to close" });
    expect(aliceSocket.closed?.code).toBe(CloseCode.SESSION_REVOKED);
    expect(await RealtimeClient.refused(url, { token: alice.token })).toBe(401);
    // Another user's session is untouched.
    expect(otherSocket.closed).toBeNull();
    otherSocket.ws.close();
  });
});

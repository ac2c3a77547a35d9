/**
 * The WebSocket gateway applies the same identity rules as the REST gateway:
 * with the real identity service issuing tokens, logging out closes the
 * sockets of that session (4004) and the same token can no longer upgrade.
 */
import type { ServiceSchema } from "moleculer";
import RealtimeService from "../../../../services/edge/realtime/realtime.service";
import { CloseCode } from "../../../../services/edge/realtime/protocol";
import { ok } from "../../../helpers/api-client";
import { waitFor } from "../../../helpers/infra";
import { newUser, PASSWORD, startCore, type CoreHarness } from "../../core/core-harness";
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

  it("after an auth frame, the socket lives and dies with the new token's session", async () => {
    const bob = await newUser(h, "rvn");
    const socket = await RealtimeClient.connect(url, { token: bob.token });
    const relogin = await h.api.auth.login({ login: bob.email, password: PASSWORD });
    if (relogin.status !== 200 || !("accessToken" in relogin.body)) throw new Error(`login failed: ${relogin.status}`);
    const fresh = relogin.body.accessToken;
    expect(await socket.reply(socket.send({ type: "auth", token: fresh }))).toMatchObject({ type: "ack" });
    // The socket now runs on the second session: revoking it must close the socket.
    ok(await h.api.as(fresh).auth.logout());
    await waitFor(() => socket.closed !== null, { what: "the socket of the revoked session to close" });
    expect(socket.closed?.code).toBe(CloseCode.SESSION_REVOKED);
  });
});

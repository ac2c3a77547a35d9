/**
 * Backpressure: a client that stops reading is closed with 4008 once its
 * unsent bytes pass the limit, counted in metrics, while a reading client on
 * the same node keeps receiving.
 */
import { freePort } from "../../../helpers/cluster";
import { waitFor } from "../../../helpers/infra";
import { RealtimeClient } from "./realtime-client";
import { startRealtime, type RealtimeHarness } from "./realtime-harness";

describe("slow consumers", () => {
  let h: RealtimeHarness;

  beforeAll(async () => {
    // Metrics on (a free port for the reporter): the spec reads the backpressure-close counter.
    h = await startRealtime(
      { slowConsumerBytes: 256 * 1024, maxBackpressureBytes: 512 * 1024 },
      { env: { METRICS_PORT: String(await freePort()) } },
    );
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("closes the socket that stopped reading as a slow consumer and counts it", async () => {
    const [sloth, hare] = await h.users("sloth", "hare");
    if (!sloth || !hare) throw new Error("users missing");
    const slow = await RealtimeClient.connect(h.url, { token: sloth.token });
    const fast = await RealtimeClient.connect(h.url, { token: hare.token });
    slow.ws.pause();
    const body = "x".repeat(64 * 1024);
    let sent = 0;
    // Push until the server gives up on the paused client (the kernel buffers some megabytes first).
    await waitFor(
      async () => {
        for (let i = 0; i < 20; i++) {
          sent++;
          await h.broker.broadcast("notifications.push", {
            userId: sloth.id,
            notification: { id: `n${sent}`, type: "flood", title: "flood", body, createdAt: new Date().toISOString() },
          });
        }
        const stats = await h.broker.call<{ backpressureCloses: number }>("realtime.stats");
        return stats.backpressureCloses > 0;
      },
      { timeoutMs: 30000, intervalMs: 20, what: "the slow consumer to be closed" },
    );
    slow.ws.resume();
    // 4008 when the close frame gets through; with megabytes queued ahead of it the client sees 1006.
    expect([4008, 1006]).toContain((await slow.waitClosed()).code);
    await h.broker.broadcast("notifications.push", {
      userId: hare.id,
      notification: { id: "ok", type: "t", title: "still here", createdAt: new Date().toISOString() },
    });
    await fast.waitFor((f) => f.type === "notification");
    expect(fast.closed).toBeNull();
    expect(h.broker.metrics.getMetric("arena.realtime.backpressure.closes")?.get()?.value).toBeGreaterThan(0);
    fast.close();
  });
});

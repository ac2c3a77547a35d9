/**
 * A node restarting (deploy, crash) under the same NODE_ID while channels
 * are live: encoders reconnect within seconds, so a session cut off less
 * than the grace period ago continues instead of ending and restarting
 * (which would notify followers twice and split the recording). Real
 * streams/channels services on PostgreSQL; recovery is what `started` runs.
 */
import { uniqueId, waitFor } from "../../../helpers/infra";
import { ingestCallbacks, recoverOrphanedSessions } from "../../../../services/media/streams/session-lifecycle";
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import { startStreams, type StreamsHarness } from "./streams-harness";

jest.setTimeout(60000);

describe("streams: sessions left open by this node's previous run (real Postgres)", () => {
  let h: StreamsHarness;
  let svc: StreamsThis;
  const ownerId = "owner-restart";

  const leftOpen = async (channelId: string, lastWriteMsAgo: number) => {
    const at = new Date(Date.now() - lastWriteMsAgo);
    return svc.stores.sessions.insert({
      channelId,
      ownerId,
      status: "live",
      title: "Before the restart",
      category: "fps",
      language: "en",
      provider: "local",
      nodeId: h.broker.nodeID,
      connectionId: "conn-before-restart",
      startedAt: new Date(Date.now() - 600_000),
      disconnectedAt: null,
      endedAt: null,
      durationS: null,
      viewerCount: 3,
      peakViewers: 5,
      lastHealth: null,
      recordingKey: null,
      updatedAt: at,
    });
  };
  // Recovery, resume and end never look the channel up: any id will do.
  const newChannel = (name: string) => uniqueId(name).replace(/[^A-Za-z0-9_-]/g, "_");
  const statusOf = async (sessionId: string) => (await svc.stores.sessions.findById(sessionId))?.status;

  beforeAll(async () => {
    // Grace 3 s (harness default).
    h = await startStreams();
    svc = h.broker.getLocalService("streams") as unknown as StreamsThis;
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("keeps a session cut off within the grace period waiting, and continues it when the broadcaster is back", async () => {
    const channelId = newChannel("back");
    const session = await leftOpen(channelId, 500);
    await recoverOrphanedSessions(svc);
    expect(await statusOf(session.id)).toBe("reconnecting");
    expect(svc.graceTimers.has(session.id)).toBe(true);

    const assignment = await ingestCallbacks(svc).publishStarted({
      channelId,
      ownerId,
      connectionId: "conn-after-restart",
    });
    expect(assignment).toEqual({ sessionId: session.id, resumed: true });
    expect(await statusOf(session.id)).toBe("live");
    // The grace timer is cleared, so nothing ends the continued session.
    expect(svc.graceTimers.has(session.id)).toBe(false);
    expect(h.events.filter((e) => (e.payload as { sessionId?: string }).sessionId === session.id)).toEqual([]);
  });

  it("ends it when the broadcaster does not come back within the rest of the grace period", async () => {
    const session = await leftOpen(newChannel("gone"), 1000);
    await recoverOrphanedSessions(svc);
    expect(await statusOf(session.id)).toBe("reconnecting");
    await waitFor(async () => (await statusOf(session.id)) === "ended", {
      what: "ended after the grace period",
      timeoutMs: 10000,
    });
    await waitFor(
      () =>
        h.events.some(
          (e) => e.type === "stream.ended" && (e.payload as { sessionId: string }).sessionId === session.id,
        ),
      { what: "stream.ended" },
    );
  });

  it("ends at once a session cut off longer ago than the grace period", async () => {
    const session = await leftOpen(newChannel("old"), 60_000);
    await recoverOrphanedSessions(svc);
    expect(await statusOf(session.id)).toBe("ended");
  });
});

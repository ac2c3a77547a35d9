/**
 * A streams node that left the cluster for good (crash, pod replaced under a
 * new node id) while its broadcaster was gone too: another streams node ends
 * the session, so the channel does not stay "live" forever and the recording
 * reaches VOD. Real streams service on PostgreSQL; the sweep is what the
 * service runs every `abandonedSweepIntervalMs`.
 */
import { uniqueId, waitFor } from "../../../helpers/infra";
import { sweepAbandonedSessions } from "../../../../services/media/streams/session-lifecycle";
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import { startStreams, type StreamsHarness } from "./streams-harness";

jest.setTimeout(60000);

describe("streams: sessions abandoned by a node that left the cluster (real Postgres)", () => {
  let h: StreamsHarness;
  let svc: StreamsThis;

  const openSession = (nodeId: string, silentForMs: number) =>
    svc.stores.sessions.insert({
      channelId: uniqueId("chan").replace(/[^A-Za-z0-9_-]/g, "_"),
      ownerId: "owner-1",
      status: "live",
      title: "Ghost",
      category: "fps",
      language: "en",
      provider: "local",
      nodeId,
      connectionId: "conn-1",
      startedAt: new Date(Date.now() - 3_600_000),
      disconnectedAt: null,
      endedAt: null,
      durationS: null,
      viewerCount: 2,
      peakViewers: 9,
      lastHealth: null,
      recordingKey: null,
      updatedAt: new Date(Date.now() - silentForMs),
    });
  const statusOf = async (id: string) => (await svc.stores.sessions.findById(id))?.status;

  beforeAll(async () => {
    h = await startStreams();
    svc = h.broker.getLocalService("streams") as unknown as StreamsThis;
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("ends a silent session of a node that is gone, once, with stream.ended", async () => {
    const ghost = await openSession("node-gone-for-good", 10 * 60_000);
    expect(await sweepAbandonedSessions(svc)).toEqual([ghost.id]);
    await waitFor(async () => (await statusOf(ghost.id)) === "ended", { what: "ghost session ended" });
    await waitFor(
      () =>
        h.events.some((e) => e.type === "stream.ended" && (e.payload as { sessionId: string }).sessionId === ghost.id),
      { what: "stream.ended" },
    );
    // Ended at its last sign of life, not at the sweep.
    const ended = h.events.find(
      (e) => e.type === "stream.ended" && (e.payload as { sessionId: string }).sessionId === ghost.id,
    )?.payload as { durationS: number; peakViewers: number };
    expect(ended.peakViewers).toBe(9);
    expect(ended.durationS).toBeLessThanOrEqual(3600 - 600 + 5);
    // A second sweep (another streams node, or the next tick) finds nothing left to do.
    expect(await sweepAbandonedSessions(svc)).toEqual([]);
  });

  it("leaves alone sessions that were active recently, and this node's own (its grace timers end those)", async () => {
    const recent = await openSession("node-gone-for-good", 1000);
    const ownNode = await openSession(h.broker.nodeID, 10 * 60_000);
    expect(await sweepAbandonedSessions(svc)).toEqual([]);
    expect(await statusOf(recent.id)).toBe("live");
    expect(await statusOf(ownNode.id)).toBe("live");
    await svc.stores.sessions.updateById(recent.id, { status: "ended" });
    await svc.stores.sessions.updateById(ownNode.id, { status: "ended" });
  });

  it("leaves alone a silent session whose node is still in the cluster (an aws session has no health writes)", async () => {
    const nodes = svc.broker.registry.nodes;
    const realGet = nodes.get.bind(nodes);
    // The registry as another streams node that is up would make it look.
    const spy = jest.spyOn(nodes, "get").mockImplementation((...args: unknown[]) => {
      const id = String(args[0]);
      return id === "node-still-up" ? ({ id, available: true } as ReturnType<typeof realGet>) : realGet(id);
    });
    try {
      const quiet = await openSession("node-still-up", 10 * 60_000);
      expect(await sweepAbandonedSessions(svc)).toEqual([]);
      expect(await statusOf(quiet.id)).toBe("live");
    } finally {
      spy.mockRestore();
    }
  });
});

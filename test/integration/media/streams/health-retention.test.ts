/**
 * Health samples arrive every few seconds for as long as a channel is live;
 * without retention a long stream keeps thousands of rows nobody reads.
 * Real streams service on PostgreSQL; the ingest callbacks are called the
 * way the local provider calls them.
 */
import type { IngestHealthSample } from "../../../../lib/media/ingest-health";
import { ingestCallbacks } from "../../../../services/media/streams/session-lifecycle";
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import type { CoreHarness } from "../../core/core-harness";
import { newUser } from "../../core/core-harness";
import { waitFor } from "../../../helpers/infra";
import { createChannel, startStreams, type StreamsHarness } from "./streams-harness";

jest.setTimeout(60000);

describe("streams: bounded health sample retention (real Postgres)", () => {
  let h: StreamsHarness;
  let svc: StreamsThis;
  let channelId: string;
  let ownerId: string;

  const sample = (at: Date): IngestHealthSample => ({
    at: at.toISOString(),
    bitrateKbps: 2500,
    fps: 30,
    keyframeIntervalS: 2,
    droppedFrames: 0,
    width: 1280,
    height: 720,
  });
  const countFor = (sessionId: string) => svc.stores.healthSamples.count({ sessionId });

  beforeAll(async () => {
    h = await startStreams();
    svc = h.broker.getLocalService("streams") as unknown as StreamsThis;
    const alice = await newUser(h as unknown as CoreHarness, "alice");
    ownerId = alice.id;
    channelId = (
      await createChannel(alice.api, { slug: `ret-${Date.now().toString(36)}`, title: "Retention", category: "fps" })
    ).channel.id;
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("keeps only the last healthRetentionS of a live session's samples", async () => {
    svc.settings.healthRetentionS = 60;
    const callbacks = ingestCallbacks(svc);
    const { sessionId } = await callbacks.publishStarted({ channelId, ownerId, connectionId: "conn-1" });
    const t0 = Date.now() - 3600_000;
    for (const offsetS of [0, 30, 50]) {
      callbacks.healthSampled({ sessionId, sample: sample(new Date(t0 + offsetS * 1000)) });
      await waitFor(
        async () => (await svc.stores.healthSamples.count({ sessionId, at: new Date(t0 + offsetS * 1000) })) === 1,
        { what: `sample +${offsetS}s stored` },
      );
    }
    expect(await countFor(sessionId)).toBe(3);
    // 100 s in: everything before +40 s goes, +50 s and +100 s stay.
    callbacks.healthSampled({ sessionId, sample: sample(new Date(t0 + 100_000)) });
    await waitFor(async () => (await countFor(sessionId)) === 2, { what: "samples older than the window removed" });
    const kept = await svc.stores.healthSamples.find({ query: { sessionId }, sort: ["at"] });
    expect(kept.map((d) => new Date(d.at).getTime() - t0)).toEqual([50_000, 100_000]);
  });

  it("removes the samples of the channel's earlier sessions when a new session opens", async () => {
    const first = await svc.stores.sessions.findOne({ channelId, status: "live" });
    expect(first).not.toBeNull();
    const firstId = (first as { id: string }).id;
    expect(await countFor(firstId)).toBeGreaterThan(0);
    await svc.stores.sessions.updateById(firstId, { status: "ended", endedAt: new Date(), connectionId: null });
    // Another channel's samples are not this channel's to remove.
    await svc.stores.healthSamples.insert({
      sessionId: "other-session",
      channelId: "other-channel",
      ...sample(new Date()),
      at: new Date(),
    });

    const { sessionId: secondId } = await ingestCallbacks(svc).publishStarted({
      channelId,
      ownerId,
      connectionId: "conn-2",
    });
    expect(secondId).not.toBe(firstId);
    expect(await countFor(firstId)).toBe(0);
    expect(await countFor("other-session")).toBe(1);
  });
});

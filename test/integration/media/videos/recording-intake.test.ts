/**
 * A live session's recording becomes a VOD automatically: the streams
 * service's durable video.source.ready (published here by a stand-in
 * producer) creates the video, transcodes it and publishes it — once, even
 * when the event is delivered again.
 */
import type { Service, ServiceSchema } from "moleculer";
import type { AuthUser } from "../../../../lib/auth/auth-user";
import {
  DurableEventsMixin,
  deadLetterHandler,
  durableHandler,
  type DurableEventsMethods,
} from "../../../../mixins/durable-events";
import type { VideoSourceReady } from "../../../../services/media/streams/streams.events";
import { recordingVideoId } from "../../../../services/media/videos/recording-intake";
import type { VideoView } from "../../../../services/media/videos/video.types";
import { createTempDir, uniqueId, waitFor, type TempDir } from "../../../helpers/infra";
import { makeClip } from "./helpers/clip";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

const producer: ServiceSchema = {
  name: "recordingProducer",
  mixins: [DurableEventsMixin()],
  actions: {
    ready: {
      params: {
        sourceId: "string",
        channelId: "string",
        ownerId: "string",
        sessionId: "string",
        title: "string",
        category: { type: "string", nullable: true },
        storageKey: "string",
        durationS: "number",
      },
      handler(this: Service & DurableEventsMethods, ctx): Promise<string> {
        return this.publishDurable("video.source.ready", ctx.params as VideoSourceReady);
      },
    },
  },
};

const published: string[] = [];
const deadLetters: unknown[] = [];
const created: string[] = [];
const recorder: ServiceSchema = {
  name: "recordingRecorder",
  channels: {
    ...durableHandler("video.published", {
      group: "rec-recorder",
      async handler(envelope) {
        published.push(envelope.payload.videoId);
      },
    }),
    ...durableHandler("video.created", {
      group: "rec-recorder",
      async handler(envelope) {
        created.push(envelope.payload.videoId);
      },
    }),
    ...deadLetterHandler("video.source.ready", {
      group: "rec-recorder",
      async handler(message) {
        deadLetters.push(message);
      },
    }),
  },
};

let h: VideosHarness;
let work: TempDir;

beforeAll(async () => {
  work = createTempDir("arena-recording-");
  h = await startVideos({ withCore: false, extraServices: [producer, recorder] });
});

afterAll(async () => {
  await h?.stop();
  work?.remove();
});

describe("live recording → VOD", () => {
  it("creates, transcodes and publishes the recording once, however often the event arrives", async () => {
    const sessionId = uniqueId("s");
    const storageKey = `recordings/${sessionId}/source.mp4`;
    await h.videos.storage.putFile(storageKey, makeClip(work.path, { name: "recording.mp4", seconds: 2 }));
    const event: VideoSourceReady = {
      sourceId: uniqueId("rec"),
      channelId: "ch-live",
      ownerId: "streamer-1",
      sessionId,
      title: "Ranked grind",
      category: "fps",
      storageKey,
      durationS: 2,
    };
    await h.broker.call("recordingProducer.ready", event);
    await h.broker.call("recordingProducer.ready", event); // a second delivery of the same recording
    const id = recordingVideoId(event.sourceId);
    const owner: AuthUser = { id: "streamer-1", username: "streamer", roles: ["creator"] };

    const ready = await waitFor(
      async () => {
        const video = (await h.broker.call("videos.get", { id }, { meta: { user: owner } })) as VideoView;
        if (video.status === "failed") throw new Error(String(video.failureReason));
        return video.status === "ready" ? video : null;
      },
      { timeoutMs: 60000, intervalMs: 200, what: "recording VOD ready" },
    );
    expect(ready).toMatchObject({
      origin: "recording",
      liveSessionId: sessionId,
      title: "Ranked grind",
      category: "fps",
      visibility: "public",
      channelId: "ch-live",
    });
    expect(ready.renditions.map((r) => r.name)).toEqual(["240p", "144p"]);
    await waitFor(() => published.includes(id), { what: "video.published" });

    expect(await h.videos.stores.videos.count({ sourceId: event.sourceId })).toBe(1);
    expect(await h.videos.stores.jobs.count({ videoId: id })).toBe(1);
    expect(created.filter((v) => v === id)).toHaveLength(1);
    // Anyone can watch it; the recording file stays where the streams service put it.
    const play = (await h.broker.call("videos.playback", { id }, { meta: { clientIp: "10.0.0.1" } })) as {
      hlsUrl: string;
    };
    expect(play.hlsUrl).toContain(`/media/vod/${id}/master.m3u8`);
    expect(await h.videos.storage.head(storageKey)).toBeDefined();
    // A recording's source cannot be swapped by an upload.
    await expect(
      h.broker.call("videos.uploadUrl", { id, contentType: "video/mp4", size: 10 }, { meta: { user: owner } }),
    ).rejects.toMatchObject({ code: 409 });
  });

  it("refuses a recording whose key would leave the media root: dead-lettered, no video", async () => {
    const sourceId = uniqueId("bad");
    await h.broker.call("recordingProducer.ready", {
      sourceId,
      channelId: "c",
      ownerId: "o",
      sessionId: "s",
      title: "t",
      category: null,
      storageKey: "../../etc/passwd",
      durationS: 1,
    });
    await waitFor(() => deadLetters.some((m) => JSON.stringify(m).includes(sourceId)), {
      timeoutMs: 30000,
      what: "dead letter",
    });
    expect(await h.videos.stores.videos.count({ sourceId })).toBe(0);
    expect(await h.videos.stores.videos.findById(recordingVideoId(sourceId))).toBeNull();
  });
});

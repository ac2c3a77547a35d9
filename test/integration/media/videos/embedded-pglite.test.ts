/**
 * Embedded defaults (no DATABASE_URL: PGlite in DATA_DIR, local storage,
 * ffmpeg): the videos service migrates, takes a recording in and publishes
 * a playable VOD, as `npm start` on a bare machine would.
 */
import type { AuthUser } from "../../../../lib/auth/auth-user";
import type { VideoView } from "../../../../services/media/videos/video.types";
import { newVideoDoc } from "../../../../services/media/videos/video-actions";
import type { VideoDoc } from "../../../../services/media/videos/video.types";
import { createTempDir, uniqueId, waitFor, type TempDir } from "../../../helpers/infra";
import { makeClip } from "./helpers/clip";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let h: VideosHarness;
let work: TempDir;
const owner: AuthUser = { id: "owner-embedded", username: "owner", roles: ["creator"] };

beforeAll(async () => {
  work = createTempDir("arena-embedded-");
  // DATABASE_URL unset → PGlite; the harness's Postgres database is simply not used.
  h = await startVideos({ withCore: false, env: { DATABASE_URL: undefined } });
});

afterAll(async () => {
  await h?.stop();
  work?.remove();
});

it("runs the whole VOD pipeline on PGlite", async () => {
  expect(h.config.database.url).toBeUndefined();
  const id = uniqueId("v");
  const sourceKey = `uploads/${id}/source.mp4`;
  await h.videos.storage.putFile(sourceKey, makeClip(work.path, { seconds: 1 }));
  await h.videos.db.transaction(async () => {
    await h.videos.stores.videos.insert({
      ...newVideoDoc({
        id,
        channelId: "ch-e",
        ownerId: owner.id,
        title: "embedded",
        origin: "upload",
        tags: ["pglite"],
      }),
      status: "processing",
      sourceKey,
    } as VideoDoc);
    await h.videos.jobQueue.enqueue(id);
  });
  h.videos.jobRunner.kick();
  const ready = await waitFor(
    async () => {
      const video = (await h.broker.call("videos.get", { id }, { meta: { user: owner } })) as VideoView;
      return video.status === "ready" ? video : null;
    },
    { timeoutMs: 60000, intervalMs: 200, what: "ready on PGlite" },
  );
  expect(ready.renditions).toHaveLength(2);
  const page = (await h.broker.call("videos.list", { channelId: "ch-e", tag: "pglite" }, { meta: {} })) as {
    items: VideoView[];
  };
  expect(page.items.map((v) => v.id)).toEqual([id]);
  const play = (await h.broker.call("videos.playback", { id }, { meta: { clientIp: "192.0.2.1" } })) as {
    viewCounted: boolean;
  };
  expect(play.viewCounted).toBe(true);
});

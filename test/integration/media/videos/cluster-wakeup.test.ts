/**
 * Two videos nodes over the real NATS on one database: an API-only node
 * (processJobs: false) takes the upload; the worker node, whose poll is far
 * too slow to matter, is woken by the job-queued broadcast and transcodes.
 */
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import type { AuthUser } from "../../../../lib/auth/auth-user";
import { newVideoDoc } from "../../../../services/media/videos/video-actions";
import type { VideoDoc, VideoView } from "../../../../services/media/videos/video.types";
import {
  createTempDir,
  createTestDatabase,
  NATS_URL,
  uniqueId,
  waitFor,
  type TempDir,
  type TestDatabase,
} from "../../../helpers/infra";
import { makeClip } from "./helpers/clip";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let db: TestDatabase;
let dataDir: TempDir;
let work: TempDir;
let apiNode: VideosHarness;
let workerNode: VideosHarness;
const owner: AuthUser = { id: "owner-cluster", username: "owner", roles: ["creator"] };

beforeAll(async () => {
  db = await createTestDatabase("arena_vodcluster");
  dataDir = createTempDir("arena-vodcluster-");
  work = createTempDir("arena-vodcluster-work-");
  const env = { TRANSPORTER: NATS_URL, NAMESPACE: uniqueId("vodc"), DATA_DIR: dataDir.path };
  apiNode = await startVideos({ db, withCore: false, env, videoSettings: { processJobs: false } });
  workerNode = await startVideos({
    db,
    withCore: false,
    env,
    videoSettings: { processJobs: true, jobPollMs: 10 * 60_000 },
  });
  await waitFor(
    async () => {
      const nodes = (await apiNode.broker.call("$node.list", { onlyAvailable: true })) as Array<{ id: string }>;
      return nodes.some((n) => n.id === workerNode.broker.nodeID);
    },
    { what: "nodes see each other" },
  );
});

afterAll(async () => {
  await apiNode?.stop({ keepDatabase: true });
  await workerNode?.stop({ keepDatabase: true });
  await db?.drop();
  dataDir?.remove();
  work?.remove();
});

it("an upload on an API-only node is transcoded by a worker node woken by the broadcast", async () => {
  const clip = readFileSync(makeClip(work.path, { seconds: 1 }));
  const id = uniqueId("v");
  await apiNode.videos.stores.videos.insert(
    newVideoDoc({ id, channelId: "ch-c", ownerId: owner.id, title: "clustered", origin: "upload" }) as VideoDoc,
  );
  const uploaded = (await apiNode.broker.call("videos.upload", Readable.from([clip]), {
    nodeID: apiNode.broker.nodeID,
    meta: { $params: { id }, user: owner, contentType: "video/mp4", contentLength: clip.length },
  })) as VideoView;
  expect(uploaded.status).toBe("processing");
  const ready = await waitFor(
    async () => {
      const video = (await apiNode.broker.call("videos.get", { id }, { meta: { user: owner } })) as VideoView;
      return video.status === "ready" ? video : null;
    },
    { timeoutMs: 30000, intervalMs: 200, what: "worker node finishes the job" },
  );
  expect(ready.renditions).toHaveLength(2);
  const [job] = await apiNode.videos.stores.jobs.find({ query: { videoId: id } });
  // The API-only node (processJobs: false) must not have taken the job, even though it queued it.
  expect(job).toMatchObject({ state: "succeeded", attempts: 1, workerNodeId: workerNode.broker.nodeID });
  expect(workerNode.broker.nodeID).not.toBe(apiNode.broker.nodeID);
});

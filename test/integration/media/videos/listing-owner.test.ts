/**
 * A channel's video listing tells its owner (who also sees drafts) without a lookup per page: the owner is
 * asked of channels once per channel per node, since a channel never changes hands. A signed-in visitor's
 * pages cost the listing's own reads only.
 */
import { newActor, createChannel } from "./helpers/users";
import { ok, videosApi } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let h: VideosHarness;

beforeAll(async () => {
  h = await startVideos({ videoSettings: { processJobs: false } });
});

afterAll(async () => {
  await h?.stop();
});

afterEach(() => jest.restoreAllMocks());

it("lists a channel's drafts to its owner only, with no owner lookup per signed-in page", async () => {
  const [owner, visitor] = await Promise.all([newActor(h.base, "lo"), newActor(h.base, "lv")]);
  const channelId = await createChannel(owner);
  const mine = videosApi(owner.api);
  const theirs = videosApi(visitor.api);
  ok(await mine.create({ channelId, title: "A draft" }));
  expect(ok(await mine.list({ channelId })).items.map((v) => v.title)).toEqual(["A draft"]);
  expect(ok(await theirs.list({ channelId })).items).toEqual([]);

  const findOne = jest.spyOn(h.videos.stores.videos, "findOne");
  const calls = jest.spyOn(h.broker, "call");
  for (let i = 0; i < 3; i++) {
    expect(ok(await theirs.list({ channelId })).items).toEqual([]);
    expect(ok(await mine.list({ channelId })).items.map((v) => v.title)).toEqual(["A draft"]);
  }
  expect({
    findOne: findOne.mock.calls.length,
    channelsGet: calls.mock.calls.filter(([action]) => action === "channels.get").length,
  }).toEqual({ findOne: 0, channelsGet: 0 });
  // The owner's filters stay the owner's.
  expect((await theirs.list({ channelId, status: "awaiting_upload" })).status).toBe(403);
  expect(ok(await mine.list({ channelId, status: "awaiting_upload" })).items).toHaveLength(1);
});

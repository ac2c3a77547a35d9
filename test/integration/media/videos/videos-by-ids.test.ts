/**
 * GET /me/videos?ids=a,b: several of the caller's own videos in one call (the creator dashboard's poll), in any
 * state and visibility. A /me route: another user's video is left out like an unknown id, even a public ready
 * one the single read would show, and even to an admin. Real gateway, real Postgres, one real transcode.
 */
import { readFileSync } from "node:fs";
import { ApiClient } from "../../../helpers/api-client";
import { uniqueId, createTempDir, type TempDir } from "../../../helpers/infra";
import type { VideoView } from "../../../../services/media/videos/video.types";
import { makeClip } from "./helpers/clip";
import { publishClip } from "./helpers/publish";
import { anonymous, createChannel, newActor, PASSWORD, type Actor } from "./helpers/users";
import { ok, videosApi } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let h: VideosHarness;
let work: TempDir;
let owner: Actor;
let other: Actor;
let admin: Actor;
let drafts: string[];
let published: string;

const adminName = `adm_${uniqueId("").slice(-10)}`;

async function byIds(actor: Pick<Actor, "videos">, ids: string[]): Promise<VideoView[]> {
  return ok(await actor.videos.byIds(ids)).items;
}

/** ARENA_ADMINS names the admin: registered under exactly that name. */
async function newAdmin(): Promise<Actor> {
  const anon = new ApiClient(h.base);
  ok(await anon.auth.register({ email: `${adminName}@example.test`, username: adminName, password: PASSWORD }));
  const login = ok(await anon.auth.login({ login: adminName, password: PASSWORD })) as {
    accessToken: string;
    user: { id: string };
  };
  const api = anon.as(login.accessToken);
  return { id: login.user.id, username: adminName, token: login.accessToken, api, videos: videosApi(api) };
}

/** The ids GET /me/videos answers `actor` with, in the order it gives them. */
async function idsSeenBy(actor: Pick<Actor, "videos">, ids: string[]): Promise<string[]> {
  return (await byIds(actor, ids)).map((v) => v.id);
}

beforeAll(async () => {
  work = createTempDir("arena-videos-by-ids-");
  const clip = readFileSync(makeClip(work.path, { seconds: 1 }));
  h = await startVideos({ env: { ARENA_ADMINS: adminName } });
  [owner, other] = await Promise.all(["own", "oth"].map((p) => newActor(h.base, p)));
  admin = await newAdmin();
  const channelId = await createChannel(owner);
  drafts = [];
  for (const title of ["Draft A", "Draft B"])
    drafts.push(ok(await owner.videos.create({ channelId, title, visibility: "public" })).id);
  published = (await publishClip(owner, channelId, clip, { title: "Published" })).id;
});

afterAll(async () => {
  await h?.stop();
  work?.remove();
});

describe("GET /me/videos?ids=: the caller's own videos by id", () => {
  it("the owner gets their drafts and published videos, in the order asked, each once", async () => {
    const items = await byIds(owner, [drafts[1], published, drafts[0]]);
    expect(items.map((v) => [v.id, v.status])).toEqual([
      [drafts[1], "awaiting_upload"],
      [published, "ready"],
      [drafts[0], "awaiting_upload"],
    ]);
    // The same view as GET /videos/{id}.
    expect(items[1]).toEqual({ ...ok(await owner.videos.get(published)), thumbnailUrl: items[1]?.thumbnailUrl });
    expect(await idsSeenBy(owner, [published, published, drafts[0]])).toEqual([published, drafts[0]]);
  });

  it("another user, and an admin, get none of the owner's videos: public ready ones included, as unknown ids", async () => {
    const asked = [...drafts, published, "no-such-video"];
    expect(await idsSeenBy(owner, asked)).toEqual([...drafts, published]);
    // GET /videos/{id} shows the published one to anyone; this /me route still leaves it out.
    expect(ok(await other.videos.get(published)).id).toBe(published);
    expect(await byIds(other, asked)).toEqual([]);
    expect(await byIds(admin, asked)).toEqual([]);
    expect(await byIds(other, [published])).toEqual([]);
  });

  it("a caller asking for their own and another user's ids gets their own alone", async () => {
    const channelId = await createChannel(other);
    const theirs = ok(await other.videos.create({ channelId, title: "Other's draft", visibility: "public" })).id;
    expect(await idsSeenBy(other, [published, theirs, drafts[0]])).toEqual([theirs]);
    expect(await idsSeenBy(owner, [published, theirs, drafts[0]])).toEqual([published, drafts[0]]);
  });

  it("a private video is its owner's alone", async () => {
    ok(await owner.videos.update(published, { visibility: "private" }));
    try {
      expect(await idsSeenBy(other, [published])).toEqual([]);
      expect(await idsSeenBy(owner, [published])).toEqual([published]);
      expect(await idsSeenBy(admin, [published])).toEqual([]);
    } finally {
      ok(await owner.videos.update(published, { visibility: "public" }));
    }
  });

  it("signed out: 401", async () => {
    expect((await anonymous(h.base).videos.byIds([published])).status).toBe(401);
  });

  it("400 on more than 50 ids, a malformed id, an empty list or no ids at all; 50 ids are fine", async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `missing-${i}`);
    expect(await idsSeenBy(owner, [...fifty.slice(0, 49), published])).toEqual([published]);
    const bad: Array<[string, string]> = [
      ["51 ids", `ids=${[...fifty, published].join(",")}`],
      ["a malformed id", `ids=${published},bad%20id`],
      ["an id with a slash", `ids=a%2Fb`],
      ["an empty id", `ids=${published},,${drafts[0]}`],
      ["a trailing comma", `ids=${published},`],
      ["an empty list", "ids="],
      ["no ids", ""],
      ["an id longer than 64", `ids=${"x".repeat(65)}`],
    ];
    for (const [what, query] of bad) {
      const res = await owner.api.request("GET", `/me/videos?${query}`);
      expect({ what, status: res.status }).toEqual({ what, status: 400 });
    }
  });
});

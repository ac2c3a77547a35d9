/**
 * GET /streams/live is a cursor page in both sorts (most viewers, most
 * recent) over the document store: paging gives every open session exactly
 * once, ties on viewers and on the start time break by id, a stream that
 * starts mid-way does not shift the later pages of the recent sort, and a
 * cursor the server did not make (or made for the other sort) is a 400.
 */
import type { CursorPage } from "../../../../lib/pagination";
import { encodeCursor } from "../../../../lib/pagination";
import { ok } from "../../../helpers/api-client";
import { allPages, idsOf } from "../../../helpers/pages";
import type { PublicSession } from "../../../../services/media/streams/stream-sessions";
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import { startStreams, type StreamsHarness } from "./streams-harness";

jest.setTimeout(60000);

describe("streams: the live list pages with cursors (real Postgres, real gateway)", () => {
  let h: StreamsHarness;
  let svc: StreamsThis;
  const category = `lp${Date.now().toString(36)}`;
  const t0 = Date.now() - 3_600_000;
  /** [viewers, minutes after t0]: ties on both, so the id decides. */
  const shapes: Array<[number, number]> = [
    [5, 0],
    [9, 1],
    [5, 1],
    [5, 1],
    [0, 2],
    [9, 3],
    [5, 4],
  ];
  let sessions: Array<{ id: string; viewers: number; startedAt: number }>;

  const open = async (viewers: number, startedAt: number) => {
    const doc = await svc.stores.sessions.insert({
      channelId: `ch-${sessions.length}-${category}`,
      ownerId: "owner-1",
      status: sessions.length % 2 === 0 ? "live" : "reconnecting",
      title: "Paged",
      category,
      language: "en",
      provider: "local",
      nodeId: h.broker.nodeID,
      connectionId: null,
      startedAt: new Date(startedAt),
      disconnectedAt: null,
      endedAt: null,
      durationS: null,
      viewerCount: viewers,
      peakViewers: viewers,
      lastHealth: null,
      recordingKey: null,
    });
    sessions.push({ id: doc.id, viewers, startedAt });
    return doc.id;
  };
  const list = async (sort: string, cursor?: string, limit = 2) =>
    ok(
      await h.api.request<CursorPage<PublicSession>>(
        "GET",
        `/streams/live?category=${category}&sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      ),
    );
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const expected = (sort: "viewers" | "recent") =>
    [...sessions]
      .sort((a, b) => (sort === "viewers" ? b.viewers - a.viewers : 0) || b.startedAt - a.startedAt || byId(a.id, b.id))
      .map((s) => s.id);

  beforeAll(async () => {
    h = await startStreams();
    svc = h.broker.getLocalService("streams") as unknown as StreamsThis;
    sessions = [];
    for (const [viewers, minutes] of shapes) await open(viewers, t0 + minutes * 60_000);
  });
  afterAll(() => h?.stop());

  it.each(["viewers", "recent"] as const)("pages the %s sort: every open session once, in order", async (sort) => {
    const pages = await allPages((cursor) => list(sort, cursor));
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2, 1]);
    expect(idsOf(pages, (s) => s.id)).toEqual(expected(sort));
  });

  it("a stream starting mid-way leaves the later pages of the recent sort unchanged", async () => {
    const before = expected("recent");
    const first = await list("recent", undefined, 3);
    await open(100, Date.now());
    const rest = await allPages((cursor) => list("recent", cursor, 3), { from: first.nextCursor! });
    expect(idsOf([first, ...rest], (s) => s.id)).toEqual(before);
  });

  it.each([
    ["not a cursor", "%25%25"],
    ["a recent-sort cursor on the viewers sort", encodeCursor([new Date(t0).toISOString(), "x"])],
    ["a forged start time", encodeCursor([5, "yesterday", "x"])],
    ["a fraction of a viewer", encodeCursor([5.5, new Date(t0).toISOString(), "x"])],
  ])("answers 400 for %s", async (_what, cursor) => {
    const res = await h.api.request("GET", `/streams/live?category=${category}&sort=viewers&cursor=${cursor}`);
    expect(res.status).toBe(400);
  });

  it("answers 400 for the old offset parameter", async () => {
    expect((await h.api.request("GET", `/streams/live?offset=2`)).status).toBe(400);
  });
});

/** schedules: only the channel's owner (or an admin) plans, edits and removes its schedule segments. */
import { ok } from "../../../helpers/api-client";
import type { GuardHarness } from "../guard-harness";
import { only, read, type GuardRow, actorIndex } from "../route-guard";

const base = (h: GuardHarness) => `/channels/${h.channelId}/schedule`;
const schedule = (h: GuardHarness) => () => read(h.users.owner.api, base(h));

/** Tomorrow at a fixed hour, so each segment is in the schedule's default window. */
const startAt = () => new Date(Date.now() + 24 * 3600_000).toISOString();

async function segment(h: GuardHarness): Promise<string> {
  const res = await h.users.owner.api.request("POST", `${base(h)}/segments`, {
    title: "Guard segment",
    startAt: startAt(),
    durationMin: 60,
  });
  return (ok(res, 201) as { id: string }).id;
}

export const schedulesRows: GuardRow[] = [
  {
    route: "POST /channels/:channelId/schedule/segments",
    expect: only({ owner: 201, admin: 201 }),
    attempt: async (h) => ({
      params: { channelId: h.channelId },
      bodyFor: (actor) => ({ title: `Segment ${actorIndex(actor)}`, startAt: startAt(), durationMin: 60 }),
      state: schedule(h),
    }),
  },
  {
    route: "PATCH /channels/:channelId/schedule/segments/:segmentId",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => ({
      params: { channelId: h.channelId, segmentId: await segment(h) },
      bodyFor: (actor) => ({ title: `Renamed ${actorIndex(actor)}` }),
      state: schedule(h),
    }),
  },
  {
    route: "DELETE /channels/:channelId/schedule/segments/:segmentId",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => ({ params: { channelId: h.channelId, segmentId: await segment(h) }, state: schedule(h) }),
  },
];

/**
 * analytics: the player's watch-progress heartbeat is open to every viewer,
 * signed in or not (a public video plays for anyone) who holds the play id
 * the video's playback issued (lib/views/play-id); the per-viewer rate
 * limit, not a role, bounds it.
 */
import type { AnalyticsThis } from "../../../../services/engagement/analytics/analytics.context";
import { issuePlayId } from "../../../../lib/views/play-id";
import type { GuardHarness } from "../guard-harness";
import { everyone, read, type GuardRow } from "../route-guard";
import { publishedVideo } from "./media-fixtures";

/** A public video of the owner's channel, known to analytics as its video.created event would make it. */
async function trackedVideo(h: GuardHarness): Promise<string> {
  const id = await publishedVideo(h);
  await h.service<AnalyticsThis>("analytics").stores.videos.insert({
    id,
    channelId: h.channelId,
    title: "Published for the guard",
    durationS: 120,
    origin: "upload",
    deleted: false,
  });
  return id;
}

export const analyticsRows: GuardRow[] = [
  {
    route: "POST /videos/:id/watch-progress",
    note: "a public video: every viewer, signed in or not",
    expect: everyone(200),
    invisible: "beats are buffered and counted by a later rollup, not at once",
    attempt: async (h) => {
      const id = await trackedVideo(h);
      return {
        params: { id },
        // As GET /videos/:id/playback hands it to anyone allowed to watch.
        body: {
          playId: issuePlayId(id, Math.floor(Date.now() / 1000) + 600, h.config.media.urlSecret),
          positionS: 5,
          watchedS: 5,
        },
        state: () => read(h.users.owner.api, `/videos/${id}`),
      };
    },
  },
];

/**
 * What the videos service builds from the config when it is created, and the
 * housekeeping it does once at start: plain functions its lifecycle calls.
 */
import { join } from "node:path";
import { BoundedTtlCache } from "../../../lib/cache";
import { getConfig } from "../../../lib/config";
import { parseLadder } from "../../../lib/media/hls-ladder";
import { playbackSignerFor } from "../../../lib/media/playback-signer";
import { createRateLimitStore } from "../../../lib/rate-limit";
import { createObjectStorage } from "../../../lib/storage";
import { createTranscoder } from "../../../lib/transcoding";
import type { EntityStore } from "../../../mixins/db";
import { parseByteSize } from "./upload-limits";
import { pruneStaleUploads } from "./upload-tmp";
import { backfillListedAt } from "./video-listing";
import type { VideoDoc } from "./video.types";
import type { VideosThis } from "./videos.context";

/** Storage, transcoder, playback signing, caches and limits, from the config and the service's settings. */
export function createVideosResources(svc: VideosThis): void {
  const config = getConfig();
  // Both fail fast here, at boot, on an unknown driver or a bad combination.
  svc.storage = createObjectStorage(config);
  // VOD uses the live ladder unless told otherwise: a recording turned VOD
  // then offers the same renditions its viewers had live.
  const ladder = svc.settings.ladder ?? parseLadder(config.media.live.ladder);
  const ffmpegPreset = svc.settings.ffmpegPreset ?? config.media.live.x264Preset;
  svc.transcoder = createTranscoder(config, svc.storage, {
    ladder,
    ffmpegPreset,
    mediaConvert: svc.settings.mediaConvert,
  });
  svc.playbackSigner = playbackSignerFor(config);
  svc.viewerSalt = config.media.urlSecret;
  svc.channelOwners = new BoundedTtlCache({ maxEntries: 10_000, ttlMs: 10 * 60_000 });
  svc.commentLimits = createRateLimitStore(config, `${config.namespace}:videos`);
  // A bad VOD_UPLOAD_MAX_SIZE fails the boot here rather than the first upload.
  if (svc.settings.uploadMaxBytes === undefined)
    svc.settings.uploadMaxBytes = parseByteSize(config.media.vod.uploadMaxSize);
}

/** Leftovers of earlier runs: stale upload files, and (MongoDB) videos stored before listedAt existed. */
export async function tidyAtStart(svc: VideosThis, videos: EntityStore<VideoDoc>): Promise<void> {
  // A node killed mid-upload left its temporary file; uploads in progress elsewhere are younger.
  await pruneStaleUploads(join(getConfig().dataDir, "upload-tmp")).catch((err: unknown) =>
    svc.logger.warn(`Could not prune stale upload files: ${String(err)}`),
  );
  if (getConfig().mongoUri) {
    const fixed = await backfillListedAt(videos);
    if (fixed > 0) svc.logger.info(`Gave ${fixed} videos their listing time (listedAt)`);
  }
}

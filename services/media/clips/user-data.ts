/**
 * clips' part of GET /me/export: the clips the user made (with their job
 * state, without the worker's bookkeeping or storage keys) and the stream markers
 * they dropped.
 */
import type { ArenaContext } from "../../../lib/contracts";
import { assertSelfOrAdmin, withoutFields, type UserDataParams } from "../../../lib/contracts/user-data";
import type { ClipsThis } from "./clips.context";
import type { ClipsUserData } from "./clips.contract";
import { toMarkerView } from "./clip-view";
import { CLIP_BOOKKEEPING } from "./clip.types";

export async function exportUserData(svc: ClipsThis, ctx: ArenaContext<UserDataParams>): Promise<ClipsUserData> {
  assertSelfOrAdmin(ctx);
  const { userId } = ctx.params;
  const clips = await svc.stores.clips.find({ query: { ownerId: userId }, sort: ["requestedAt"] });
  const markers = await svc.stores.markers.find({ query: { createdBy: userId }, sort: ["createdAt"] });
  return {
    clips: clips.map((clip) => withoutFields(clip, CLIP_BOOKKEEPING)),
    markers: markers.map(toMarkerView),
  };
}

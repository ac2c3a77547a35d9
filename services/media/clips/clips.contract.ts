/** The actions the clips service offers; clips.service.ts is checked against it. */
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { CLIP_BOOKKEEPING, ClipDoc } from "./clip.types";
import type { CursorPage, CursorPageParams } from "../../../lib/pagination";
import type { CreateClipParams, ListClipsParams } from "./clip-actions";
import type { ClipPlayback, ClipView, MarkerChapter, MarkerView } from "./clip.types";

/** A stored clip as the user's data export shows it: without the cut job's bookkeeping and storage keys. */
export type ExportedClip = Omit<ClipDoc, (typeof CLIP_BOOKKEEPING)[number]>;

/** clips' section of GET /me/export: the user's clips and their markers. */
export type ClipsUserData = {
  clips: ExportedClip[];
  markers: MarkerView[];
};

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what clips holds of a user, for GET /me/export (the user or an admin). */
    "clips.exportUserData": { params: UserDataParams; result: ClipsUserData };
    "clips.create": { params: CreateClipParams; result: ClipView };
    "clips.get": { params: { id: string }; result: ClipView };
    "clips.list": { params: ListClipsParams; result: CursorPage<ClipView> };
    "clips.playback": { params: { id: string }; result: ClipPlayback };
    "clips.remove": { params: { id: string }; result: { id: string; deleted: true } };
    "clips.createMarker": { params: { channelId: string; description?: string }; result: MarkerView };
    "clips.listMarkers": { params: { channelId: string } & CursorPageParams; result: CursorPage<MarkerView> };
    "clips.removeMarker": { params: { channelId: string; markerId: string }; result: { id: string; deleted: true } };
    /** A VOD's markers as chapters (the VOD chapters route merges them). */
    "clips.videoMarkers": { params: { videoId: string }; result: { items: MarkerChapter[] } };
  }
}

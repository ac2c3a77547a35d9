/**
 * The actions the streams service offers (name → params and result), as
 * the gateway and other services call them through `callAction`.
 * streams.service.ts is checked against it with
 * `satisfies ServiceActions<"streams", StreamsThis>`.
 */
import type { CursorPage } from "../../../lib/pagination";
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { SESSION_BOOKKEEPING, SessionDoc } from "./streams.entities";
import type { IngestEndpoint } from "./media-provider";
import type { ChannelLiveStatus, PublicSession, StreamHealthView } from "./stream-sessions";
import type { ByChannelParams, ByChannelsParams, LiveListParams, UpdateParams } from "./streams.params";

/** A cursor page of live sessions (docs/api.md, "Pagination"). */
export type LiveList = CursorPage<PublicSession>;

export interface IngestInfo extends IngestEndpoint {
  provider: string;
}

/** A live session as clips and markers need it. */
export interface LiveRecording {
  sessionId: string;
  channelId: string;
  ownerId: string;
  title: string;
  startedAt: string;
  /** Storage keys of the recording so far (MPEG-TS parts, in order); empty where the provider keeps none. */
  recordingKeys: string[];
}

/** A stored live session as the user's data export shows it: without our ingest and storage bookkeeping. */
export type ExportedStreamSession = Omit<SessionDoc, (typeof SESSION_BOOKKEEPING)[number]>;

/** streams' section of GET /me/export: the live sessions of the user's channels. */
export type StreamsUserData = { sessions: ExportedStreamSession[] };

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what streams holds of a user, for GET /me/export (the user or an admin). */
    "streams.exportUserData": { params: UserDataParams; result: StreamsUserData };
    /** Live streams now, most viewers (or most recent) first. */
    "streams.live": { params: LiveListParams; result: LiveList };
    /** Live status and, when live, a signed playback URL. */
    "streams.channelStatus": { params: ByChannelParams; result: ChannelLiveStatus };
    /** Batch form of channelStatus without playback URLs (for channel lists). */
    "streams.liveMany": { params: ByChannelsParams; result: PublicSession[] };
    /** The owner's stream health. */
    "streams.health": { params: ByChannelParams; result: StreamHealthView };
    "streams.update": { params: UpdateParams; result: PublicSession };
    "streams.ingest": { params: ByChannelParams; result: IngestInfo };
    "streams.end": { params: ByChannelParams; result: { ended: boolean } };
    /** Internal (clips, markers): the open session and its recording so far; 404 when offline. */
    "streams.liveRecording": { params: ByChannelParams; result: LiveRecording };
  }
}

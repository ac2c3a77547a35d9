import { ReportReason as ReportReasonValues } from "./generated/enums";
import type { components } from "./generated/schema";

/**
 * Response types the OpenAPI document declares, under their component names
 * (the gateway's named response schemas, e.g. services/media/videos/videos.responses.ts).
 */
export type Schemas = components["schemas"];

/** The one list shape (lib/pagination/cursor-page.ts), for code generic over lists. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export type Video = Schemas["Video"];
export type VideoComment = Schemas["VideoComment"];
export type VideoPlayback = Schemas["VideoPlayback"];
export type UploadGrant = Schemas["UploadGrant"];
export type Post = Schemas["Post"];
export type PostSummary = Schemas["PostSummary"];
export type BlogComment = Schemas["BlogComment"];
export type Tournament = Schemas["Tournament"];
export type TournamentStatus = Tournament["status"];
export type TournamentFormat = Tournament["format"];
export type Entrant = Schemas["Entrant"];
export type Match = Schemas["Match"];
export type Standing = Schemas["Standing"];
export type Chapter = Schemas["Chapter"];
export type ClipView = Schemas["Clip"];
export type ClipPlayback = Schemas["ClipPlayback"];
export type StreamMarker = Schemas["StreamMarker"];
export type SearchHit = Schemas["SearchHit"];
export type SearchDocType = SearchHit["type"];
/** A matched range of `title` or `snippet`, UTF-16 offsets (plain text: the client marks it up). */
export type TextMatch = SearchHit["highlights"]["title"][number];
export type SearchResult = Schemas["SearchResult"];
export type NotificationView = Schemas["Notification"];
export type NotificationPreferences = Schemas["NotificationPreferences"];
export type DeliveryChannel = NotificationPreferences["types"][number]["channels"][number];
export type PushDevice = Schemas["PushDevice"];
export type ChannelAnalytics = Schemas["ChannelAnalytics"];
export type ChannelSummary = ChannelAnalytics["summary"]["last30Days"];
export type AdminAnalytics = Schemas["AdminAnalytics"];
export type SeriesTable = Schemas["AnalyticsSeries"];
export type ScheduleItem = Schemas["ScheduleItem"];
export type SegmentView = Schemas["ScheduleSegment"];
export type ChatMessage = Schemas["ChatMessage"];
export type RoomModerationState = Schemas["RoomModerationState"];
export type RoomModes = RoomModerationState["modes"];
export type ReportView = Schemas["Report"];
export type ReportTarget = ReportView["targetKind"];
export type ModerationAction = NonNullable<ReportView["action"]>;
export type AuditAction = Schemas["AuditEntry"]["action"];
/**
 * The report form's reasons, in the order it lists them: the document's
 * `ReportReason` (the moderation service's REASONS), generated, never copied.
 */
export const REPORT_REASONS: readonly ReportReason[] = ReportReasonValues;
export type ReportReason = Schemas["ReportReason"];
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** A report's per-reason counts are keyed by the same list. */
export const REPORT_REASONS_CHECK: SameKeys<ReportReason, keyof ReportView["reasons"]> = true;
export type Channel = Schemas["Channel"];
export type ChatPolicy = Schemas["ChatPolicy"];
export type LiveSession = Schemas["LiveSession"];
export type ChannelLiveStatus = Schemas["ChannelLiveStatus"];
export type StreamHealth = Schemas["StreamHealth"];
export type HealthSample = StreamHealth["samples"][number];
export type PublicProfile = Schemas["PublicProfile"];
export type PrivateProfile = Schemas["PrivateProfile"];
export type NotificationSettings = PrivateProfile["preferences"]["notifications"];
export type FollowState = Schemas["FollowState"];

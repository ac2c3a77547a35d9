import type { Channel, LiveSession } from "../api/schemas";
import { api } from "../api/http";
import { currentUser } from "../api/session";
import { useAsync } from "../lib/use-async";
import { ChannelClips, ClipButton } from "./clips";
import { StreamMarkers } from "./markers";
import { ReportButton } from "./report-button";
import { ChannelSchedule } from "./schedule";
import "./community.css";

/** Is the signed-in user the broadcaster, one of the channel's moderators or an admin? */
export function useChannelStaff(channelId: string): boolean {
  const me = currentUser.value;
  const policy = useAsync(
    async (signal) =>
      me ? api("get /api/v1/channels/{channelId}/chat-policy", { path: { channelId }, signal }) : undefined,
    [channelId, me?.id],
  );
  if (!me) return false;
  return (
    me.roles.includes("admin") || me.id === policy.data?.ownerId || (policy.data?.moderatorIds ?? []).includes(me.id)
  );
}

/** Beside the follow button: clip the live stream, report the channel or the stream. */
export function ChannelActions({
  channel,
  session,
  live,
}: {
  channel: Channel;
  session: LiveSession | null;
  live: boolean;
}) {
  // The broadcaster does not report their own channel.
  const own = currentUser.value?.id === channel.ownerId;
  return (
    <>
      {live && (
        <ClipButton source={{ kind: "live", channelId: channel.id }} defaultTitle={session?.title ?? channel.title} />
      )}
      {own ? null : live && session ? (
        <ReportButton target={{ kind: "stream", id: session.id, channelId: channel.id }} label="Report stream" />
      ) : (
        <ReportButton target={{ kind: "channel", id: channel.id }} label="Report channel" />
      )}
    </>
  );
}

/** Below the player: markers and the review queue for staff, the schedule, the channel's clips. */
export function ChannelCommunity({ channel, live }: { channel: Channel; live: boolean }) {
  const staff = useChannelStaff(channel.id);
  return (
    <>
      {staff && (
        <p class="row">
          <a href={`/moderation?channel=${encodeURIComponent(channel.id)}`} data-testid="channel-reports-link">
            Reports on this channel
          </a>
        </p>
      )}
      {staff && <StreamMarkers channelId={channel.id} live={live} />}
      <ChannelSchedule channelId={channel.id} />
      <ChannelClips channelId={channel.id} />
    </>
  );
}

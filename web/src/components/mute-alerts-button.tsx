import { useEffect, useState } from "preact/hooks";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { Icon } from "./icons";

/**
 * Mutes this channel's go-live, new-video and post alerts for a follower
 * (PUT/DELETE /me/notification-preferences/muted-channels/:channelId); the
 * follow stays. The muted list is also on /notifications/settings.
 */
export function MuteAlertsButton({ channelId, channelTitle }: { channelId: string; channelTitle: string }) {
  const user = currentUser.value;
  const [muted, setMuted] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setMuted(null);
    if (!user) return;
    const ctl = new AbortController();
    api("get /api/v1/me/notification-preferences", { signal: ctl.signal })
      .then((p) => setMuted(p.mutedChannels.includes(channelId)))
      .catch((err: unknown) => !ctl.signal.aborted && setError(describeError(err)));
    return () => ctl.abort();
  }, [channelId, user?.id]);

  if (!user) return null;

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      const path = { channelId };
      const prefs = muted
        ? await api("delete /api/v1/me/notification-preferences/muted-channels/{channelId}", { path })
        : await api("put /api/v1/me/notification-preferences/muted-channels/{channelId}", { path });
      setMuted(prefs.mutedChannels.includes(channelId));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        class="btn ghost"
        aria-pressed={muted === true}
        data-testid="mute-alerts"
        title={
          muted
            ? `Alerts from ${channelTitle} are muted: press to get its go-live, video and post alerts again`
            : `Stop go-live, video and post alerts from ${channelTitle} (you keep following)`
        }
        disabled={busy || muted === null}
        onClick={() => void toggle()}
      >
        <Icon name={muted ? "bellOff" : "bell"} size={16} /> {muted ? "Alerts muted" : "Mute alerts"}
      </button>
      {error && (
        <span class="error-text" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

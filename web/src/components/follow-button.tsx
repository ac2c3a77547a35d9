import { useEffect, useState } from "preact/hooks";
import { api, describeError } from "../api/http";
import { currentUser, sessionChecked } from "../api/session";
import { navigate } from "../router";

/** Follow / unfollow a channel; anonymous viewers are sent to log in first. `onChange` hears the state once known. */
export function FollowButton({ channelId, onChange }: { channelId: string; onChange?(following: boolean): void }) {
  const user = currentUser.value;
  const [following, setFollowing] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (following !== null) onChange?.(following);
  }, [following]);

  useEffect(() => {
    setFollowing(null);
    if (!user) return;
    const ctl = new AbortController();
    // One key lookup: a first page of the following list would miss a follow past its end.
    api("get /api/v1/channels/{channelId}/follow", { path: { channelId }, signal: ctl.signal })
      .then((state) => setFollowing(state.following))
      .catch(() => setFollowing(false));
    return () => ctl.abort();
  }, [channelId, user?.id]);

  const toggle = async () => {
    if (!user) {
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const state = following
        ? await api("delete /api/v1/channels/{channelId}/follow", { path: { channelId } })
        : await api("put /api/v1/channels/{channelId}/follow", { path: { channelId } });
      setFollowing(state.following);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        class={`btn ${following ? "following" : "primary"}`}
        aria-pressed={following === true}
        // Until the session is restored a signed-in visitor looks anonymous: a click would send them to log in.
        disabled={busy || !sessionChecked.value || (user !== null && following === null)}
        onClick={() => void toggle()}
      >
        {following ? "Following" : "♥ Follow"}
      </button>
      {error && (
        <span class="error-text" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

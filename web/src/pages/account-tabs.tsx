import { useState } from "preact/hooks";
import type { NotificationSettings, PrivateProfile } from "../api/schemas";
import { ApiError, api, describeError } from "../api/http";
import { Field, formValues, Notice } from "../components/form";
import { LoadMore } from "../components/load-more";
import { timeAgo } from "../lib/format";
import { useAsync } from "../lib/use-async";
import { useCursorList } from "../lib/use-cursor-list";

/** Profile, preferences, follows and blocks: the account tabs that are plain forms and lists. */
export function ProfileTab() {
  const me = useAsync((signal) => api("get /api/v1/me", { signal }), []);
  const [saved, setSaved] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  if (me.error) return <Notice kind="error">{describeError(me.error)}</Notice>;
  if (!me.data) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  const p = me.data;

  const submit = async (e: Event) => {
    e.preventDefault();
    const v = formValues(e);
    setSaved(null);
    setErrors({});
    try {
      const updated = await api("patch /api/v1/me", {
        body: { displayName: v.displayName, bio: v.bio ?? "", avatarUrl: v.avatarUrl ? v.avatarUrl : null },
      });
      me.set(updated);
      setSaved("Profile saved.");
    } catch (err) {
      setErrors(err instanceof ApiError ? { ...err.fieldErrors(), _: describeError(err) } : { _: describeError(err) });
    }
  };

  return (
    <form class="panel form" onSubmit={submit}>
      <h2>Public profile</h2>
      {saved && <Notice kind="ok">{saved}</Notice>}
      {errors._ && <Notice kind="error">{errors._}</Notice>}
      <dl class="kv">
        <dt>Username</dt>
        <dd>{p.username}</dd>
        <dt>Email</dt>
        <dd>{p.email ?? "—"}</dd>
        <dt>Member since</dt>
        <dd>{new Date(p.createdAt).toLocaleDateString()}</dd>
      </dl>
      <Field id="displayName" label="Display name" error={errors.displayName}>
        <input id="displayName" name="displayName" defaultValue={p.displayName} maxLength={50} required />
      </Field>
      <Field id="bio" label="Bio" error={errors.bio}>
        <textarea id="bio" name="bio" defaultValue={p.bio} maxLength={500} />
      </Field>
      <Field id="avatarUrl" label="Avatar URL" hint="An https:// image address." error={errors.avatarUrl}>
        <input id="avatarUrl" name="avatarUrl" type="url" defaultValue={p.avatarUrl ?? ""} maxLength={500} />
      </Field>
      <div class="row end">
        <button class="btn primary" type="submit">
          Save profile
        </button>
      </div>
    </form>
  );
}

const NOTIFY: Array<[keyof NotificationSettings, string]> = [
  ["liveAlerts", "When a channel I follow goes live"],
  ["followerAlerts", "When someone follows my channel"],
  ["email", "By email"],
  ["push", "As push notifications"],
];

export function PreferencesTab() {
  const me = useAsync((signal) => api("get /api/v1/me", { signal }), []);
  const [note, setNote] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  if (me.error) return <Notice kind="error">{describeError(me.error)}</Notice>;
  if (!me.data) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  const prefs = (me.data as PrivateProfile).preferences;

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const notifications = Object.fromEntries(
      NOTIFY.map(([k]) => [k, data.get(k) === "on"]),
    ) as unknown as NotificationSettings;
    try {
      const updated = await api("patch /api/v1/me/preferences", {
        body: { language: String(data.get("language") ?? "en"), notifications },
      });
      me.set(updated);
      setNote({ kind: "ok", text: "Preferences saved." });
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };

  return (
    <form class="panel form" onSubmit={submit}>
      <h2>Preferences</h2>
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      <Field id="language" label="Language">
        <select id="language" name="language" defaultValue={prefs.language}>
          {[
            ["en", "English"],
            ["de", "Deutsch"],
            ["es", "Español"],
            ["fr", "Français"],
            ["ja", "日本語"],
            ["pt-BR", "Português (Brasil)"],
          ].map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      <fieldset class="form" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend class="label">Notifications</legend>
        {NOTIFY.map(([key, label]) => (
          <label class="check" key={key}>
            <input type="checkbox" name={key} defaultChecked={prefs.notifications[key]} />
            {label}
          </label>
        ))}
      </fieldset>
      <div class="row end">
        <button class="btn primary" type="submit">
          Save preferences
        </button>
      </div>
    </form>
  );
}

export function FollowingTab() {
  const list = useCursorList(
    (cursor, signal) =>
      api("get /api/v1/me/following", { query: { limit: 50, ...(cursor ? { cursor } : {}) }, signal }),
    [],
  );
  const [error, setError] = useState<string | null>(null);
  const unfollow = async (channelId: string) => {
    try {
      await api("delete /api/v1/channels/{channelId}/follow", { path: { channelId } });
      list.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <div class="panel">
      <h2>Channels you follow</h2>
      {(error || list.error) && <Notice kind="error">{error ?? describeError(list.error)}</Notice>}
      {list.items?.length === 0 && <p class="muted">You don't follow any channel yet.</p>}
      <ul class="list">
        {list.items?.map(({ channel, followedAt }) => (
          <li key={channel.id}>
            <div>
              <a href={`/c/${encodeURIComponent(channel.slug)}`}>
                <strong>{channel.title}</strong>
              </a>{" "}
              {channel.isLive && <span class="status-tag live">live</span>}
              <div class="muted">
                {channel.slug} · followed {timeAgo(followedAt)}
              </div>
            </div>
            <button class="btn small" onClick={() => void unfollow(channel.id)}>
              Unfollow
            </button>
          </li>
        ))}
      </ul>
      <LoadMore list={list} />
    </div>
  );
}

export function BlocksTab() {
  const list = useCursorList(
    (cursor, signal) => api("get /api/v1/me/blocks", { query: { limit: 50, ...(cursor ? { cursor } : {}) }, signal }),
    [],
  );
  const [error, setError] = useState<string | null>(null);
  const unblock = async (userId: string) => {
    try {
      await api("delete /api/v1/me/blocks/{userId}", { path: { userId } });
      list.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <div class="panel">
      <h2>Blocked users</h2>
      <p class="muted">
        Blocked users cannot follow your channel or moderate it. Block someone from their name in chat.
      </p>
      {(error || list.error) && <Notice kind="error">{error ?? describeError(list.error)}</Notice>}
      {list.items?.length === 0 && <p class="muted">You haven't blocked anyone.</p>}
      <ul class="list">
        {list.items?.map(({ user, blockedAt }) => (
          <li key={user.id}>
            <div>
              <strong>{user.displayName}</strong> <span class="muted">@{user.username}</span>
              <div class="muted">blocked {timeAgo(blockedAt)}</div>
            </div>
            <button class="btn small" onClick={() => void unblock(user.id)}>
              Unblock
            </button>
          </li>
        ))}
      </ul>
      <LoadMore list={list} />
    </div>
  );
}

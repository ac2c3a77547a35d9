import { useState } from "preact/hooks";
import type { DeliveryChannel, NotificationPreferences } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { BrowserPushSwitch } from "../components/browser-push";
import { Notice } from "../components/form";
import { useAsync } from "../lib/use-async";

const COLUMNS: Array<{ channel: DeliveryChannel; label: string }> = [
  { channel: "inApp", label: "In Arena" },
  { channel: "mobile", label: "Phone push" },
  { channel: "web", label: "Browser push" },
];

/**
 * /notifications/settings: per type, where it may reach you (in Arena, phone
 * push, browser push; a type offers only the channels its catalog entry
 * allows), muted channels (their go-live, video and post alerts), browser
 * push on this device, push devices. Each switch saves at once.
 */
export default function NotificationSettings() {
  const signedIn = currentUser.value !== null;
  const prefs = useAsync(
    (signal) => (signedIn ? api("get /api/v1/me/notification-preferences", { signal }) : Promise.resolve(undefined)),
    [signedIn],
  );
  const devices = useAsync(
    (signal) => (signedIn ? api("get /api/v1/me/devices", { signal }) : Promise.resolve(undefined)),
    [signedIn],
  );
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState("");

  const save = async (fn: () => Promise<NotificationPreferences>, what: string) => {
    setError(undefined);
    setSaved("");
    try {
      prefs.set(await fn());
      setSaved(what);
    } catch (err) {
      setError(err);
    }
  };
  const toggle = (type: string, label: string, channel: DeliveryChannel, on: boolean) =>
    save(
      () => api("patch /api/v1/me/notification-preferences", { body: { types: { [type]: { [channel]: on } } } }),
      `${label}: ${COLUMNS.find((c) => c.channel === channel)?.label.toLowerCase()} ${on ? "on" : "off"}.`,
    );
  const unmute = (channelId: string) =>
    save(
      () => api("delete /api/v1/me/notification-preferences/muted-channels/{channelId}", { path: { channelId } }),
      "Channel unmuted.",
    );
  const removeDevice = async (id: string) => {
    setError(undefined);
    try {
      await api("delete /api/v1/me/devices/{id}", { path: { id } });
      devices.reload();
    } catch (err) {
      setError(err);
    }
  };

  if (!signedIn)
    return (
      <div class="empty">
        <h1>Notification settings</h1>
        <p>
          <a href="/login?next=/notifications/settings">Log in</a> to choose your notifications.
        </p>
      </div>
    );

  const p = prefs.data;
  return (
    <div class="page notification-settings">
      <div class="section-head">
        <h1>Notification settings</h1>
        <a class="btn ghost" href="/notifications">
          Back to notifications
        </a>
      </div>
      {error ? <Notice kind="error">{describeError(error)}</Notice> : null}
      <p class="sr-only" role="status">
        {saved}
      </p>
      {prefs.error ? <Notice kind="error">{describeError(prefs.error)}</Notice> : null}
      {p && (
        <table class="table prefs-table" data-testid="preferences">
          <caption class="sr-only">Where each kind of notification reaches you</caption>
          <thead>
            <tr>
              <th scope="col">Notification</th>
              {COLUMNS.map((c) => (
                <th scope="col" key={c.channel}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.types.map((t) => (
              <tr key={t.type}>
                <th scope="row">{t.label}</th>
                {COLUMNS.map((c) => (
                  <td key={c.channel}>
                    {t.channels.includes(c.channel) ? (
                      <input
                        type="checkbox"
                        class="switch"
                        id={`pref-${t.type}-${c.channel}`}
                        checked={t.settings[c.channel]}
                        aria-label={`${t.label}: ${c.label}`}
                        onChange={(e) => void toggle(t.type, t.label, c.channel, e.currentTarget.checked)}
                      />
                    ) : (
                      <span class="muted" aria-label="not available">
                        —
                      </span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section>
        <h2>Muted channels</h2>
        {p && p.mutedChannels.length === 0 && <p class="muted">None.</p>}
        <ul class="list">
          {p?.mutedChannels.map((id) => (
            <li key={id}>
              <MutedChannel id={id} />{" "}
              <button class="btn small" onClick={() => void unmute(id)}>
                Unmute
              </button>
            </li>
          ))}
        </ul>
      </section>
      <BrowserPushSwitch onChange={devices.reload} />
      <section>
        <h2>Push devices</h2>
        {devices.data && devices.data.items.length === 0 && (
          <p class="muted">No phone or browser is registered for push notifications.</p>
        )}
        <ul class="list">
          {devices.data?.items.map((d) => (
            <li key={d.id}>
              {d.label ?? (d.kind === "web" ? "Browser" : "Phone")} ({d.platform}) · added{" "}
              {new Date(d.createdAt).toLocaleDateString()}{" "}
              <button class="btn small ghost" onClick={() => void removeDevice(d.id)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function MutedChannel({ id }: { id: string }) {
  const channel = useAsync((signal) => api("get /api/v1/channels/{id}", { path: { id }, signal }), [id]);
  const c = channel.data;
  return c ? <a href={`/c/${encodeURIComponent(c.slug)}`}>{c.title}</a> : <span>{channel.error ? id : "…"}</span>;
}

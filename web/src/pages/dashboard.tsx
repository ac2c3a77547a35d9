import { useEffect, useState } from "preact/hooks";
import type { Channel } from "../api/schemas";
import { ApiError, api, describeError } from "../api/http";
import { currentUser, sessionChecked } from "../api/session";
import { Field, formValues, Notice } from "../components/form";
import { navigate, setTitle, type PageProps } from "../router";
import { ChannelSettings } from "./dashboard-channel";
import { ModeratorsTab } from "./dashboard-moderation";
import { ScheduleTab } from "./dashboard-schedule";
import { rememberStreamKey, StreamTab } from "./dashboard-stream";
import { VideosTab } from "./dashboard-videos";

const TABS = [
  { id: "stream", label: "Stream" },
  { id: "videos", label: "Videos" },
  { id: "schedule", label: "Schedule" },
  { id: "channel", label: "Channel" },
  { id: "moderation", label: "Moderation" },
] as const;

/** The creator's dashboard: create the channel, then stream, videos, settings and moderation tabs. */
export default function Dashboard({ params }: PageProps) {
  const user = currentUser.value;
  const [channel, setChannel] = useState<Channel | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const tab = TABS.find((t) => t.id === params.tab)?.id ?? "stream";

  useEffect(() => {
    if (sessionChecked.value && !user)
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
  }, [sessionChecked.value, user]);
  useEffect(() => setTitle("Creator dashboard"), []);
  useEffect(() => {
    if (!user) return;
    api("get /api/v1/channels", { query: { ownerId: user.id, limit: 1 } })
      .then((page) => setChannel(page.items[0] ?? null))
      .catch((err: unknown) => setError(describeError(err)));
  }, [user?.id]);

  if (error)
    return (
      <div class="page">
        <Notice kind="error">{error}</Notice>
      </div>
    );
  if (!user || channel === undefined) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  if (channel === null) return <CreateChannel onCreated={setChannel} />;

  return (
    <div class="page" style={{ maxWidth: "1100px" }}>
      <div class="section-head">
        <h1>Creator dashboard</h1>
        <a class="btn ghost" href={`/c/${encodeURIComponent(channel.slug)}`}>
          View channel ↗
        </a>
      </div>
      <nav class="tabs" aria-label="Dashboard sections">
        {TABS.map((t) => (
          <a key={t.id} href={`/dashboard/${t.id}`} aria-current={t.id === tab ? "page" : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      {tab === "stream" && <StreamTab channel={channel} />}
      {tab === "videos" && <VideosTab channel={channel} />}
      {tab === "schedule" && <ScheduleTab channel={channel} />}
      {tab === "channel" && <ChannelSettings channel={channel} onSaved={setChannel} />}
      {tab === "moderation" && <ModeratorsTab channel={channel} />}
    </div>
  );
}

function CreateChannel({ onCreated }: { onCreated(c: Channel): void }) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const v = formValues(e);
    setBusy(true);
    setErrors({});
    try {
      const created = await api("post /api/v1/channels", {
        body: {
          slug: v.slug ?? "",
          title: v.title ?? "",
          ...(v.category ? { category: v.category } : {}),
          ...(v.language ? { language: v.language } : {}),
        },
      });
      rememberStreamKey(created.channel.id, created.streamKey);
      onCreated(created.channel);
      navigate("/dashboard/stream", { replace: true });
    } catch (err) {
      setErrors(err instanceof ApiError ? { ...err.fieldErrors(), _: describeError(err) } : { _: describeError(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="page narrow">
      <form class="panel form" onSubmit={submit}>
        <h1>Create your channel</h1>
        <p class="muted">Your channel is where you go live, keep past broadcasts and upload videos.</p>
        {errors._ && <Notice kind="error">{errors._}</Notice>}
        <Field
          id="slug"
          label="Channel address"
          hint="arena/c/<address>: letters, digits and dashes."
          error={errors.slug}
        >
          <input id="slug" name="slug" required maxLength={64} pattern="[A-Za-z0-9-_]+" autoFocus />
        </Field>
        <Field id="title" label="Title" error={errors.title}>
          <input id="title" name="title" required maxLength={140} />
        </Field>
        <Field id="category" label="Game or category" error={errors.category}>
          <input id="category" name="category" maxLength={64} placeholder="e.g. Speedruns" />
        </Field>
        <Field id="language" label="Language" error={errors.language}>
          <select id="language" name="language" defaultValue="en">
            <option value="en">English</option>
            <option value="de">Deutsch</option>
            <option value="es">Español</option>
            <option value="fr">Français</option>
            <option value="ja">日本語</option>
          </select>
        </Field>
        <div class="row end">
          <button class="btn primary" type="submit" disabled={busy}>
            Create channel
          </button>
        </div>
      </form>
    </div>
  );
}

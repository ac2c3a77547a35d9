import { useEffect, useState } from "preact/hooks";
import type { Channel, ChannelLiveStatus, StreamHealth } from "../api/schemas";
import { api, describeError } from "../api/http";
import { copyText, Field, formValues, Notice } from "../components/form";
import { formatCount, formatDuration } from "../lib/format";
import { useInterval } from "../lib/use-async";

/**
 * Going live: ingest URL and key for OBS, live status and stream health.
 * The stream key exists in clear only in the response that created or
 * rotated it; the dashboard keeps it in memory for this visit (never stored).
 */
const keys = new Map<string, string>();
export function rememberStreamKey(channelId: string, key: string): void {
  keys.set(channelId, key);
}

export function StreamTab({ channel }: { channel: Channel }) {
  const [status, setStatus] = useState<ChannelLiveStatus | null>(null);
  const [health, setHealth] = useState<StreamHealth | null>(null);
  const [note, setNote] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  const poll = async () => {
    try {
      const s = await api("get /api/v1/streams/channels/{channelId}", { path: { channelId: channel.id } });
      setStatus(s);
      if (s.live)
        setHealth(await api("get /api/v1/streams/channels/{channelId}/health", { path: { channelId: channel.id } }));
    } catch {
      // transient: the next poll retries
    }
  };
  useEffect(() => void poll(), [channel.id]);
  useInterval(() => void poll(), 5000, [channel.id]);

  const end = async () => {
    if (!confirm("End the stream now? Your encoder may reconnect on its own; rotate the key to keep it off.")) return;
    try {
      await api("post /api/v1/streams/channels/{channelId}/end", { path: { channelId: channel.id } });
      setNote({ kind: "ok", text: "Stream ended." });
      void poll();
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  const retitle = async (e: Event) => {
    e.preventDefault();
    const v = formValues(e);
    try {
      await api("patch /api/v1/streams/channels/{channelId}", {
        path: { channelId: channel.id },
        body: { title: v.title, ...(v.category ? { category: v.category } : {}) },
      });
      setNote({ kind: "ok", text: "Stream info updated." });
      void poll();
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };

  const session = status?.session;
  const latest = health?.latest;
  return (
    <>
      <section class="panel" aria-labelledby="live-status">
        <div class="section-head">
          <h2 id="live-status">Live status</h2>
          <span class={`status-tag ${session?.status ?? ""}`} data-testid="live-status">
            {status === null ? "…" : status.live ? (session?.status ?? "live") : "offline"}
          </span>
        </div>
        {note && <Notice kind={note.kind}>{note.text}</Notice>}
        {status?.live && session ? (
          <>
            <div class="stats">
              <Stat k="Viewers" v={formatCount(session.viewerCount)} />
              <Stat k="Uptime" v={formatDuration((Date.now() - Date.parse(session.startedAt)) / 1000)} />
              <Stat k="Bitrate" v={latest ? `${Math.round(latest.bitrateKbps)} kb/s` : "—"} />
              <Stat k="Frame rate" v={latest ? `${latest.fps.toFixed(0)} fps` : "—"} />
              <Stat
                k="Keyframe interval"
                v={latest?.keyframeIntervalS ? `${latest.keyframeIntervalS.toFixed(1)} s` : "—"}
              />
              <Stat k="Resolution" v={latest?.width ? `${latest.width}×${latest.height}` : "—"} />
              <Stat k="Dropped frames" v={latest ? String(latest.droppedFrames) : "—"} />
            </div>
            {health?.warnings.map((w) => (
              <Notice key={w} kind="warn">
                {w}
              </Notice>
            ))}
            <form class="form" onSubmit={retitle} style={{ marginTop: "1rem" }}>
              <div class="row">
                <Field id="live-title" label="Stream title">
                  <input id="live-title" name="title" defaultValue={session.title} maxLength={140} required />
                </Field>
                <Field id="live-category" label="Category">
                  <input id="live-category" name="category" defaultValue={session.category ?? ""} maxLength={64} />
                </Field>
              </div>
              <div class="row end">
                <button class="btn danger" type="button" onClick={() => void end()}>
                  End stream
                </button>
                <button class="btn primary" type="submit">
                  Update stream info
                </button>
              </div>
            </form>
          </>
        ) : (
          <p class="muted">
            You're offline. Start streaming from your encoder with the settings below; this page updates by itself.
          </p>
        )}
      </section>
      <Ingest channel={channel} />
    </>
  );
}

function Stat({ k, v }: { k: string; v: string }) {
  return (
    <div class="stat">
      <div class="v">{v}</div>
      <div class="k">{k}</div>
    </div>
  );
}

function Ingest({ channel }: { channel: Channel }) {
  // Asking for the ingest endpoint provisions it (on AWS it starts a MediaLive input), so it is a click, not a page load.
  const [ingest, setIngest] = useState<{ url: string; streamName: string | null } | null>(null);
  const prepare = async () => {
    try {
      setIngest(await api("post /api/v1/streams/channels/{channelId}/ingest", { path: { channelId: channel.id } }));
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  const [key, setKey] = useState<string | undefined>(keys.get(channel.id));
  const [reveal, setReveal] = useState(false);
  const [note, setNote] = useState<{ kind: "ok" | "error" | "warn"; text: string } | null>(null);
  const streamName = ingest?.streamName ?? key;

  const rotate = async () => {
    if (!confirm("Rotate the stream key? The current key stops working at once and a live stream is dropped.")) return;
    try {
      const res = await api("post /api/v1/channels/{id}/stream-key", { path: { id: channel.id } });
      rememberStreamKey(channel.id, res.streamKey);
      setKey(res.streamKey);
      setReveal(true);
      setNote({ kind: "warn", text: "New key below. It is shown only now: copy it into your encoder." });
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  const copy = async (text: string, what: string) =>
    setNote((await copyText(text)) ? { kind: "ok", text: `${what} copied.` } : { kind: "error", text: "Copy failed." });

  return (
    <section class="panel" aria-labelledby="ingest-title">
      <h2 id="ingest-title">Encoder settings (OBS)</h2>
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      <div class="form">
        <Field id="ingest-url" label="Server">
          {ingest ? (
            <div class="copy-field">
              <input id="ingest-url" readOnly value={ingest.url} data-testid="ingest-url" />
              <button class="btn" type="button" onClick={() => void copy(ingest.url, "Server")}>
                Copy
              </button>
            </div>
          ) : (
            <div class="row">
              <button id="ingest-url" class="btn primary" type="button" onClick={() => void prepare()}>
                Get server address
              </button>
            </div>
          )}
        </Field>
        <Field
          id="stream-key"
          label="Stream key"
          hint={
            streamName
              ? "Keep it secret: anyone with it can stream to your channel."
              : "Shown once when created or rotated. Lost it? Rotate to get a new one."
          }
        >
          <div class="copy-field">
            <input
              id="stream-key"
              readOnly
              type={reveal ? "text" : "password"}
              value={streamName ?? "••••••••••••••••"}
              data-testid="stream-key"
            />
            {streamName && (
              <>
                <button class="btn" type="button" onClick={() => setReveal(!reveal)} aria-pressed={reveal}>
                  {reveal ? "Hide" : "Reveal"}
                </button>
                <button class="btn" type="button" onClick={() => void copy(streamName, "Stream key")}>
                  Copy
                </button>
              </>
            )}
            <button class="btn danger" type="button" onClick={() => void rotate()}>
              Rotate
            </button>
          </div>
        </Field>
      </div>
      <h3 style={{ marginTop: "1.25rem" }}>Recommended output</h3>
      <dl class="kv">
        <dt>Service</dt>
        <dd>Custom…</dd>
        <dt>Encoder</dt>
        <dd>x264 or hardware H.264, rate control CBR</dd>
        <dt>Bitrate</dt>
        <dd>6000 kb/s at 1080p60, 4500 kb/s at 720p60, 2500 kb/s at 720p30</dd>
        <dt>Keyframe interval</dt>
        <dd>2 s (the player's segments are 2 s; longer intervals add delay)</dd>
        <dt>Audio</dt>
        <dd>AAC, 160 kb/s, 48 kHz</dd>
      </dl>
    </section>
  );
}

import { useRef, useState } from "preact/hooks";
import type { Channel, Video } from "../api/schemas";
import { api, describeError } from "../api/http";
import { Field, formValues, Notice } from "../components/form";
import { formatBytes, formatDuration, timeAgo } from "../lib/format";
import { uploadSource } from "../lib/upload";
import { useInterval } from "../lib/use-async";
import { useCursorList } from "../lib/use-cursor-list";
import { LoadMore } from "../components/load-more";

/** The most ids GET /me/videos takes in one call (services/media/videos/videos.params.ts). */
const POLL_BATCH_MAX = 50;

/** Upload with progress, then watch processing; the channel's videos with retry and delete. */
export function VideosTab({ channel }: { channel: Channel }) {
  // The owner's listing: drafts, processing and private videos too, newest first.
  const videos = useCursorList(
    (cursor, signal) =>
      api("get /api/v1/videos", {
        query: { channelId: channel.id, sort: "newest", limit: 50, ...(cursor ? { cursor } : {}) },
        signal,
      }),
    [channel.id],
  );
  // Videos being processed are polled and shown in place: reloading the list would collapse the
  // pages a "Load more" appended. The newer copy (updatedAt) wins over the list's.
  const [fresh, setFresh] = useState<ReadonlyMap<string, Video>>(new Map());
  const newer = (v: Video) => {
    const polled = fresh.get(v.id);
    return polled && polled.updatedAt > v.updatedAt ? polled : v;
  };
  // A row's own retry or delete changes that row only: reloading would fold the appended pages too.
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const items = videos.items?.filter((v) => !removed.has(v.id)).map(newer);
  const changed = (v: Video) => setFresh((m) => new Map(m).set(v.id, v));
  const gone = (id: string) => setRemoved((s) => new Set(s).add(id));
  // One request per poll for every processing row (at most a server's batch; the newest rows first),
  // none once nothing is processing. A row the answer leaves out (deleted meanwhile) keeps its copy.
  const processing = (items ?? [])
    .filter((v) => v.status === "processing")
    .map((v) => v.id)
    .slice(0, POLL_BATCH_MAX);
  useInterval(
    () => {
      if (processing.length === 0) return;
      api("get /api/v1/me/videos", { query: { ids: processing.join(",") } })
        .then(({ items: polled }) =>
          setFresh((m) => {
            const next = new Map(m);
            for (const v of polled) next.set(v.id, v);
            return next;
          }),
        )
        .catch(() => undefined);
    },
    4000,
    [processing.join(",")],
  );

  return (
    <>
      <UploadForm channel={channel} onChange={videos.reload} />
      <section class="panel" aria-labelledby="my-videos">
        <h2 id="my-videos">Your videos</h2>
        {videos.error && <Notice kind="error">{describeError(videos.error)}</Notice>}
        {items?.length === 0 && <p class="muted">No videos yet. Past broadcasts appear here when a stream ends.</p>}
        <ul class="list" data-testid="my-videos">
          {items?.map((v) => (
            <VideoRow key={v.id} video={v} onChanged={changed} onRemoved={gone} />
          ))}
        </ul>
        <LoadMore list={videos} />
      </section>
    </>
  );
}

function VideoRow({
  video: v,
  onChanged,
  onRemoved,
}: {
  video: Video;
  onChanged(video: Video): void;
  onRemoved(id: string): void;
}) {
  const [error, setError] = useState<string | null>(null);
  const run = async (what: () => Promise<void>) => {
    try {
      await what();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <li>
      <div style={{ minWidth: 0 }}>
        <a href={`/v/${encodeURIComponent(v.id)}`}>
          <strong>{v.title}</strong>
        </a>{" "}
        <span class={`status-tag ${v.status}`}>{v.status.replace("_", " ")}</span>{" "}
        {v.visibility !== "public" && <span class="status-tag">{v.visibility}</span>}
        <div class="muted">
          {v.origin === "recording" ? "Past broadcast" : "Upload"} · {timeAgo(v.createdAt)}
          {v.durationS ? ` · ${formatDuration(v.durationS)}` : ""} · {v.viewCount} views
        </div>
        {v.status === "failed" && v.failureReason && <div class="error-text">{v.failureReason}</div>}
        {error && (
          <div class="error-text" role="alert">
            {error}
          </div>
        )}
      </div>
      <div class="row">
        {v.status === "failed" && (
          <button
            class="btn small"
            onClick={() =>
              void run(async () => onChanged(await api("post /api/v1/videos/{id}/retry", { path: { id: v.id } })))
            }
          >
            Retry
          </button>
        )}
        <button
          class="btn small danger"
          onClick={() =>
            confirm(`Delete “${v.title}”? This cannot be undone.`) &&
            void run(async () => {
              await api("delete /api/v1/videos/{id}", { path: { id: v.id } });
              onRemoved(v.id);
            })
          }
        >
          Delete
        </button>
      </div>
    </li>
  );
}

function UploadForm({ channel, onChange }: { channel: Channel; onChange(): void }) {
  const [progress, setProgress] = useState<number | null>(null);
  const [note, setNote] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const abort = useRef<AbortController | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const v = formValues(e);
    if (!file) return;
    setNote(null);
    setProgress(0);
    abort.current = new AbortController();
    try {
      const video = await api("post /api/v1/videos", {
        body: {
          channelId: channel.id,
          title: v.title ?? file.name,
          description: v.description ?? "",
          visibility: (v.visibility as Video["visibility"]) ?? "public",
          ...(v.category ? { category: v.category } : {}),
        },
      });
      onChange();
      await uploadSource(video, file, setProgress, abort.current.signal);
      setNote({ kind: "ok", text: "Uploaded. Processing has started; the list below updates by itself." });
      form.reset();
      setFile(null);
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    } finally {
      setProgress(null);
      abort.current = null;
      onChange();
    }
  };

  return (
    <form class="panel form" onSubmit={submit} aria-labelledby="upload-title">
      <h2 id="upload-title">Upload a video</h2>
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      <Field
        id="upload-file"
        label="Video file"
        hint={file ? `${file.name} · ${formatBytes(file.size)}` : "MP4, MOV, MKV or WebM."}
      >
        <input
          id="upload-file"
          type="file"
          accept="video/*"
          required
          onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
        />
      </Field>
      <Field id="upload-title-input" label="Title">
        <input
          id="upload-title-input"
          name="title"
          required
          maxLength={200}
          defaultValue={file?.name.replace(/\.[^.]+$/, "") ?? ""}
          key={file?.name}
        />
      </Field>
      <Field id="upload-description" label="Description">
        <textarea id="upload-description" name="description" maxLength={5000} />
      </Field>
      <div class="row">
        <Field id="upload-category" label="Category">
          <input id="upload-category" name="category" maxLength={64} defaultValue={channel.category ?? ""} />
        </Field>
        <Field id="upload-visibility" label="Visibility">
          <select id="upload-visibility" name="visibility" defaultValue="public">
            <option value="public">Public</option>
            <option value="unlisted">Unlisted</option>
            <option value="private">Private</option>
          </select>
        </Field>
      </div>
      {progress !== null && (
        <div>
          <progress max={1} value={progress} aria-label="Upload progress" />
          <span class="muted">{Math.round(progress * 100)} %</span>
        </div>
      )}
      <div class="row end">
        {progress !== null && (
          <button type="button" class="btn ghost" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        )}
        <button class="btn primary" type="submit" disabled={progress !== null || !file}>
          Upload
        </button>
      </div>
    </form>
  );
}

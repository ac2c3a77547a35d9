import type Hls from "hls.js/light";
// hls.js demuxes and remuxes segments in this worker (an ES build cannot start its own); served as a hashed asset.
import hlsWorkerUrl from "hls.js/dist/hls.worker.js?url";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatDuration } from "../lib/format";
import { Icon } from "./icons";

/**
 * HLS player: hls.js (loaded on first use, never on the home page) where
 * Media Source Extensions exist, the browser's own HLS otherwise (Safari).
 * Quality from the ladder (Auto or a fixed rendition), keyboard control on
 * the focused player (Space/K play, M mute, F fullscreen, ←/→ seek or
 * volume, L back to live edge), autoplay falling back to muted when the
 * browser refuses sound. A 403 on a playlist means the signed URL expired:
 * `onExpired` fetches a fresh one.
 */
export interface PlayerProps {
  src: string;
  live: boolean;
  title: string;
  poster?: string | undefined;
  onExpired?: () => void;
  /** Jump here (seconds); a new object for each request, so the same time can be asked twice. */
  seek?: { toS: number } | undefined;
}

interface Quality {
  index: number;
  label: string;
}

let hlsModule: Promise<typeof import("hls.js/light")> | undefined;
const loadHls = () => (hlsModule ??= import("hls.js/light"));
/** Starts fetching hls.js while a page still loads its data, so the player does not wait for it afterwards. */
export function preloadPlayer(): void {
  void loadHls().catch(() => undefined);
}

export function Player({ src, live, title, poster, onExpired, seek }: PlayerProps) {
  const box = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const hlsRef = useRef<Hls | null>(null);
  const [paused, setPaused] = useState(true);
  const [muted, setMuted] = useState(false);
  const [volume, setVolume] = useState(1);
  const [qualities, setQualities] = useState<Quality[]>([]);
  const [quality, setQuality] = useState(-1);
  const [time, setTime] = useState({ current: 0, duration: 0 });
  const [message, setMessage] = useState<string | null>("Loading…");
  const expired = useRef(onExpired);
  expired.current = onExpired;

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    let disposed = false;
    setMessage("Loading…");
    setQualities([]);
    markFirstFrame(el);

    const start = () => {
      el.play().catch(() => {
        // Autoplay with sound refused: start muted, the viewer can unmute.
        el.muted = true;
        setMuted(true);
        el.play().catch(() => setMessage(null));
      });
    };

    void (async () => {
      const { default: HlsCtor } = await loadHls();
      if (disposed) return;
      if (HlsCtor.isSupported()) {
        const hls = new HlsCtor({
          lowLatencyMode: false,
          liveSyncDurationCount: 3,
          backBufferLength: live ? 30 : 90,
          enableWorker: true,
          workerPath: hlsWorkerUrl,
        });
        hlsRef.current = hls;
        let networkRetries = 0;
        hls.on(HlsCtor.Events.MANIFEST_PARSED, (_e, data) => {
          setQualities(
            data.levels
              .map((l, index) => ({ index, label: l.height ? `${l.height}p` : `${Math.round(l.bitrate / 1000)} kb/s` }))
              .sort((a, b) => parseInt(b.label, 10) - parseInt(a.label, 10)),
          );
          start();
        });
        hls.on(HlsCtor.Events.FRAG_BUFFERED, () => {
          networkRetries = 0;
        });
        hls.on(HlsCtor.Events.ERROR, (_e, data) => {
          if (!data.fatal) return;
          const code = data.response?.code;
          if (code === 403 && expired.current) {
            setMessage("Refreshing the stream…");
            expired.current();
            return;
          }
          if (data.type === HlsCtor.ErrorTypes.MEDIA_ERROR) {
            hls.recoverMediaError();
            return;
          }
          if (data.type === HlsCtor.ErrorTypes.NETWORK_ERROR && networkRetries < 8) {
            networkRetries++;
            setMessage(live ? "Reconnecting to the stream…" : "Network problem, retrying…");
            setTimeout(() => !disposed && hls.startLoad(), Math.min(8000, 500 * 2 ** networkRetries));
            return;
          }
          setMessage(live ? "The stream is not available right now." : "This video cannot be played right now.");
        });
        hls.loadSource(src);
        hls.attachMedia(el);
      } else if (el.canPlayType("application/vnd.apple.mpegurl")) {
        el.src = src;
        el.addEventListener("loadedmetadata", start, { once: true });
      } else {
        setMessage("Your browser cannot play HLS video.");
      }
    })().catch(() => setMessage("The player could not load. Check your connection."));

    return () => {
      disposed = true;
      hlsRef.current?.destroy();
      hlsRef.current = null;
      el.removeAttribute("src");
      el.load();
    };
  }, [src, live]);

  useEffect(() => {
    const el = video.current;
    if (!el || !seek) return;
    el.currentTime = seek.toS;
    void el.play().catch(() => undefined);
    box.current?.focus();
  }, [seek]);

  const toggle = () => {
    const el = video.current;
    if (!el) return;
    if (el.paused) void el.play().catch(() => undefined);
    else el.pause();
  };
  const toggleMute = () => {
    const el = video.current;
    if (!el) return;
    el.muted = !el.muted;
    setMuted(el.muted);
  };
  const fullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void box.current?.requestFullscreen?.();
  };
  const seekBy = (s: number) => {
    const el = video.current;
    if (el && Number.isFinite(el.duration)) el.currentTime = Math.max(0, Math.min(el.duration, el.currentTime + s));
  };
  const changeVolume = (v: number) => {
    const el = video.current;
    if (!el) return;
    el.volume = Math.max(0, Math.min(1, v));
    el.muted = el.volume === 0;
    setVolume(el.volume);
    setMuted(el.muted);
  };
  const goLive = () => {
    const el = video.current;
    const edge = hlsRef.current?.liveSyncPosition;
    if (el && edge) el.currentTime = edge;
  };
  const pickQuality = (index: number) => {
    setQuality(index);
    if (hlsRef.current) hlsRef.current.currentLevel = index;
  };

  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).closest("select, input")) return;
    const keys: Record<string, () => void> = {
      " ": toggle,
      k: toggle,
      m: toggleMute,
      f: fullscreen,
      l: goLive,
      ArrowLeft: () => (live ? changeVolume(volume - 0.1) : seekBy(-5)),
      ArrowRight: () => (live ? changeVolume(volume + 0.1) : seekBy(5)),
      ArrowUp: () => changeVolume(volume + 0.1),
      ArrowDown: () => changeVolume(volume - 0.1),
    };
    const action = keys[e.key];
    if (!action || ((e.target as HTMLElement).tagName === "BUTTON" && (e.key === " " || e.key === "Enter"))) return;
    e.preventDefault();
    action();
  };

  return (
    <div
      ref={box}
      class={`player${paused ? " paused" : ""}`}
      tabIndex={0}
      role="region"
      aria-label={`${live ? "Live stream" : "Video"} player: ${title}. Space to play or pause, M to mute, F for full screen.`}
      onKeyDown={onKey}
    >
      <video
        ref={video}
        data-testid="player-video"
        playsInline
        poster={poster}
        preload="auto"
        onClick={toggle}
        onPlay={() => setPaused(false)}
        onPause={() => setPaused(true)}
        onPlaying={() => setMessage(null)}
        onWaiting={() => live && setMessage(null)}
        onVolumeChange={(e) => setMuted((e.currentTarget as HTMLVideoElement).muted)}
        onTimeUpdate={(e) => {
          const el = e.currentTarget as HTMLVideoElement;
          setTime({ current: el.currentTime, duration: el.duration });
        }}
      />
      {message && (
        <div class="player-msg" role="status">
          {message}
        </div>
      )}
      <div class="player-bar">
        <button type="button" onClick={toggle} aria-label={paused ? "Play" : "Pause"}>
          <Icon name={paused ? "play" : "pause"} />
        </button>
        <button type="button" onClick={toggleMute} aria-label={muted ? "Unmute" : "Mute"} aria-pressed={muted}>
          <Icon name={muted ? "muted" : "volume"} />
        </button>
        <input
          type="range"
          min="0"
          max="1"
          step="0.05"
          value={muted ? 0 : volume}
          aria-label="Volume"
          onInput={(e) => changeVolume(Number((e.currentTarget as HTMLInputElement).value))}
        />
        {live ? (
          <>
            <button type="button" onClick={goLive} aria-label="Jump to the live edge">
              <span class="live-badge">LIVE</span>
            </button>
            <span class="grow" />
          </>
        ) : (
          <>
            <span class="time">{formatDuration(time.current)}</span>
            <input
              class="seek"
              type="range"
              min="0"
              max={Number.isFinite(time.duration) ? time.duration : 0}
              step="0.1"
              value={time.current}
              aria-label="Seek"
              aria-valuetext={`${formatDuration(time.current)} of ${formatDuration(time.duration)}`}
              onInput={(e) => {
                const el = video.current;
                if (el) el.currentTime = Number((e.currentTarget as HTMLInputElement).value);
              }}
            />
            <span class="time">{formatDuration(time.duration)}</span>
          </>
        )}
        {qualities.length > 1 && (
          <select
            aria-label="Quality"
            value={String(quality)}
            onChange={(e) => pickQuality(Number((e.currentTarget as HTMLSelectElement).value))}
          >
            <option value="-1">Auto</option>
            {qualities.map((q) => (
              <option key={q.index} value={String(q.index)}>
                {q.label}
              </option>
            ))}
          </select>
        )}
        <button type="button" onClick={fullscreen} aria-label="Full screen">
          <Icon name="fullscreen" />
        </button>
      </div>
    </div>
  );
}

/** Records when the first frame is decoded (performance mark "arena:first-frame"), for the web benchmark. */
function markFirstFrame(el: HTMLVideoElement): void {
  const mark = () => {
    if (performance.getEntriesByName("arena:first-frame").length === 0) performance.mark("arena:first-frame");
  };
  const rvfc = (el as HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number })
    .requestVideoFrameCallback;
  if (rvfc) rvfc.call(el, mark);
  else el.addEventListener("loadeddata", mark, { once: true });
}

import { runFfmpegToEnd } from "./ffmpeg-process";

/**
 * Whether ffmpeg runs, found when it is needed rather than once at boot: an
 * operator who installs ffmpeg after starting the node needs no restart, and
 * one slow or failed check (a cold first boot) is not final. A positive
 * answer is kept; a negative one only for `retryMs`, then looked up again.
 * Concurrent callers share one lookup.
 */
export class FfmpegLookup {
  private found = false;
  private missingUntil = 0;
  private pending: Promise<boolean> | undefined;
  /** The last answer reported through onChange. */
  private reported: boolean | undefined;

  constructor(
    readonly ffmpegPath: string,
    private readonly options: {
      retryMs?: number;
      /** Called when ffmpeg goes from found (or unknown) to missing, and back: one line per change. */
      onChange?: (available: boolean) => void;
    } = {},
  ) {}

  async available(now = Date.now()): Promise<boolean> {
    if (this.found) return true;
    if (now < this.missingUntil) return false;
    this.pending ??= runFfmpegToEnd(this.ffmpegPath, ["-hide_banner", "-version"])
      .then(
        () => true,
        () => false,
      )
      .then((ok) => {
        this.pending = undefined;
        this.found = ok;
        if (!ok) this.missingUntil = Date.now() + (this.options.retryMs ?? 5000);
        if (ok !== this.reported) this.options.onChange?.(ok);
        this.reported = ok;
        return ok;
      });
    return this.pending;
  }

  /** A spawn just failed with ENOENT: ffmpeg was removed; look it up again next time. */
  forget(): void {
    this.found = false;
    this.missingUntil = 0;
  }
}

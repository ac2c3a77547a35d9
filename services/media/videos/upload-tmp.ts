import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * Uploads are received into `<dataDir>/upload-tmp` and removed on every
 * outcome, but a node killed mid-upload leaves its file behind (up to the
 * upload limit, 2 GB by default). Files older than any upload may take
 * (the upload actions time out after an hour) are removed at start and at
 * each worker sweep; the margin keeps a shared volume's live uploads safe.
 */
export const STALE_UPLOAD_MS = 2 * 60 * 60_000;

/** Removes `upload-*` temporary files not written to for `olderThanMs`; returns how many. */
export async function pruneStaleUploads(dir: string, olderThanMs = STALE_UPLOAD_MS, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith("upload-")) continue;
    const file = join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile() || now - info.mtimeMs < olderThanMs) continue;
    await rm(file, { force: true });
    removed += 1;
  }
  return removed;
}

/**
 * A node killed mid-upload leaves its temporary file in
 * `<dataDir>/upload-tmp`; the next start (and the worker's sweep) removes
 * files older than any upload may take, and leaves recent ones alone.
 */
import { mkdirSync, utimesSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createTempDir, type TempDir } from "../../../helpers/infra";
import { pruneStaleUploads, STALE_UPLOAD_MS } from "../../../../services/media/videos/upload-tmp";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let work: TempDir;
let h: VideosHarness | undefined;

beforeEach(() => {
  work = createTempDir("arena-uptmp-");
});

afterEach(async () => {
  await h?.stop();
  h = undefined;
  work.remove();
});

function tmpFile(dir: string, name: string, ageMs: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, Buffer.alloc(1024));
  const at = new Date(Date.now() - ageMs);
  utimesSync(file, at, at);
  return file;
}

describe("temporary upload files", () => {
  it("a restarted videos node removes what a killed upload left, not uploads in progress", async () => {
    const dir = join(work.path, "upload-tmp");
    const stale = tmpFile(dir, "upload-0123456789abcdef", STALE_UPLOAD_MS + 60_000);
    const live = tmpFile(dir, "upload-fedcba9876543210", 5 * 60_000);
    const unrelated = tmpFile(dir, "keep-me", STALE_UPLOAD_MS * 10);
    h = await startVideos({ env: { DATA_DIR: work.path }, withCore: false, videoSettings: { processJobs: false } });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });

  it("prunes by age and tolerates a missing folder", async () => {
    const dir = join(work.path, "upload-tmp");
    expect(await pruneStaleUploads(dir)).toBe(0);
    tmpFile(dir, "upload-aa", 10_000);
    tmpFile(dir, "upload-bb", 1_000);
    expect(await pruneStaleUploads(dir, 5_000)).toBe(1);
    expect(existsSync(join(dir, "upload-bb"))).toBe(true);
  });
});

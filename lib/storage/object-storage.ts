import type { Readable } from "node:stream";

/**
 * Where media objects live. Keys are relative to the media root
 * (`vod/<videoId>/master.m3u8`, `uploads/<videoId>/source.mp4`), so the same
 * key names a file under `${dataDir}/media` locally and an object in the
 * bucket on S3, and the delivery path `/media/<key>` maps onto both.
 */
export interface ObjectStorage {
  readonly driver: "local" | "s3";
  /** Stores a whole object; the body is consumed. Returns its size in bytes. */
  put(key: string, body: Buffer | Readable, opts?: { contentType?: string }): Promise<{ size: number }>;
  /** Copies a local file in, streaming (large sources never sit in memory). */
  putFile(key: string, filePath: string, opts?: { contentType?: string }): Promise<{ size: number }>;
  /** Copies every file under a local folder to `<prefix><relative path>`; returns the keys written. */
  putDirectory(prefix: string, dirPath: string): Promise<string[]>;
  /** Streams an object; throws ObjectNotFoundError when absent. */
  get(key: string): Promise<Readable>;
  /** Streams an object into a local file (ffmpeg reads local files). */
  getToFile(key: string, filePath: string): Promise<void>;
  /** Size of an object, or undefined when absent. */
  head(key: string): Promise<{ size: number } | undefined>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes one object; absent objects are not an error (deletes are retried). */
  delete(key: string): Promise<void>;
  /** Removes everything under a prefix; returns how many objects went. */
  deletePrefix(prefix: string): Promise<number>;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Object ${key} not found`);
    this.name = "ObjectNotFoundError";
  }
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/;

/**
 * Keys come from our own code, but some parts (ids, file names in a
 * recording event) cross service boundaries: refuse anything that could walk
 * out of the media root or be read differently by the two drivers.
 */
export function assertSafeKey(key: string, allowPrefix = false): string {
  const ok = SAFE_KEY.test(key) && !key.split("/").some((part) => part === ".." || part === ".") && !key.includes("//");
  if (!ok || (!allowPrefix && key.endsWith("/"))) throw new Error(`Unsafe storage key: ${JSON.stringify(key)}`);
  return key;
}

/** Content types for the files the pipeline writes, so S3 serves them right. */
export function contentTypeFor(key: string): string {
  const ext = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
  const types: Record<string, string> = {
    m3u8: "application/vnd.apple.mpegurl",
    ts: "video/mp2t",
    m4s: "video/iso.segment",
    mp4: "video/mp4",
    webm: "video/webm",
    mkv: "video/x-matroska",
    mov: "video/quicktime",
    flv: "video/x-flv",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    png: "image/png",
    json: "application/json",
  };
  return types[ext] ?? "application/octet-stream";
}

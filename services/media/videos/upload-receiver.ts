import busboy from "busboy";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "../../../lib/errors";
import { probeMedia, type MediaProbe } from "../../../lib/transcoding";
import { formatByteSize } from "./upload-limits";
import { declaredType, isAcceptedDeclaredType, sniffVideo, SNIFF_BYTES, type SniffResult } from "./upload-sniff";

export interface ReceivedUpload {
  /** Temporary file; the caller moves it to storage and removes it. */
  filePath: string;
  size: number;
  sniff: SniffResult;
  probe: MediaProbe;
}

export interface ReceiveOptions {
  contentType?: string;
  contentLength?: number;
  maxBytes: number;
  tmpDir: string;
  ffprobePath: string;
}

class TooLarge extends Error {}

/** Counts bytes, keeps the head for sniffing, and stops the upload the moment it passes the limit. */
class Meter extends Transform {
  bytes = 0;
  head = Buffer.alloc(0);
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return done(new TooLarge());
    if (this.head.length < SNIFF_BYTES)
      this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
    done(null, chunk);
  }
}

/**
 * Takes an upload body (raw video bytes, or multipart/form-data with one file
 * part) into a temporary file, enforcing: declared type, size limit while
 * streaming, declared length (a shorter body is a truncated upload), content
 * sniffing, and a full ffprobe parse (a truncated MP4 has no index and fails
 * here). On any refusal the temporary file is gone and a typed 4xx is thrown:
 * nothing reaches storage.
 */
export async function receiveUpload(body: Readable, opts: ReceiveOptions): Promise<ReceivedUpload> {
  const limit = formatByteSize(opts.maxBytes);
  const type = declaredType(opts.contentType);
  if (opts.contentLength !== undefined && opts.contentLength > opts.maxBytes) {
    drain(body);
    throw new PayloadTooLargeError(limit);
  }
  const multipart = type === "multipart/form-data";
  if (!multipart && !isAcceptedDeclaredType(type)) {
    drain(body);
    throw new UnsupportedMediaTypeError(`Content-Type ${type} is not a video type we accept`);
  }

  await mkdir(opts.tmpDir, { recursive: true });
  const filePath = join(opts.tmpDir, `upload-${randomBytes(8).toString("hex")}`);
  const meter = new Meter(opts.maxBytes);
  try {
    try {
      if (multipart) await receiveMultipart(body, opts, meter, filePath);
      else await meterInto(body, meter, filePath);
    } catch (err) {
      if (err instanceof TooLarge) throw new PayloadTooLargeError(limit);
      if (err instanceof UnsupportedMediaTypeError || err instanceof ValidationError) throw err;
      throw new ValidationError(`The upload was interrupted: ${(err as Error).message}`);
    }
    // A multipart body's own length includes boundaries, so only raw bodies are compared.
    if (!multipart && opts.contentLength !== undefined && meter.bytes !== opts.contentLength) {
      throw new ValidationError(`The upload is truncated: received ${meter.bytes} of ${opts.contentLength} bytes`);
    }
    if (meter.bytes === 0) throw new ValidationError("The upload is empty");
    const sniff = sniffVideo(meter.head);
    if (!sniff)
      throw new UnsupportedMediaTypeError(
        "The file is not a video in a supported format (MP4, MOV, WebM, MKV, FLV, MPEG-TS, AVI)",
      );
    let probe: MediaProbe;
    try {
      probe = await probeMedia(filePath, opts.ffprobePath);
    } catch {
      throw new ValidationError("The video is truncated or corrupt and cannot be read");
    }
    if (!probe.hasVideo) throw new UnsupportedMediaTypeError("The file has no video stream");
    if (!(probe.durationS > 0)) throw new ValidationError("The video is truncated or corrupt: it has no duration");
    return { filePath, size: meter.bytes, sniff, probe };
  } catch (err) {
    await rm(filePath, { force: true });
    throw err;
  }
}

/** Past this many bytes after a refusal we stop draining and let the connection die. */
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

/**
 * Reads and discards the rest of a refused body rather than destroying it:
 * destroying the request would kill the socket before the 4xx is written.
 * Past the cap the client is just cut off.
 */
export function drain(source: Readable): void {
  if (source.readableEnded || source.destroyed) return;
  let drained = 0;
  source.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_CAP_BYTES) source.destroy();
  });
  source.resume();
}

/**
 * Copies source → meter → file. Unlike pipeline(), a refusal does not
 * destroy the source: destroying the request would kill the socket before
 * the 4xx is written, so the rest of the body is drained (up to a cap).
 */
function meterInto(source: Readable, meter: Meter, filePath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(filePath);
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      source.unpipe(meter);
      out.destroy();
      drain(source);
      reject(err);
    };
    source.on("error", fail);
    meter.on("error", fail);
    out.on("error", fail);
    out.on("finish", () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    source.pipe(meter).pipe(out);
  });
}

/** The first file part of a multipart body through the meter into the file; other fields are ignored. */
function receiveMultipart(body: Readable, opts: ReceiveOptions, meter: Meter, filePath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": opts.contentType ?? "" },
        limits: { files: 1, fileSize: opts.maxBytes + 1 },
      });
    } catch (err) {
      reject(new ValidationError(`Bad multipart body: ${(err as Error).message}`));
      return;
    }
    let saving: Promise<void> | undefined;
    parser.on("file", (_field, file, info) => {
      const partType = declaredType(info.mimeType);
      if (saving || !isAcceptedDeclaredType(partType)) {
        file.resume();
        if (!saving)
          saving = Promise.reject(new UnsupportedMediaTypeError(`File type ${partType} is not a video type we accept`));
      } else {
        saving = meterInto(file, meter, filePath);
      }
      // Settled when the parser closes; until then a rejection is not "unhandled".
      saving.catch(() => undefined);
    });
    parser.on("error", (err: Error) => reject(new ValidationError(`Bad multipart body: ${err.message}`)));
    parser.on("close", () => {
      if (!saving) return reject(new ValidationError("The multipart body has no file part"));
      saving.then(resolve, reject);
    });
    body.on("error", reject);
    body.pipe(parser);
  });
}

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { putDirectoryFiles, writeBodyToFile } from "./file-transfer";
import { assertSafeKey, contentTypeFor, ObjectNotFoundError, type ObjectStorage } from "./object-storage";
import { presignS3Put, presignS3Request } from "./s3-presign";

export interface S3StorageOptions {
  bucket: string;
  region?: string;
  /** S3-compatible endpoint (MinIO, s3rver); unset talks to AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Objects in one bucket; CloudFront (production) serves them to players. */
export class S3Storage implements ObjectStorage {
  readonly driver = "s3" as const;
  readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    const config: S3ClientConfig = { region: options.region ?? "us-east-1", credentials: options.credentials };
    if (options.endpoint) {
      // S3-compatible servers want path-style addressing and do not all
      // understand the SDK's default flexible checksums (aws-chunked bodies).
      Object.assign(config, {
        endpoint: options.endpoint,
        forcePathStyle: true,
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      });
    }
    this.client = new S3Client(config);
  }

  get bucket(): string {
    return this.options.bucket;
  }

  async put(key: string, body: Buffer | Readable, opts: { contentType?: string } = {}): Promise<{ size: number }> {
    // PutObject needs a length; in-memory bodies are small (manifests, thumbnails).
    const bytes = Buffer.isBuffer(body) ? body : await collect(body);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: assertSafeKey(key),
        Body: bytes,
        ContentLength: bytes.length,
        ContentType: opts.contentType ?? contentTypeFor(key),
      }),
    );
    return { size: bytes.length };
  }

  async putFile(key: string, filePath: string, opts: { contentType?: string } = {}): Promise<{ size: number }> {
    const { size } = await stat(filePath);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: assertSafeKey(key),
        Body: createReadStream(filePath),
        ContentLength: size,
        ContentType: opts.contentType ?? contentTypeFor(key),
      }),
    );
    return { size };
  }

  async putDirectory(prefix: string, dirPath: string): Promise<string[]> {
    return putDirectoryFiles((key, file) => this.putFile(key, file), prefix, dirPath);
  }

  async get(key: string): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) }));
      return out.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(key);
      throw err;
    }
  }

  async getToFile(key: string, filePath: string): Promise<void> {
    await writeBodyToFile(await this.get(key), filePath);
  }

  async head(key: string): Promise<{ size: number } | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) }));
      return { size: out.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) }));
  }

  async deletePrefix(prefix: string): Promise<number> {
    // One DeleteObject per key: DeleteObjects needs Content-MD5, which not every
    // S3-compatible server accepts from the current SDK, and VOD trees are small.
    const keys = await this.list(prefix);
    for (const key of keys) await this.delete(key);
    return keys.length;
  }

  /**
   * Multipart upload for large sources: the client PUTs each part to its own
   * presigned URL, keeps each part's ETag, and we complete with them.
   */
  async startMultipart(key: string, contentType: string): Promise<string> {
    const out = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: assertSafeKey(key), ContentType: contentType }),
    );
    if (!out.UploadId) throw new Error("S3 returned no UploadId");
    return out.UploadId;
  }

  presignPart(key: string, uploadId: string, partNumber: number, expiresInS: number): Promise<string> {
    return presignS3Request(this.client, {
      method: "PUT",
      bucket: this.bucket,
      key: assertSafeKey(key),
      query: { partNumber: String(partNumber), uploadId },
      expiresInS,
    });
  }

  async completeMultipart(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void> {
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: assertSafeKey(key),
        UploadId: uploadId,
        MultipartUpload: {
          Parts: sorted.map((p) => ({
            PartNumber: p.partNumber,
            ETag: p.etag.startsWith('"') ? p.etag : `"${p.etag}"`,
          })),
        },
      }),
    );
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    await this.client.send(
      new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: assertSafeKey(key), UploadId: uploadId }),
    );
  }

  /** A URL the client PUTs the source to directly (production uploads skip our nodes). */
  presignPut(key: string, opts: { contentType: string; expiresInS: number }): Promise<string> {
    return presignS3Put(this.client, {
      bucket: this.bucket,
      key: assertSafeKey(key),
      contentType: opts.contentType,
      expiresInS: opts.expiresInS,
    });
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

import type { S3Client } from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

/**
 * Presigned PUT without @aws-sdk/s3-request-presigner (not installed, and no
 * release matches our client version): the SDK's own SigV4 signer with the
 * client's credentials, region and endpoint. Path-style when an endpoint is
 * configured (S3-compatible servers), virtual-hosted on AWS.
 */
export function presignS3Put(
  client: S3Client,
  opts: { bucket: string; key: string; contentType: string; expiresInS: number },
): Promise<string> {
  return presignS3Request(client, {
    method: "PUT",
    bucket: opts.bucket,
    key: opts.key,
    contentType: opts.contentType,
    expiresInS: opts.expiresInS,
  });
}

/** Any presigned request on one object (a part upload carries partNumber and uploadId in its query). */
export async function presignS3Request(
  client: S3Client,
  opts: {
    method: "PUT" | "GET";
    bucket: string;
    key: string;
    query?: Record<string, string>;
    contentType?: string;
    expiresInS: number;
  },
): Promise<string> {
  const region = await client.config.region();
  const credentials = await client.config.credentials();
  const custom = client.config.endpoint ? await client.config.endpoint() : undefined;
  const encodedKey = opts.key.split("/").map(encodeURIComponent).join("/");
  const hostname = custom ? custom.hostname : `${opts.bucket}.s3.${region}.amazonaws.com`;
  const protocol = custom ? custom.protocol : "https:";
  const port = custom?.port;
  const path = custom ? `${custom.path.replace(/\/$/, "")}/${opts.bucket}/${encodedKey}` : `/${encodedKey}`;
  const host = port ? `${hostname}:${port}` : hostname;
  const signer = new SignatureV4({ service: "s3", region, credentials, sha256: NodeSha256, uriEscapePath: false });
  // S3 checks query-string signatures against UNSIGNED-PAYLOAD (the body is
  // not known when the URL is made). Without this header the signer hashes
  // an empty body and S3 answers SignatureDoesNotMatch; it is hoisted into
  // the query, as @aws-sdk/s3-request-presigner does.
  const headers: Record<string, string> = { host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
  if (opts.contentType) headers["content-type"] = opts.contentType;
  const signed = await signer.presign(
    { method: opts.method, protocol, hostname, port, path, query: { ...opts.query }, headers },
    { expiresIn: opts.expiresInS, signableHeaders: new Set(opts.contentType ? ["content-type"] : []) },
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(signed.query ?? {})) {
    if (typeof value === "string") query.set(name, value);
  }
  return `${protocol}//${host}${path}?${query.toString()}`;
}

/** SHA-256 / HMAC-SHA-256 in the shape the smithy signer expects. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

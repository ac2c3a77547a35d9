import type { S3Client } from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

/**
 * Presigned PUT without @aws-sdk/s3-request-presigner (not installed, and no
 * release matches our client version): the SDK's own SigV4 signer with the
 * client's credentials, region and endpoint. Path-style when an endpoint is
 * configured (S3-compatible servers), virtual-hosted on AWS.
 */
export async function presignS3Put(
  client: S3Client,
  opts: { bucket: string; key: string; contentType: string; expiresInS: number },
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
  const signed = await signer.presign(
    { method: "PUT", protocol, hostname, port, path, query: {}, headers: { host, "content-type": opts.contentType } },
    { expiresIn: opts.expiresInS, signableHeaders: new Set(["content-type"]) },
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

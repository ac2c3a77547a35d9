/**
 * An S3 query-string (presigned) SigV4 check written from the AWS
 * specification alone (canonical request, string to sign, derived key), not
 * with the SDK's signer, so it can disagree with our presigning. s3rver does
 * not check V4 HMACs; this does, in a local HTTP endpoint as S3 would.
 */
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface PresignedRequest {
  method: string;
  /** Path and query exactly as sent on the request line. */
  target: string;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
}

export type SigV4Verdict = { ok: true } | { ok: false; reason: string };

/** RFC 3986 unreserved characters stay; everything else is %XX (what SigV4 demands). */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: string): string => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string): Buffer => createHmac("sha256", key).update(data, "utf8").digest();

export function verifyPresigned(
  req: PresignedRequest,
  secrets: Record<string, string>,
  now = new Date(),
): SigV4Verdict {
  const url = new URL(req.target, "http://placeholder");
  const q = url.searchParams;
  if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") return { ok: false, reason: "algorithm" };
  const [accessKey, day, region, service, terminator] = (q.get("X-Amz-Credential") ?? "").split("/");
  const secret = accessKey ? secrets[accessKey] : undefined;
  if (!secret || !day || !region || service !== "s3" || terminator !== "aws4_request")
    return { ok: false, reason: "credential" };
  const amzDate = q.get("X-Amz-Date") ?? "";
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m || amzDate.slice(0, 8) !== day) return { ok: false, reason: "date" };
  const signedAt = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const expires = Number(q.get("X-Amz-Expires"));
  if (!Number.isInteger(expires) || expires < 1 || expires > 604800) return { ok: false, reason: "expires" };
  if (now.getTime() > signedAt + expires * 1000) return { ok: false, reason: "expired" };
  const signedHeaders = (q.get("X-Amz-SignedHeaders") ?? "").split(";");
  if (!signedHeaders.includes("host")) return { ok: false, reason: "host not signed" };
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(req.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const canonicalQuery = [...q.entries()]
    .filter(([name]) => name !== "X-Amz-Signature")
    .map(([name, value]) => [rfc3986(name), rfc3986(value)])
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  // S3 signs the path as sent (no double encoding, no dot-segment normalisation).
  const rawPath = req.target.split("?")[0] ?? "/";
  const canonicalRequest = [
    req.method,
    rawPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(";"),
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), "s3"), "aws4_request");
  const expected = createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
  return expected === q.get("X-Amz-Signature") ? { ok: true } : { ok: false, reason: "signature" };
}

export interface VerifyingEndpoint {
  url: string;
  /** Bodies accepted, by request path. */
  accepted: Map<string, Buffer>;
  close(): Promise<void>;
}

/** Answers a presigned PUT 200 (with an ETag) if its signature holds, 403 with the reason otherwise. */
export async function startVerifyingEndpoint(secrets: Record<string, string>): Promise<VerifyingEndpoint> {
  const accepted = new Map<string, Buffer>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers))
        headers[name] = Array.isArray(value) ? value.join(",") : value;
      const verdict = verifyPresigned({ method: req.method ?? "", target: req.url ?? "/", headers }, secrets);
      if (!verdict.ok) {
        res.writeHead(403, { "content-type": "text/plain" }).end(verdict.reason);
        return;
      }
      const body = Buffer.concat(chunks);
      accepted.set((req.url ?? "").split("?")[0] ?? "", body);
      res.writeHead(200, { etag: `"${createHash("md5").update(body).digest("hex")}"` }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Fake provider endpoints for push tests. FCM, SNS and the browsers' push
 * services cannot be reached from here, so each is a local HTTP server that
 * speaks the provider's protocol, and the real SDKs (firebase-admin,
 * @aws-sdk/client-sns, web-push) talk to it:
 *  - FCM HTTP v1 `POST /v1/projects/<id>/messages:send` (bearer token
 *    checked), including its UNREGISTERED and UNAVAILABLE errors;
 *  - SNS `CreatePlatformEndpoint` and `Publish` (AWS query protocol, SigV4
 *    header required), including `EndpointDisabled`;
 *  - a Web Push endpoint that verifies the VAPID JWT (ES256 with the `k`
 *    key, audience, expiry) and decrypts the aes128gcm payload (RFC 8291)
 *    with the subscriber's private key and auth secret.
 * firebase-admin and web-push only speak HTTPS to fixed hosts; a
 * `LocalRedirectAgent` hands their requests to the local server instead.
 */
import { createDecipheriv, createECDH, createHmac, randomBytes, randomUUID, type ECDH } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { Agent } from "node:https";
import { connect, type AddressInfo, type Socket } from "node:net";
import { importJWK, jwtVerify } from "jose";

/** An HTTPS agent whose connections all go, in plain HTTP, to one local port (a fake provider endpoint). */
export class LocalRedirectAgent extends Agent {
  constructor(private readonly port: number) {
    super({ keepAlive: false });
  }

  override createConnection(): Socket {
    return connect(this.port, "127.0.0.1");
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface FcmMessage {
  token: string;
  notification?: { title?: string; body?: string };
  data?: Record<string, string>;
}

export interface FakeFcm {
  port: number;
  projectId: string;
  accessToken: string;
  received: FcmMessage[];
  /** Tokens FCM no longer knows (404 UNREGISTERED). */
  unregistered: Set<string>;
  /**
   * Token → how many more sends fail with 500 INTERNAL (not 503: firebase-admin
   * retries 503 itself, and the spec is about Arena's own retries).
   */
  failing: Map<string, number>;
  close(): Promise<void>;
}

export async function startFakeFcm(projectId = "arena-test"): Promise<FakeFcm> {
  const accessToken = `ya29.fake-${randomUUID()}`;
  const state = {
    received: [] as FcmMessage[],
    unregistered: new Set<string>(),
    failing: new Map<string, number>(),
  };
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
      res.end(JSON.stringify(json));
    };
    if (req.method !== "POST" || req.url !== `/v1/projects/${projectId}/messages:send`)
      return send(404, { error: { code: 404, message: "Not found", status: "NOT_FOUND" } });
    if (req.headers.authorization !== `Bearer ${accessToken}`)
      return send(401, {
        error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" },
      });
    const { message } = JSON.parse(body.toString("utf8")) as { message: FcmMessage };
    const fcmError = (code: number, status: string, errorCode: string, text: string) =>
      send(code, {
        error: {
          code,
          message: text,
          status,
          details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode }],
        },
      });
    if (state.unregistered.has(message.token))
      return fcmError(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.");
    const failures = state.failing.get(message.token) ?? 0;
    if (failures > 0) {
      state.failing.set(message.token, failures - 1);
      return fcmError(500, "INTERNAL", "INTERNAL", "Internal error encountered.");
    }
    state.received.push(message);
    return send(200, { name: `projects/${projectId}/messages/${randomUUID()}` });
  });
  const port = await listen(server);
  return { port, projectId, accessToken, ...state, close: () => close(server) };
}

export interface SnsPublish {
  targetArn: string;
  message: Record<string, string>;
}

export interface FakeSns {
  endpoint: string;
  platformApplicationArn: string;
  /** Endpoint ARN by device token. */
  endpoints: Map<string, string>;
  published: SnsPublish[];
  /** Endpoint ARNs the platform disabled (Publish answers EndpointDisabled). */
  disabled: Set<string>;
  close(): Promise<void>;
}

const SNS_NS = "http://sns.amazonaws.com/doc/2010-03-31/";

export async function startFakeSns(): Promise<FakeSns> {
  const platformApplicationArn = "arn:aws:sns:us-east-1:123456789012:app/GCM/arena";
  const state = { endpoints: new Map<string, string>(), published: [] as SnsPublish[], disabled: new Set<string>() };
  const server = createServer(async (req, res) => {
    const form = new URLSearchParams((await readBody(req)).toString("utf8"));
    const xml = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "text/xml" });
      res.end(text);
    };
    const error = (status: number, code: string, message: string) =>
      xml(
        status,
        `<ErrorResponse xmlns="${SNS_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
    if (!/^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? ""))
      return error(403, "InvalidClientTokenId", "Missing SigV4 signature");
    const action = form.get("Action");
    if (action === "CreatePlatformEndpoint") {
      if (form.get("PlatformApplicationArn") !== platformApplicationArn)
        return error(404, "NotFound", "PlatformApplication does not exist");
      const token = form.get("Token") ?? "";
      const arn = state.endpoints.get(token) ?? `arn:aws:sns:us-east-1:123456789012:endpoint/GCM/arena/${randomUUID()}`;
      state.endpoints.set(token, arn);
      return xml(
        200,
        `<CreatePlatformEndpointResponse xmlns="${SNS_NS}"><CreatePlatformEndpointResult><EndpointArn>${arn}</EndpointArn></CreatePlatformEndpointResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></CreatePlatformEndpointResponse>`,
      );
    }
    if (action === "Publish") {
      const targetArn = form.get("TargetArn") ?? "";
      if (![...state.endpoints.values()].includes(targetArn)) return error(404, "NotFound", "Endpoint does not exist");
      if (state.disabled.has(targetArn)) return error(400, "EndpointDisabled", "Endpoint is disabled");
      state.published.push({ targetArn, message: JSON.parse(form.get("Message") ?? "{}") as Record<string, string> });
      return xml(
        200,
        `<PublishResponse xmlns="${SNS_NS}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    }
    return error(400, "InvalidAction", `Unknown action ${action}`);
  });
  const port = await listen(server);
  return { endpoint: `http://127.0.0.1:${port}`, platformApplicationArn, ...state, close: () => close(server) };
}

/** A browser's push subscription: its key pair and auth secret stay here to decrypt what arrives. */
export interface FakeSubscriber {
  id: string;
  ecdh: ECDH;
  auth: Buffer;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
}

export interface WebPushDelivery {
  subscriptionId: string;
  payload: Record<string, unknown>;
  ttl: string | undefined;
  jwt: { aud: string; sub: string; exp: number };
}

export interface FakeWebPush {
  port: number;
  /** The push service origin subscriptions point at (reached through LocalRedirectAgent). */
  origin: string;
  deliveries: WebPushDelivery[];
  /** Requests refused, with why (bad VAPID, undecryptable). */
  refused: string[];
  /** Subscriptions the browser dropped (410 Gone). */
  gone: Set<string>;
  subscriber(): FakeSubscriber;
  close(): Promise<void>;
}

function hmac(key: Buffer, data: Buffer): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** RFC 8291 / RFC 8188: one aes128gcm record for the subscriber. */
export function decryptAes128gcm(body: Buffer, ecdh: ECDH, auth: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idLen = body[20] as number;
  const asPublic = body.subarray(21, 21 + idLen);
  const ciphertext = body.subarray(21 + idLen);
  const uaPublic = ecdh.getPublicKey();
  const ecdhSecret = ecdh.computeSecret(asPublic);
  const prkKey = hmac(auth, ecdhSecret);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic]);
  const ikm = hmac(prkKey, Buffer.concat([keyInfo, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01", "binary")).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01", "binary")).subarray(0, 12);
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("aes128gcm: missing last-record delimiter");
  return padded.subarray(0, end);
}

async function verifyVapid(header: string | undefined, audience: string): Promise<WebPushDelivery["jwt"]> {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) throw new Error(`no VAPID authorization header: ${header}`);
  const point = Buffer.from(m[2] as string, "base64url");
  if (point.length !== 65 || point[0] !== 4) throw new Error("k is not an uncompressed P-256 key");
  const key = await importJWK(
    {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    "ES256",
  );
  const { payload } = await jwtVerify(m[1] as string, key, { algorithms: ["ES256"], audience });
  const exp = Number(payload.exp);
  if (!exp || exp > Date.now() / 1000 + 24 * 3600) throw new Error("VAPID exp missing or more than 24 h away");
  if (typeof payload.sub !== "string" || !/^(mailto:|https:)/.test(payload.sub)) throw new Error("VAPID sub missing");
  return { aud: String(payload.aud), sub: payload.sub, exp };
}

export async function startFakeWebPush(): Promise<FakeWebPush> {
  const origin = "https://push.example.test";
  const subscribers = new Map<string, FakeSubscriber>();
  const state = { deliveries: [] as WebPushDelivery[], refused: [] as string[], gone: new Set<string>() };
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const id = /^\/push\/([A-Za-z0-9-]+)$/.exec(req.url ?? "")?.[1] ?? "";
    const sub = subscribers.get(id);
    const reply = (status: number, text = "") => {
      res.writeHead(status, {
        "content-type": "text/plain",
        ...(status === 201 ? { location: `${origin}/msg/${randomUUID()}` } : {}),
      });
      res.end(text);
    };
    if (!sub || state.gone.has(id)) return reply(410, "push subscription has unsubscribed or expired");
    try {
      const jwt = await verifyVapid(req.headers.authorization, origin);
      if (req.headers["content-encoding"] !== "aes128gcm") throw new Error("content-encoding is not aes128gcm");
      const plain = decryptAes128gcm(body, sub.ecdh, sub.auth);
      state.deliveries.push({
        subscriptionId: id,
        payload: JSON.parse(plain.toString("utf8")) as Record<string, unknown>,
        ttl: req.headers.ttl as string | undefined,
        jwt,
      });
      return reply(201);
    } catch (err) {
      state.refused.push((err as Error).message);
      return reply(403, (err as Error).message);
    }
  });
  const port = await listen(server);
  return {
    port,
    origin,
    ...state,
    subscriber() {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = randomUUID();
      const s: FakeSubscriber = {
        id,
        ecdh,
        auth,
        subscription: {
          endpoint: `${origin}/push/${id}`,
          keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") },
        },
      };
      subscribers.set(id, s);
      return s;
    },
    close: () => close(server),
  };
}

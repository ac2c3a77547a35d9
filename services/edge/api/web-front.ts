import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceBroker } from "moleculer";
import type { ArenaConfig } from "../../../lib/config";
import { enforceLimits, type LimitPolicy } from "./limits";
import type { RateLimitStore } from "../../../lib/rate-limit";
import { handleWebSession, isWebSessionRequest } from "./web-session";
import { defaultWebDist, WebClient } from "./web-static";

/**
 * What the api node does for browsers besides REST: the web client's files
 * (web-static.ts) and the cookie-based web session (web-session.ts). Kept out
 * of api.service.ts so the gateway wiring stays one call.
 */
export interface WebFrontHost {
  broker: ServiceBroker;
  config: ArenaConfig;
  limitStore: RateLimitStore;
  limitPolicy: LimitPolicy;
  webClient: WebClient;
}

interface FrontRequest extends IncomingMessage {
  $arena: { requestId: string; clientIp: string; https: boolean };
}

export function createWebClient(config: ArenaConfig): WebClient {
  const origin = (url: string | undefined): string[] => {
    if (!url) return [];
    try {
      return [new URL(url).origin];
    } catch {
      return [];
    }
  };
  const cloudfront = config.media.cloudfront.domain ? [`https://${config.media.cloudfront.domain}`] : [];
  const s3 =
    config.media.storageDriver === "s3"
      ? config.media.s3.endpoint
        ? origin(config.media.s3.endpoint)
        : ["https://*.amazonaws.com"]
      : [];
  return new WebClient({
    distDir: config.webDistDir ?? defaultWebDist(),
    realtimeUrl: config.realtime.publicUrl,
    realtimePort: config.realtime.port,
    mediaOrigins: [...new Set([...origin(config.publicUrl), ...cloudfront, ...s3])],
    uploadOrigins: s3,
  });
}

/** True when the request was the web front's (answered, or failed with an error the caller renders). */
export async function serveWebFront(
  host: WebFrontHost,
  incoming: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const req = incoming as FrontRequest;
  if (isWebSessionRequest(req)) {
    await handleWebSession(req, res, {
      broker: host.broker,
      corsOrigins: host.config.api.corsOrigins,
      https: req.$arena.https,
      meta: { requestId: req.$arena.requestId, clientIp: req.$arena.clientIp },
      limit: async (bucket) => {
        await enforceLimits(host.limitStore, host.limitPolicy, res, { ip: req.$arena.clientIp, bucket: "api" });
        if (bucket === "auth")
          await enforceLimits(host.limitStore, host.limitPolicy, res, { ip: req.$arena.clientIp, bucket: "auth" });
      },
    });
    return true;
  }
  return host.webClient.serve(req, res, req.$arena.https);
}

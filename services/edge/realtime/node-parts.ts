/**
 * The parts a realtime node is built from, chosen by settings: the token
 * verifier (the REST gateway's, plus the identity mixin's checks), the room
 * fan-out (NATS, or in-process on a single node) and the viewer-count store
 * (Redis, or memory). realtime.service.ts calls these from overridable
 * methods so tests and benchmarks can swap any of them.
 */
import { Context } from "moleculer";
import { createTokenVerifier } from "../../../lib/auth/create-token-verifier";
import type { TokenVerifier } from "../../../lib/auth/token-verifier";
import { getConfig } from "../../../lib/config";
import type { RoomFanout } from "./fanout";
import { LocalFanout } from "./fanout-local";
import { NatsFanout } from "./fanout-nats";
import type { RealtimeThis } from "./realtime.context";
import type { RealtimeSettings } from "./realtime-settings";
import type { ViewerCountStore } from "./viewer-counts";
import { MemoryViewerCounts } from "./viewer-counts-memory";
import { RedisViewerCounts } from "./viewer-counts-redis";

export function socketTokenVerifier(svc: RealtimeThis): TokenVerifier {
  const jwt = createTokenVerifier(svc.broker);
  const resolve = async (token: string) => {
    const { user, claims } = await jwt.verifyToken(token);
    const ctx = Context.create(svc.broker);
    return { user: await svc.resolveIdentity(ctx, claims, user), claims };
  };
  const verifier: TokenVerifier & { verifyToken: typeof resolve } = {
    verify: async (token: string) => (await resolve(token)).user,
    verifyToken: resolve,
  };
  return verifier;
}

export function roomFanout(svc: RealtimeThis, settings: RealtimeSettings): RoomFanout {
  if (!settings.natsUrl) {
    // A cluster without NATS would silently split every room per node: refuse to start instead.
    if (settings.clustered)
      throw new Error(
        "realtime: clustered nodes need a nats:// TRANSPORTER (or settings.natsUrl) for cross-node chat fan-out",
      );
    return new LocalFanout();
  }
  return new NatsFanout({
    url: settings.natsUrl,
    namespace: settings.namespace,
    name: `arena-realtime-${svc.broker.nodeID}`,
    onError: (err) => svc.logger.warn(err.message),
  });
}

export function viewerCountStore(svc: RealtimeThis, settings: RealtimeSettings): ViewerCountStore {
  if (!settings.redisUrl) return new MemoryViewerCounts();
  return new RedisViewerCounts({
    url: settings.redisUrl,
    namespace: settings.namespace,
    nodeId: svc.broker.nodeID,
    aliveTtlMs: settings.viewerNodeTtlMs,
    commandTimeoutMs: getConfig().redisCommandTimeoutMs,
    logger: svc.logger,
  });
}

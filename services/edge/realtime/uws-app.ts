/**
 * The uWS app of a realtime node: the WebSocket route with its limits
 * (payload, idle timeout, backpressure, no compression), the upgrade step,
 * /healthz, a 404 for every other path, and the listen socket. The gateway
 * hands in its socket callbacks and uWS calls them as they are: `message`
 * runs per frame, so nothing is wrapped around it here.
 */
import type { TrustedProxies } from "../../../lib/http/client-ip";
import type { GatewayDeps } from "./gateway-deps";
import { PROTOCOL_NAME } from "./protocol";
import type { CountLimiter } from "./rate-limit";
import type { RealtimeSettings } from "./realtime-settings";
import type { Socket, SocketData } from "./socket-data";
import { handleUpgrade, type UpgradeContext } from "./upgrade";
import type { TemplatedApp, Uws, us_listen_socket } from "./uws";

/** The gateway's side of each socket's life (functions uWS calls as they are, so not methods). */
export interface SocketCallbacks {
  readonly open: (ws: Socket) => void;
  readonly message: (ws: Socket, message: ArrayBuffer, isBinary: boolean) => void;
  readonly close: (ws: Socket) => void;
}

/** The gateway's own parts the upgrade step checks against (the rest comes from its deps). */
export interface UpgradeGates {
  proxies: TrustedProxies;
  perIp: CountLimiter;
  perUser: CountLimiter;
  isStopping(): boolean;
}

export function createRealtimeApp(
  uws: Uws,
  deps: Pick<GatewayDeps, "settings" | "verifier" | "logger">,
  gates: UpgradeGates,
  socket: SocketCallbacks,
): TemplatedApp {
  const { settings, logger } = deps;
  const upgrade: UpgradeContext = {
    verifier: deps.verifier,
    allowedOrigins: settings.allowedOrigins,
    proxies: gates.proxies,
    perIp: gates.perIp,
    perUser: gates.perUser,
    maxPerIp: settings.maxConnectionsPerIp,
    maxPerUser: settings.maxConnectionsPerUser,
    frameBurst: settings.frameBurst,
    isStopping: () => gates.isStopping(),
    onRejected: (code) => logger.debug(`upgrade refused: ${code}`),
  };
  const app = uws.App();
  app.ws<SocketData>("/*", {
    maxPayloadLength: settings.maxPayloadBytes,
    idleTimeout: settings.idleTimeoutS,
    sendPingsAutomatically: true,
    maxBackpressure: settings.maxBackpressureBytes,
    compression: uws.DISABLED,
    upgrade: (res, req, context) =>
      handleUpgrade(res, req, context, upgrade).catch((err: Error) => logger.error("upgrade failed", err)),
    open: socket.open,
    message: socket.message,
    drain: () => undefined,
    close: socket.close,
  });
  app.get("/healthz", (res) => {
    res
      .writeHeader("content-type", "application/json")
      .end(JSON.stringify({ ok: !upgrade.isStopping(), protocol: PROTOCOL_NAME }));
  });
  app.any("/*", (res) => {
    res.writeStatus("404 Not Found").end();
  });
  return app;
}

/** Resolves with the listen socket once the app listens on the configured host and port. */
export function listenRealtimeApp(app: TemplatedApp, settings: RealtimeSettings): Promise<us_listen_socket> {
  return new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(settings.host, settings.port, (token) =>
      token ? resolve(token) : reject(new Error(`realtime: cannot listen on ${settings.host}:${settings.port}`)),
    );
  });
}

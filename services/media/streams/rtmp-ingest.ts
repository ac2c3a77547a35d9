import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { normalizeIp } from "../../../lib/http/client-ip";
import { PublishThrottle, RefusalTally, type PublishThrottleOptions, type RefusalReport } from "./publish-throttle";

/**
 * RTMP ingest on node-media-server 4's protocol and session code, with our
 * own TCP listener instead of its NodeMediaServer bootstrap: that one writes
 * a JSON store to ./data, starts HTTP/record/relay servers, exits the process
 * on a busy port, ignores port 0 and logs stream keys (the publish path) at
 * info. Here we keep only the RTMP session, hook publish to authorize the key
 * asynchronously, refuse RTMP playback (viewers use HLS), and hand each
 * authorized publish to the provider as an FLV tag feed.
 */

/* node-media-server ships plain JS without typings: the few members we use. */
/** An AV packet as node-media-server parses it; flags 5 is a script tag (onMetaData). */
interface NmsPacket {
  flags: number;
  data: Buffer;
}
interface NmsBroadcast {
  publishGraceMs: number;
  flvVideoHeader: Buffer | null;
  flvAudioHeader: Buffer | null;
  postPlay(session: NmsSession): string | null;
  donePlay(session: NmsSession): void;
}
interface NmsSession {
  id: string;
  ip: string;
  protocol: string;
  isPublisher: boolean;
  streamApp: string;
  streamName: string;
  streamPath: string;
  inBytes: number;
  videoWidth: number;
  videoHeight: number;
  broadcast: NmsBroadcast;
  sendBuffer: (buffer: Buffer) => void;
}
interface NmsRtmpSession extends NmsSession {
  socket: Socket;
  rtmp: { onPushCallback: () => void; onPlayCallback: () => void; onPacketCallback: (packet: NmsPacket) => void };
  run(): void;
  onPush(): void;
  onPacket(packet: NmsPacket): void;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const RtmpSession = require("node-media-server/src/session/rtmp_session.js") as new (socket: Socket) => NmsRtmpSession;
const BaseSession = require("node-media-server/src/session/base_session.js") as new () => NmsSession;
const NmsContext = require("node-media-server/src/core/context.js") as { sessions: Map<string, NmsSession> };
const nmsLogger = require("node-media-server/src/core/logger.js") as { log: (message: string, level?: string) => void };
/* eslint-enable @typescript-eslint/no-require-imports */

// Publish paths contain stream keys: never let the library log them.
// Even its error level does ("push /live/<key> error, … already has a publisher",
// "invalid stream path characters: … name=<key>"), so it is silenced entirely;
// refusals are reported (without the key) through `onRefused`.
nmsLogger.log = () => undefined;

export const INGEST_APP = "live";

export interface MediaInfo {
  width: number;
  height: number;
  hasAudio: boolean;
}

/** One authorized publish, as the provider sees it. */
export interface IngestPublish<A> {
  connectionId: string;
  authorization: A;
  remoteAddress: string;
  media: MediaInfo;
  /** Bytes received on the RTMP connection so far. */
  inBytes(): number;
  /** Feeds every FLV tag (header first) to `onTag` until the returned function is called. */
  subscribe(onTag: (tag: Buffer) => void): () => void;
  /** Drops the broadcaster (e.g. the session was ended by an admin). */
  disconnect(): void;
  /** false once the broadcaster's socket closed. */
  connected(): boolean;
}

export interface RtmpIngestHandlers<A> {
  /** Resolves the key to an authorization, or throws / returns null to refuse. */
  authorize(streamKey: string, remoteAddress: string): Promise<A | null>;
  onPublish(publish: IngestPublish<A>): void;
  onUnpublish(connectionId: string): void;
  /** Every refused publish, as it happens (metrics, tests); not for logging: see onRefusalReport. */
  onRefused?(reason: string, remoteAddress: string): void;
  /** At most one per `refusalReportMs`, when something was refused or dropped: what to log. */
  onRefusalReport?(report: RefusalReport): void;
}

export interface RtmpIngestOptions {
  host: string;
  port: number;
  /** How long to wait for the first video header before packaging starts anyway. */
  headerWaitMs?: number;
  /**
   * A connection that sends nothing for this long is closed (default 15 s).
   * An encoder sends continuously; a half-open socket (the broadcaster's
   * network dropped without a FIN) would otherwise keep its stream path
   * "already publishing" forever and refuse the encoder's reconnects.
   */
  idleTimeoutMs?: number;
  /** Failed publishes per address before it is blocked, and the backoff (see publish-throttle.ts). */
  throttle?: Partial<PublishThrottleOptions>;
  /** How often refusals are reported in aggregate (default 10 s). */
  refusalReportMs?: number;
}

export class RtmpIngest<A> {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly throttle: PublishThrottle;
  private readonly tally = new RefusalTally(Date.now());
  private reportTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: RtmpIngestOptions,
    private readonly handlers: RtmpIngestHandlers<A>,
  ) {
    this.throttle = new PublishThrottle(options.throttle);
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async listen(): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.reportTimer = setInterval(() => this.report(), this.options.refusalReportMs ?? 10_000);
    this.reportTimer.unref();
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.reportTimer) clearInterval(this.reportTimer);
    this.reportTimer = undefined;
    this.report();
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private report(): void {
    const report = this.tally.take(Date.now());
    if (report) this.handlers.onRefusalReport?.(report);
  }

  private accept(socket: Socket): void {
    const remoteAddress = normalizeIp(socket.remoteAddress ?? "");
    if (this.throttle.blockedForMs(remoteAddress, Date.now()) > 0) {
      // Blocked after repeated failures: no handshake, no key lookup, no log line of its own.
      this.tally.throttled(remoteAddress);
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    const session = new RtmpSession(socket);
    session.run();
    NmsContext.sessions.set(session.id, session);
    let published = false;
    socket.on("close", () => {
      this.sockets.delete(socket);
      if (published) this.handlers.onUnpublish(session.id);
    });
    socket.on("error", () => undefined);
    socket.setTimeout(this.options.idleTimeoutMs ?? 15_000, () => socket.destroy());
    // Viewers watch HLS through the signed delivery path, never RTMP.
    session.rtmp.onPlayCallback = () => socket.destroy();
    // The publisher sends onMetaData (the picture size) while its key is being checked, and node-media-server
    // reads the size only from metadata that reaches a broadcast with a publisher: keep it and replay it then.
    let earlyMetadata: NmsPacket | null = null;
    session.rtmp.onPacketCallback = (packet) => {
      if (packet.flags === 5 && !session.isPublisher) earlyMetadata = { ...packet, data: Buffer.from(packet.data) };
      session.onPacket(packet);
    };
    const replayMetadata = () => {
      if (earlyMetadata && !session.videoHeight) session.onPacket(earlyMetadata);
      earlyMetadata = null;
    };
    session.rtmp.onPushCallback = () => {
      void this.authorizePush(session, remoteAddress, replayMetadata).then((ok) => {
        published = ok;
      });
    };
  }

  private async authorizePush(
    session: NmsRtmpSession,
    remoteAddress: string,
    replayMetadata: () => void,
  ): Promise<boolean> {
    const refuse = (reason: string): false => {
      this.throttle.recordFailure(remoteAddress, Date.now());
      this.tally.refused(remoteAddress, reason);
      this.handlers.onRefused?.(reason, remoteAddress);
      session.socket.destroy();
      return false;
    };
    if (session.streamApp !== INGEST_APP) return refuse(`unknown app "${session.streamApp}"`);
    let authorization: A | null;
    try {
      authorization = await this.handlers.authorize(session.streamName, remoteAddress);
    } catch (err) {
      return refuse((err as Error).message);
    }
    if (!authorization) return refuse("stream key refused");
    if (session.socket.destroyed) return false;
    session.onPush();
    if (!session.isPublisher) return refuse("this stream key is already publishing");
    replayMetadata();
    // Reconnect grace is ours (per channel session), not the library's per-path one.
    session.broadcast.publishGraceMs = 0;
    this.throttle.recordSuccess(remoteAddress);
    await this.waitForHeaders(session);
    if (session.socket.destroyed) return false;
    this.handlers.onPublish(this.publishHandle(session, authorization, remoteAddress));
    return true;
  }

  private async waitForHeaders(session: NmsRtmpSession): Promise<void> {
    const deadline = Date.now() + (this.options.headerWaitMs ?? 5000);
    // Metadata (size) and the AVC header arrive right after publish starts.
    while (
      Date.now() < deadline &&
      !session.socket.destroyed &&
      (!session.broadcast.flvVideoHeader || !session.videoHeight)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private publishHandle(session: NmsRtmpSession, authorization: A, remoteAddress: string): IngestPublish<A> {
    const broadcast = session.broadcast;
    return {
      connectionId: session.id,
      authorization,
      remoteAddress,
      media: {
        width: session.videoWidth || 0,
        height: session.videoHeight || 0,
        hasAudio: broadcast.flvAudioHeader !== null,
      },
      inBytes: () => session.inBytes,
      subscribe(onTag) {
        // An internal FLV "player" (empty ip: no play hooks, no counters).
        const subscriber = new BaseSession();
        subscriber.protocol = "flv";
        subscriber.streamPath = session.streamPath;
        subscriber.sendBuffer = onTag;
        broadcast.postPlay(subscriber);
        return () => broadcast.donePlay(subscriber);
      },
      disconnect: () => session.socket.destroy(),
      connected: () => !session.socket.destroyed,
    };
  }
}

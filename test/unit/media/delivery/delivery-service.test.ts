import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { setConfig } from "../../../../lib/config";
import { signMediaGrant } from "../../../../lib/media/signed-url";
import DeliveryService from "../../../../services/media/delivery/delivery.service";
import { testConfig, type TempDir, createTempDir } from "../../../helpers/infra";

describe("delivery.serve", () => {
  let broker: ServiceBroker;
  let root: TempDir;
  let secret: string;
  const grant = (prefix: string, ttlS = 60) =>
    Object.fromEntries(
      new URLSearchParams(signMediaGrant({ prefix, expiresAt: Math.floor(Date.now() / 1000) + ttlS }, secret)),
    );

  beforeAll(async () => {
    const config = await testConfig();
    setConfig(config);
    secret = config.media.urlSecret;
    root = createTempDir("arena-delivery-");
    mkdirSync(join(root.path, "live", "s1", "source"), { recursive: true });
    writeFileSync(
      join(root.path, "live", "s1", "master.m3u8"),
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nsource/index.m3u8\n",
    );
    writeFileSync(join(root.path, "live", "s1", "source", "seg_00001.ts"), Buffer.alloc(188, 0x47));
    writeFileSync(join(root.path, "live", "s1", "notes.txt"), "not media");
    broker = new ServiceBroker({ logger: false, validator: true });
    broker.createService({
      name: "delivery",
      mixins: [DeliveryService as unknown as ServiceSchema],
      settings: { mediaRoot: root.path },
    });
    await broker.start();
  });

  afterAll(async () => {
    await broker.stop();
    root.remove();
  });

  it("serves a segment with its content type and length under a valid grant", async () => {
    const meta: Record<string, unknown> = {};
    const body = await broker.call<Readable, object>(
      "delivery.serve",
      { path: ["live", "s1", "source", "seg_00001.ts"], ...grant("/media/live/s1/") },
      { meta },
    );
    expect(body).toBeInstanceOf(Readable);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toHaveLength(188);
    expect(meta.$responseType).toBe("video/mp2t");
    expect((meta.$responseHeaders as Record<string, string>)["Content-Length"]).toBe("188");
  });

  it("rewrites playlists so relative URIs carry the same grant", async () => {
    const g = grant("/media/live/s1/");
    const body = await broker.call<Buffer, object>("delivery.serve", { path: "live/s1/master.m3u8", ...g });
    expect(body.toString("utf8")).toContain(
      `source/index.m3u8?p=${encodeURIComponent("/media/live/s1/")}&exp=${g.exp}&sig=${g.sig}`,
    );
  });

  it("refuses unsigned, expired, forged and out-of-prefix requests with 403, and unknown files or types with 404", async () => {
    const status = (params: object) =>
      broker.call("delivery.serve", params).then(
        () => 200,
        (err: { code: number }) => err.code,
      );
    expect(await status({ path: "live/s1/master.m3u8" })).toBe(403);
    expect(await status({ path: "live/s1/master.m3u8", ...grant("/media/live/s1/", -10) })).toBe(403);
    expect(await status({ path: "live/s1/master.m3u8", ...grant("/media/live/s1/"), sig: "AAAA" })).toBe(403);
    expect(await status({ path: "live/s1/master.m3u8", ...grant("/media/live/s2/") })).toBe(403);
    expect(await status({ path: "live/s1/../s1/master.m3u8", ...grant("/media/live/s1/") })).toBe(403);
    expect(await status({ path: "live/s1/missing.ts", ...grant("/media/live/s1/") })).toBe(404);
    expect(await status({ path: "live/s1/notes.txt", ...grant("/media/live/s1/") })).toBe(404);
    expect(await status({ path: 42 })).toBe(422);
  });
});

/**
 * HTTP Range through the real gateway in front of the real delivery service:
 * players seeking in an MP4 recording (and many HLS players) send
 * `Range: bytes=…` and expect 206 with Content-Range, or 416.
 */
import { mkdirSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { ServiceSchema } from "moleculer";
import { signMediaGrant } from "../../../../lib/media/signed-url";
import DeliveryService from "../../../../services/media/delivery/delivery.service";
import { DELIVERY_ROUTES } from "../../../../services/media/delivery/delivery.routes";
import { createTempDir, testConfig, type TempDir } from "../../../helpers/infra";
import { startGateway, type Gateway } from "../../edge/api/gateway-harness";

const PLAYER_ORIGIN = "http://player.example.test";

describe("delivery over HTTP: byte ranges", () => {
  let gateway: Gateway;
  let root: TempDir;
  let url: string;
  let playlistUrl: string;
  let bigUrl: string;
  let bigFile: string;
  const content = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

  beforeAll(async () => {
    const config = await testConfig({ RATE_LIMIT_PER_IP: "100000", CORS_ORIGINS: PLAYER_ORIGIN });
    root = createTempDir("arena-range-");
    mkdirSync(join(root.path, "vod", "v1"), { recursive: true });
    writeFileSync(join(root.path, "vod", "v1", "source.mp4"), content);
    // Larger than any socket buffer: a client that stops reading leaves the copy mid-file.
    bigFile = join(root.path, "vod", "v1", "big.ts");
    writeFileSync(bigFile, Buffer.alloc(32 * 1024 * 1024, 0x47));
    writeFileSync(
      join(root.path, "vod", "v1", "master.m3u8"),
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nsource/index.m3u8\n",
    );
    gateway = await startGateway(config, {
      tables: [DELIVERY_ROUTES],
      withTestService: false,
      extraServices: [
        { name: "delivery", mixins: [DeliveryService as unknown as ServiceSchema], settings: { mediaRoot: root.path } },
      ],
    });
    const query = signMediaGrant(
      { prefix: "/media/vod/v1/", expiresAt: Math.floor(Date.now() / 1000) + 300 },
      config.media.urlSecret,
    );
    url = `${gateway.base}/media/vod/v1/source.mp4?${query}`;
    playlistUrl = `${gateway.base}/media/vod/v1/master.m3u8?${query}`;
    bigUrl = `${gateway.base}/media/vod/v1/big.ts?${query}`;
  });

  afterAll(async () => {
    await gateway?.stop();
    root?.remove();
  });

  it("answers a whole-file GET with 200 and Accept-Ranges: bytes", async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true);
  });

  it("lets a player on an allowed origin read the media (CORS), and refuses another origin", async () => {
    const allowed = await fetch(playlistUrl, { headers: { Origin: PLAYER_ORIGIN } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(PLAYER_ORIGIN);
    expect(allowed.headers.get("vary")).toContain("Origin");
    await allowed.arrayBuffer();
    const ranged = await fetch(url, { headers: { Origin: PLAYER_ORIGIN, Range: "bytes=0-9" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("access-control-allow-origin")).toBe(PLAYER_ORIGIN);
    await ranged.arrayBuffer();
    const other = await fetch(playlistUrl, { headers: { Origin: "http://elsewhere.example.test" } });
    expect(other.status).toBe(403);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    await other.arrayBuffer();
  });

  it("answers a single range with 206, Content-Range and exactly those bytes", async () => {
    const res = await fetch(url, { headers: { Range: "bytes=100-199" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect(res.headers.get("content-length")).toBe("100");
    expect(res.headers.get("content-type")).toBe("video/mp4");
    expect(Buffer.from(await res.arrayBuffer()).equals(content.subarray(100, 200))).toBe(true);

    const suffix = await fetch(url, { headers: { Range: "bytes=-10" } });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get("content-range")).toBe("bytes 990-999/1000");
    expect(Buffer.from(await suffix.arrayBuffer()).equals(content.subarray(990))).toBe(true);
  });

  it("answers a range past the end with 416 and Content-Range: bytes */size", async () => {
    const res = await fetch(url, { headers: { Range: "bytes=5000-" } });
    expect(res.status).toBe(416);
    expect(res.headers.get("content-range")).toBe("bytes */1000");
    await res.arrayBuffer();
  });

  it("still checks the grant before any range, and sends playlists whole", async () => {
    const unsigned = await fetch(`${gateway.base}/media/vod/v1/source.mp4`, { headers: { Range: "bytes=0-9" } });
    expect(unsigned.status).toBe(403);
    await unsigned.arrayBuffer();
    const playlist = await fetch(playlistUrl, { headers: { Range: "bytes=0-3" } });
    expect(playlist.status).toBe(200);
    expect(await playlist.text()).toContain("#EXT-X-STREAM-INF");
  });

  it("answers 200, 206 and 416 as the OpenAPI document declares them, with the declared headers", async () => {
    interface Header {
      required?: boolean;
      schema: { pattern?: string; enum?: string[] };
    }
    const doc = (await (await fetch(`${gateway.base}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, Header> }> }>>;
    };
    const declared = doc.paths["/media/{path}"]?.get?.responses ?? {};
    const calls: Array<[string, Record<string, string>]> = [
      ["whole", {}],
      ["ranged", { Range: "bytes=10-19" }],
      ["suffix", { Range: "bytes=-5" }],
      ["past the end", { Range: "bytes=1000-" }],
    ];
    const seen: number[] = [];
    for (const [name, headers] of calls) {
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      seen.push(res.status);
      const response = declared[String(res.status)];
      expect({ name, status: res.status, declared: response !== undefined }).toEqual({
        name,
        status: res.status,
        declared: true,
      });
      for (const [header, spec] of Object.entries(response?.headers ?? {})) {
        const value = res.headers.get(header);
        if (spec.required) expect({ name, header, present: value !== null }).toEqual({ name, header, present: true });
        if (value === null) continue;
        if (spec.schema.pattern) expect(value).toMatch(new RegExp(spec.schema.pattern));
        if (spec.schema.enum) expect(spec.schema.enum).toContain(value);
      }
    }
    expect(seen).toEqual([200, 206, 206, 416]);
  });

  /** This process's open descriptors on `file` (the gateway runs in the test process). */
  function openDescriptorsOn(file: string): number {
    let count = 0;
    for (const fd of readdirSync("/proc/self/fd")) {
      try {
        if (readlinkSync(`/proc/self/fd/${fd}`) === file) count += 1;
      } catch {
        // closed while listing
      }
    }
    return count;
  }

  async function untilNoDescriptorOn(file: string): Promise<number> {
    const deadline = Date.now() + 3000;
    while (openDescriptorsOn(file) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return openDescriptorsOn(file);
  }

  it("closes the file when a client leaves mid-download, and after a whole download", async () => {
    // A client that reads the first bytes and hangs up: the copy must stop and the file be closed.
    await new Promise<void>((resolve, reject) => {
      const req = request(bigUrl, (res) => {
        expect(res.statusCode).toBe(200);
        res.once("data", () => {
          expect(openDescriptorsOn(bigFile)).toBe(1);
          req.destroy();
          resolve();
        });
      });
      req.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" ? undefined : reject(err)));
      req.end();
    });
    expect(await untilNoDescriptorOn(bigFile)).toBe(0);

    const whole = await fetch(bigUrl);
    expect((await whole.arrayBuffer()).byteLength).toBe(32 * 1024 * 1024);
    expect(await untilNoDescriptorOn(bigFile)).toBe(0);
  });
});

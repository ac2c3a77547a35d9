/**
 * The first-frame baseline: a bare page with nothing but hls.js (the same
 * light build and live settings as the app's player) playing the same signed
 * playlist. The gap between it and the app is what the app itself costs.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>baseline</title></head>
<body><video id="v" muted playsinline></video><script type="module" src="/baseline.js"></script></body></html>`;
const SCRIPT = `import Hls from "/hls.mjs";
const src = new URLSearchParams(location.search).get("src");
const v = document.getElementById("v");
v.requestVideoFrameCallback(() => performance.mark("arena:first-frame"));
const hls = new Hls({ lowLatencyMode: false, liveSyncDurationCount: 3, backBufferLength: 30, enableWorker: true });
hls.on(Hls.Events.MANIFEST_PARSED, () => v.play());
hls.loadSource(src);
hls.attachMedia(v);`;

export async function startBaselineServer(port: number): Promise<Server> {
  const hls = readFileSync(join(ROOT, "node_modules", "hls.js", "dist", "hls.light.mjs"));
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const [type, body] =
      path === "/hls.mjs"
        ? ["text/javascript", hls]
        : path === "/baseline.js"
          ? ["text/javascript", SCRIPT]
          : ["text/html; charset=utf-8", PAGE];
    res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

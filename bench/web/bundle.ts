/** What the home page downloads before it can run: the entry script, its static imports and CSS, gzipped. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export interface BundleFigures {
  homeJsGzipKb: number;
  homeCssGzipKb: number;
  hlsChunkGzipKb: number;
  allJsGzipKb: number;
  homeFiles: string[];
}

const gz = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length / 1024;

export function measureBundle(dist: string): BundleFigures {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const scripts = [
    ...html.matchAll(/<script[^>]+src="([^"]+)"/g),
    ...html.matchAll(/rel="modulepreload"[^>]*href="([^"]+)"/g),
  ]
    .map((m) => m[1] as string)
    .filter((src) => src.endsWith(".js"));
  const styles = [...html.matchAll(/rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1] as string);
  const file = (url: string) => join(dist, url.replace(/^\//, ""));
  const assets = readdirSync(join(dist, "assets"));
  const js = assets.filter((f) => f.endsWith(".js"));
  const hls = js.find((f) => f.startsWith("hls"));
  return {
    homeJsGzipKb: scripts.reduce((sum, s) => sum + gz(file(s)), 0),
    homeCssGzipKb: styles.reduce((sum, s) => sum + gz(file(s)), 0),
    hlsChunkGzipKb: hls ? gz(join(dist, "assets", hls)) : 0,
    allJsGzipKb: js.reduce((sum, f) => sum + gz(join(dist, "assets", f)), 0),
    homeFiles: [...scripts, ...styles],
  };
}

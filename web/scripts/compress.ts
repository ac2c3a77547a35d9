/**
 * Writes .br and .gz beside every compressible file of dist/, so the api
 * node serves compressed assets without compressing on the request path.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = join(__dirname, "..", "dist");
const COMPRESSIBLE = new Set([".js", ".css", ".html", ".svg", ".json", ".txt", ".webmanifest"]);
let raw = 0;
let br = 0;

function walk(dir: string): void {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (COMPRESSIBLE.has(extname(name)) && statSync(full).size > 512) {
      const data = readFileSync(full);
      const brotli = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
      writeFileSync(`${full}.br`, brotli);
      writeFileSync(`${full}.gz`, gzipSync(data, { level: 9 }));
      raw += data.length;
      br += brotli.length;
    }
  }
}

walk(dist);
console.log(`compressed web/dist: ${(raw / 1024).toFixed(0)} KB → ${(br / 1024).toFixed(0)} KB brotli`);

import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { listFilesRecursively } from "./list-files";

/**
 * Stores every file under `dirPath` as `<prefix><path relative to dirPath>`
 * (keys always use "/"), one `putFile` at a time; returns the keys, sorted.
 * The same for every driver: only `putFile` differs.
 */
export async function putDirectoryFiles(
  putFile: (key: string, filePath: string) => Promise<unknown>,
  prefix: string,
  dirPath: string,
): Promise<string[]> {
  const keys: string[] = [];
  for (const file of await listFilesRecursively(dirPath)) {
    const key = `${prefix}${relative(dirPath, file).split(sep).join("/")}`;
    await putFile(key, file);
    keys.push(key);
  }
  return keys.sort();
}

/** Writes an object's body to a local file, creating its folder. */
export async function writeBodyToFile(body: Readable, filePath: string): Promise<void> {
  await mkdir(dirname(filePath), { recursive: true });
  await pipeline(body, createWriteStream(filePath));
}

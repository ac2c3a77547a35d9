import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { randomBytes } from "node:crypto";
import { putDirectoryFiles, writeBodyToFile } from "./file-transfer";
import { listFilesRecursively } from "./list-files";
import { assertSafeKey, ObjectNotFoundError, type ObjectStorage } from "./object-storage";

/** Files under one root folder (`${dataDir}/media`), which the delivery service serves. */
export class LocalStorage implements ObjectStorage {
  readonly driver = "local" as const;

  constructor(readonly root: string) {}

  private pathOf(key: string, allowPrefix = false): string {
    return join(this.root, ...assertSafeKey(key, allowPrefix).split("/").filter(Boolean));
  }

  /**
   * Writes to a temporary sibling and renames, so a reader (or the delivery
   * service) never sees half an object and a failed write leaves nothing.
   */
  private async writeAtomically(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomBytes(4).toString("hex")}.part`;
    try {
      await write(tmp);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async put(key: string, body: Buffer | Readable): Promise<{ size: number }> {
    const path = this.pathOf(key);
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    await this.writeAtomically(path, (tmp) => pipeline(source, createWriteStream(tmp)));
    return { size: (await stat(path)).size };
  }

  async putFile(key: string, filePath: string): Promise<{ size: number }> {
    const path = this.pathOf(key);
    await this.writeAtomically(path, (tmp) => copyFile(filePath, tmp));
    return { size: (await stat(path)).size };
  }

  async putDirectory(prefix: string, dirPath: string): Promise<string[]> {
    return putDirectoryFiles((key, file) => this.putFile(key, file), prefix, dirPath);
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    if (!(await this.head(key))) throw new ObjectNotFoundError(key);
    return createReadStream(path);
  }

  async getToFile(key: string, filePath: string): Promise<void> {
    await writeBodyToFile(await this.get(key), filePath);
  }

  async head(key: string): Promise<{ size: number } | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { size: info.size } : undefined;
    } catch {
      return undefined;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const slash = prefix.lastIndexOf("/");
    const folder = slash >= 0 ? prefix.slice(0, slash + 1) : "";
    const base = folder ? this.pathOf(folder, true) : this.root;
    const files = await listFilesRecursively(base);
    return files
      .map((file) => relative(this.root, file).split(sep).join("/"))
      .filter((key) => key.startsWith(prefix) && !key.endsWith(".part"))
      .sort();
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    await Promise.all(keys.map((key) => this.delete(key)));
    // A prefix that names a folder goes entirely, so empty folders don't pile up.
    if (prefix.endsWith("/")) await rm(this.pathOf(prefix, true), { recursive: true, force: true });
    return keys.length;
  }
}

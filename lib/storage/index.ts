import { join } from "node:path";
import type { ArenaConfig } from "../config";
import { LocalStorage } from "./local-storage";
import type { ObjectStorage } from "./object-storage";
import { S3Storage } from "./s3-storage";

export { assertSafeKey, contentTypeFor, ObjectNotFoundError, type ObjectStorage } from "./object-storage";
export { LocalStorage } from "./local-storage";
export { S3Storage, type S3StorageOptions } from "./s3-storage";

/**
 * The storage driver config asks for. An unknown driver (a value that slipped
 * past validation, or a typo in code) fails at boot, never on first upload.
 */
export function createObjectStorage(config: ArenaConfig): ObjectStorage {
  const driver: string = config.media.storageDriver;
  switch (driver) {
    case "local":
      return new LocalStorage(join(config.dataDir, "media"));
    case "s3": {
      const bucket = config.media.s3.bucket;
      if (!bucket) throw new Error("STORAGE_DRIVER=s3 needs S3_BUCKET");
      return new S3Storage({ bucket, endpoint: config.media.s3.endpoint, region: config.media.awsRegion });
    }
    default:
      throw new Error(`Unknown storage driver ${JSON.stringify(driver)} (expected local or s3)`);
  }
}

/**
 * Embedded mode's generated secrets: each is made once, kept across restarts, and the VAPID key is always a
 * valid P-256 private key at its full 32-byte width (web-push refuses any other width on every send).
 */
import { createECDH } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateLocalSecrets, makeLocalSecret } from "../../../../lib/config/local-secrets";

describe("local secrets", () => {
  it("makes VAPID keys that are 32-byte P-256 scalars, every time", () => {
    // Node's ECDH drops a leading zero byte about once in 256 keys: 2,000 keys cover that case many times.
    for (let i = 0; i < 2000; i += 1) {
      const raw = Buffer.from(makeLocalSecret("VAPID_PRIVATE_KEY"), "base64url");
      expect(raw.length).toBe(32);
      expect(() => createECDH("prime256v1").setPrivateKey(raw)).not.toThrow();
    }
  });

  it("makes other secrets from 32 random bytes, different each time", () => {
    const a = makeLocalSecret("JWT_SECRET");
    expect(Buffer.from(a, "base64url").length).toBe(32);
    expect(makeLocalSecret("JWT_SECRET")).not.toBe(a);
  });

  it("keeps what it made across loads and adds only what is missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "arena-secrets-"));
    try {
      const first = loadOrCreateLocalSecrets(dir, ["MEDIA_URL_SECRET"]);
      const second = loadOrCreateLocalSecrets(dir, ["MEDIA_URL_SECRET", "VAPID_PRIVATE_KEY"]);
      expect(second.MEDIA_URL_SECRET).toBe(first.MEDIA_URL_SECRET);
      expect(Buffer.from(second.VAPID_PRIVATE_KEY as string, "base64url").length).toBe(32);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

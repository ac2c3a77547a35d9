/**
 * P-256 private keys (VAPID's) as the one encoding every consumer accepts: the scalar as exactly 32 big-endian
 * bytes. Big-integer encodings drop leading zero bytes (Node's ECDH getPrivateKey() gives 31 bytes about once
 * in 256 keys) or add a sign byte (33), and web-push refuses any width but 32 on every send. Used where a key
 * is made (embedded mode's generated secret) and where one is read (the Web Push sender).
 */
import { createECDH } from "node:crypto";

export const P256_SCALAR_BYTES = 32;

/** The same scalar at exactly 32 bytes; throws a RangeError for more significant bytes, zero or a value not below the curve order. */
export function p256ScalarAtFullWidth(raw: Buffer): Buffer {
  let start = 0;
  while (raw.length - start > P256_SCALAR_BYTES && raw[start] === 0) start++;
  const scalar = raw.subarray(start);
  if (scalar.length > P256_SCALAR_BYTES) throw new RangeError(`${raw.length} bytes, more than ${P256_SCALAR_BYTES}`);
  const fullWidth = Buffer.concat([Buffer.alloc(P256_SCALAR_BYTES - scalar.length), scalar]);
  try {
    // Throws for zero and for values not below the curve order.
    createECDH("prime256v1").setPrivateKey(fullWidth);
  } catch {
    throw new RangeError("out of the curve's range");
  }
  return fullWidth;
}

/** A new P-256 private key, base64url, at its full 32-byte width. */
export function newP256PrivateKey(): string {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return p256ScalarAtFullWidth(ecdh.getPrivateKey()).toString("base64url");
}

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { open, seal } from "./secret-box";
import type { JWK } from "jose";

/**
 * The built-in issuer's signing keys. Ed25519 (JWS alg EdDSA): small keys,
 * fast signatures, no parameter choices to get wrong. Private keys are kept
 * encrypted at rest with AES-256-GCM under a key derived (HKDF) from
 * config.auth.keyEncryptionSecret, so a database dump alone cannot mint tokens.
 *
 * Rotation keeps the previous key published in the JWKS so tokens signed just
 * before a rotation stay valid until they expire.
 */
export type KeyStatus = "current" | "previous" | "retired";
export const SIGNING_ALG = "EdDSA";

export interface StoredSigningKey {
  id: string; // the kid
  alg: string;
  status: KeyStatus;
  publicJwk: JWK;
  privateKeyEnc: string;
  createdAt: Date;
}

/**
 * A published key (RFC 8037 OKP, Ed25519): exactly the members `toJwks`
 * writes, so the JWKS response schema can promise them to verifiers.
 */
export interface PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  /** The public key, base64url. */
  x: string;
  kid: string;
  alg: typeof SIGNING_ALG;
  use: "sig";
}

export function encryptPrivateKey(pem: string, secret: string): string {
  return seal(pem, secret, "signing-key-encryption");
}

export function decryptPrivateKey(encrypted: string, secret: string): string {
  return open(encrypted, secret, "signing-key-encryption");
}

/** RFC 7638 thumbprint of an OKP key: a stable kid derived from the key itself. */
function thumbprint(jwk: JWK): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash("sha256").update(canonical).digest("base64url");
}

export function generateSigningKey(secret: string, now = new Date()): StoredSigningKey {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const publicJwk = publicKey.export({ format: "jwk" }) as JWK;
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  return {
    id: thumbprint(publicJwk),
    alg: SIGNING_ALG,
    status: "current",
    publicJwk,
    privateKeyEnc: encryptPrivateKey(pem, secret),
    createdAt: now,
  };
}

export function privateKeyObject(key: StoredSigningKey, secret: string): KeyObject {
  return createPrivateKey(decryptPrivateKey(key.privateKeyEnc, secret));
}

export function publicKeyObject(key: StoredSigningKey): KeyObject {
  return createPublicKey({ key: key.publicJwk as import("node:crypto").JsonWebKey, format: "jwk" });
}

/** Public keys only, current first: what `identity.jwks` returns. */
export function toJwks(keys: StoredSigningKey[]): { keys: PublicJwk[] } {
  const published = keys
    .filter((k) => k.status === "current" || k.status === "previous")
    .sort((a, b) =>
      a.status === b.status ? b.createdAt.getTime() - a.createdAt.getTime() : a.status === "current" ? -1 : 1,
    );
  return {
    keys: published.map(toPublicJwk),
  };
}

function toPublicJwk(k: StoredSigningKey): PublicJwk {
  const { kty, crv, x } = k.publicJwk;
  // Only Ed25519 keys are ever generated (generateSigningKey); anything else in the table is not ours to publish.
  if (kty !== "OKP" || crv !== "Ed25519" || typeof x !== "string" || k.alg !== SIGNING_ALG)
    throw new Error(`Signing key ${k.id} is not an Ed25519 key (${String(kty)}/${String(crv)}, ${k.alg})`);
  return { kty, crv, x, kid: k.id, alg: SIGNING_ALG, use: "sig" };
}

/**
 * Status changes for a rotation: the current key becomes previous (still
 * verifies), the old previous retires, and a new current is added.
 */
export function planRotation(keys: StoredSigningKey[]): Array<{ id: string; status: KeyStatus }> {
  return keys
    .filter((k) => k.status !== "retired")
    .map((k) => ({ id: k.id, status: k.status === "current" ? "previous" : "retired" }));
}

/** True when the current key is older than the rotation period. */
export function rotationDue(current: StoredSigningKey | undefined, now: Date, periodMs: number): boolean {
  return !current || now.getTime() - current.createdAt.getTime() >= periodMs;
}

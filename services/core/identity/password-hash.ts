import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * scrypt through node's async API: the work runs on the libuv thread pool, so
 * hashing a password never blocks the event loop of the identity node.
 * Parameters travel inside the stored hash, so raising the cost later keeps
 * old hashes verifiable (and `needsRehash` tells login to upgrade them).
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/** The parameters for a cost given as log2 N (PASSWORD_HASH_COST); r and p stay at their defaults. */
export function scryptForCost(log2N: number): ScryptParams {
  return { ...DEFAULT_SCRYPT, N: 2 ** log2N };
}
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$<salt b64url>$<key b64url>` */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p || N > 2 ** 20 || r > 32 || p > 16) return undefined;
  return {
    params: { N, r, p },
    salt: Buffer.from(parts[4] ?? "", "base64url"),
    key: Buffer.from(parts[5] ?? "", "base64url"),
  };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.key.length !== KEY_LENGTH) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.params.N < params.N || parsed.params.r !== params.r || parsed.params.p !== params.p;
}

/**
 * Verifying against this when the account does not exist makes a login for an
 * unknown email cost the same time as a wrong password (no user enumeration).
 */
const dummyHashes = new Map<number, Promise<string>>();
export function dummyPasswordHash(params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  // At the cost new accounts are hashed with, so the timing matches theirs.
  let hash = dummyHashes.get(params.N);
  if (!hash) {
    hash = hashPassword(randomBytes(16).toString("hex"), params);
    dummyHashes.set(params.N, hash);
  }
  return hash;
}

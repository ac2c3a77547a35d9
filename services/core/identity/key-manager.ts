import type { KeyObject } from "node:crypto";
import type { EntityStore } from "../../../mixins/db/entity-store";
import type { DbHandle } from "../../../mixins/db/sql-db";
import {
  generateSigningKey,
  planRotation,
  privateKeyObject,
  rotationDue,
  toJwks,
  type PublicJwk,
} from "./signing-keys";
import type { SigningKeyDoc } from "./identity.entities";

/** Rotate the signing key monthly; the previous key stays published until the next rotation. */
export const KEY_ROTATION_PERIOD_MS = 30 * 24 * 60 * 60 * 1000;
/** How long a node trusts its cached current key before re-reading (another node may have rotated). */
const CACHE_TTL_MS = 60_000;
// Any constant works; it only has to be the same on every identity node.
const KEY_LOCK_ID = 0x41524e41;

export interface SigningMaterial {
  kid: string;
  alg: string;
  key: KeyObject;
}

/**
 * Owns the issuer's signing keys: creates the first one at boot, rotates
 * (under an advisory lock so two identity nodes never both mint a current
 * key), and caches the decrypted current key for signing.
 */
export class KeyManager {
  private cached: { material: SigningMaterial; loadedAt: number } | undefined;

  constructor(
    private readonly store: EntityStore<SigningKeyDoc>,
    private readonly db: DbHandle,
    private readonly secret: string,
  ) {}

  /** Creates a current key when there is none, or rotates when it is older than the period. */
  async ensureCurrent(now = new Date(), periodMs = KEY_ROTATION_PERIOD_MS): Promise<void> {
    const current = await this.store.findOne({ status: "current" });
    if (!rotationDue(current ?? undefined, now, periodMs)) return;
    await this.rotate(now, (fresh) => rotationDue(fresh, now, periodMs));
  }

  /** Current → previous, previous → retired, new current. Returns the new kid. */
  async rotate(
    now = new Date(),
    stillNeeded: (current: SigningKeyDoc | undefined) => boolean = () => true,
  ): Promise<string | undefined> {
    const kid = await this.db.transaction(async () => {
      await this.db.query("SELECT pg_advisory_xact_lock($1)", [KEY_LOCK_ID]);
      const live = await this.store.find({ query: { status: { $in: ["current", "previous"] } } });
      // Re-checked under the lock: another node may have done it meanwhile.
      if (!stillNeeded(live.find((k) => k.status === "current"))) return undefined;
      for (const change of planRotation(live)) await this.store.updateById(change.id, { status: change.status });
      const fresh = generateSigningKey(this.secret, now);
      await this.store.insert({ ...fresh, id: fresh.id });
      return fresh.id;
    });
    this.cached = undefined;
    return kid;
  }

  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return toJwks(await this.store.find({ query: { status: { $in: ["current", "previous"] } } }));
  }

  async signingMaterial(): Promise<SigningMaterial> {
    if (this.cached && Date.now() - this.cached.loadedAt < CACHE_TTL_MS) return this.cached.material;
    let current = await this.store.findOne({ status: "current" });
    if (!current) {
      await this.ensureCurrent();
      current = await this.store.findOne({ status: "current" });
    }
    if (!current) throw new Error("No current signing key");
    const material = { kid: current.id, alg: current.alg, key: privateKeyObject(current, this.secret) };
    this.cached = { material, loadedAt: Date.now() };
    return material;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}

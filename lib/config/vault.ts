/**
 * Reads settings from HashiCorp Vault's KV v2 engine. Keys in the secret are
 * setting names (e.g. MEDIA_URL_SECRET); the environment still wins so an
 * operator can override one value without editing Vault.
 */
export interface VaultSource {
  addr: string;
  token: string;
  /** KV v2 data path, e.g. `secret/data/arena`. */
  kvPath: string;
}

interface KvV2Response {
  data?: { data?: Record<string, unknown> };
}

export class VaultReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VaultReadError";
  }
}

export async function readVaultSettings(
  source: VaultSource,
  fetchImpl: typeof fetch = fetch,
): Promise<Record<string, string>> {
  const url = `${source.addr.replace(/\/+$/, "")}/v1/${source.kvPath.replace(/^\/+/, "")}`;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { "X-Vault-Token": source.token }, signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw new VaultReadError(`Vault at ${source.addr} is unreachable: ${(err as Error).message}`);
  }
  if (!response.ok) throw new VaultReadError(`Vault answered ${response.status} for ${source.kvPath}`);
  const body = (await response.json()) as KvV2Response;
  const values = body.data?.data;
  if (!values || typeof values !== "object")
    throw new VaultReadError(`Vault path ${source.kvPath} is not a KV v2 secret`);
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      settings[key] = String(value);
  }
  return settings;
}

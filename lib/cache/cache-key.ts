/**
 * A cache key from its parts, such that two different part lists never share
 * a key: each part is its JSON text (a string quoted, its quotes escaped), an
 * absent one nothing, joined by commas. Read back the way a JSON array's
 * insides are, the key gives the parts again, so no text a part holds (a `|`,
 * a comma, a quote) can make it read as other parts. Parts joined with `|`
 * could: `category=a|b` and `category=a&tag=b|` shared one feed entry. As
 * cheap as the join on the hot path of every cached read (one small
 * JSON.stringify per part).
 */
export function cacheKey(parts: readonly unknown[]): string {
  let key = "";
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) key += ",";
    const part = parts[i];
    // undefined (a param not given) stays apart from null, which JSON would make of it.
    if (part !== undefined) key += JSON.stringify(part);
  }
  return key;
}

/** A value of the params, or of the meta for a `#`-prefixed path (`#user.id`), as Moleculer's cacher reads it. */
function valueAt(path: string, params: unknown, meta: unknown): unknown {
  const fromMeta = path.startsWith("#");
  let value: unknown = fromMeta ? meta : params;
  for (const name of (fromMeta ? path.slice(1) : path).split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/**
 * The keygen of the platform's cachers (bin/broker-options.ts): `<action>:<cacheKey of the cache keys' values>`.
 * Moleculer's default joins the values with `|`, so channels.list's `category` and `cursor` could make two
 * different requests one entry. The `<action>:` prefix is kept: invalidation cleans `<service>.**`.
 */
export function actionCacheKey(
  actionName: string,
  params: unknown,
  meta: unknown,
  keys: readonly string[] | undefined | null,
): string {
  if (!keys) return `${actionName}:${JSON.stringify(params ?? null)}`;
  if (keys.length === 0) return actionName;
  return `${actionName}:${cacheKey(keys.map((key) => valueAt(key, params, meta)))}`;
}

/**
 * The page of a broad query (more matches than matchCap), without reading
 * every match: tier by tier (3, 2, 1, 0), the order is the same within a
 * tier (live, popularity, id), so each tier is read either whole (its
 * indexed superset is small: sorted) or by walking the rank index
 * (`live DESC, popularity DESC, id`, migrations/004) and testing each row,
 * which fills a page after about `page / share of the tier` rows. The
 * tiers are concatenated in rank order and the LIMIT stops pulling once the
 * page is full, so a lower tier is not read when higher ones fill the page.
 * Either way each tier's order is exact; the first statement's sample only
 * picks which way is cheaper.
 */
import type { QueryTerms } from "./query-terms";
import {
  afterSql,
  Binds,
  cols,
  filterSql,
  HIT_COLUMNS,
  tierSql,
  type SearchFilters,
  type SortKey,
} from "./search-statement";

/** What the first statement read: at most matchCap + 1 matches, in table order. */
export interface MatchSample {
  n: number;
  /** Highest table block of a match read; null when none. */
  blk: number | null;
  /** Blocks of the documents table. */
  blocks: number;
  /** Rows of the documents table (the planner's count). */
  docs: number;
  broad: boolean;
  /** Matches of the type asked of tier 3, of tier 2 or better, of tier 1 or better. */
  s3: number;
  s2: number;
  s1: number;
}

/**
 * How many matches the whole table holds per match of the sample: the sample is every match in the
 * table's first `blk + 1` blocks (a GIN index's matches come in table order), so about
 * blocks / (blk + 1) times as many. Rows lie in insertion order: this assumes older and newer
 * documents match alike.
 */
export function extrapolation(sample: MatchSample): number {
  if (!sample.broad || sample.blk === null) return 1;
  return Math.max(1, sample.blocks / (sample.blk + 1));
}

export type TierRead = "whole" | "walk";

/**
 * For each tier the cursor has not passed: read whole (cost: its superset's rows) or walk (cost:
 * walkRowCost per row passed, about (page / the tier's share of the table) rows).
 */
export function planTiers(
  sample: MatchSample,
  opts: {
    withTerms: boolean;
    corrected: boolean;
    afterTier: number;
    limit: number;
    matchCap: number;
    walkRowCost: number;
  },
): Array<[tier: number, read: TierRead]> {
  // Without words every visible document is tier 0: walk.
  if (!opts.withTerms) return [[0, "walk"]];
  const scale = extrapolation(sample);
  const atLeast = [0, sample.s1, sample.s2, sample.s3, 0];
  const plan: Array<[number, TierRead]> = [];
  for (let t = Math.min(3, opts.afterTier); t >= 1; t--) {
    const superset = (atLeast[t] ?? 0) * scale;
    const share = (Math.max((atLeast[t] ?? 0) - (atLeast[t + 1] ?? 0), 1) * scale) / Math.max(sample.docs, 1);
    const walkCost = (opts.walkRowCost * (opts.limit + 1)) / share;
    plan.push([t, superset <= Math.max(opts.matchCap, walkCost) ? "whole" : "walk"]);
  }
  // Tier 0 (matched only through a spelling correction) exists only when something was corrected.
  if (opts.corrected) plan.push([0, "walk"]);
  return plan;
}

export interface BroadPageInput {
  terms: QueryTerms | null;
  /** The first statement's tsquery (corrections included), as PostgreSQL printed it; null without words. */
  full: string | null;
  filters: SearchFilters;
  blocked: string[];
  after: SortKey | null;
  limit: number;
  plan: Array<[number, TierRead]>;
}

export function broadPageStatement(input: BroadPageInput): { sql: string; binds: unknown[] } {
  const b = new Binds();
  const words = input.full !== null && input.terms ? input.terms : null;
  const full = words ? b.add(input.full, "::tsquery") : null;
  const exact = words ? b.add(words.exact, "::tsquery") : "";
  const prefix = words ? b.add(words.prefix, "::tsquery") : "";
  const tier = words ? tierSql(exact, prefix) : "0";
  // Per tier, an indexed condition every document of that tier meets (tier t or better).
  const supersets: Record<number, string> = {
    3: `d.title_tsv @@ ${exact}`,
    2: `d.title_tsv @@ ${prefix}`,
    1: `d.tsv @@ ${prefix}`,
  };
  const filters = filterSql(b, input.filters, input.blocked);
  if (input.filters.type) filters.push(`d.type = ${b.add(input.filters.type)}`);
  const limit = b.add(input.limit + 1, "::int");
  const after = afterSql(b, input.after);
  const branches = input.plan.map(([t, read]) => {
    // ts_match_vq is what @@ calls; as a function it cannot use the GIN index, so a walk stays a walk.
    const match = !full
      ? []
      : read === "whole"
        ? [`d.tsv @@ ${full}`, supersets[t] ?? "true"]
        : [`ts_match_vq(d.tsv, ${full})`];
    const where = ["d.visible", ...match, ...(full ? [`(${tier}) = ${t}`] : []), ...filters];
    return `(SELECT d.id, ${t} AS tier, d.live, d.popularity FROM documents d
       WHERE ${where.join(" AND ")} ${after(cols("d", String(t)))}
       ORDER BY d.live DESC, d.popularity DESC, d.id LIMIT ${limit})`;
  });
  const sql = `SELECT coalesce(json_agg(r ORDER BY r.tier DESC, r.live DESC, r.popularity DESC, r.id), '[]'::json) AS items
    FROM (SELECT ${HIT_COLUMNS}, top.tier
            FROM (SELECT u.id, u.tier FROM (${branches.join("\n      UNION ALL ")}) u LIMIT ${limit}) top
            JOIN documents d ON d.id = top.id) r`;
  return { sql, binds: b.values };
}

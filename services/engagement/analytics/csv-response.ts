import type { AnalyticsContext } from "./analytics.context";
import { toCsv, type SeriesTable } from "./series";

/** `?format=csv`: the series as text/csv (a download), otherwise the JSON result. */
export function respond<R>(
  ctx: AnalyticsContext<{ format?: "json" | "csv" }>,
  name: string,
  series: SeriesTable,
  json: R,
): R | string {
  if (ctx.params.format !== "csv") return json;
  ctx.meta.$responseType = "text/csv; charset=utf-8";
  ctx.meta.$responseHeaders = { "Content-Disposition": `attachment; filename="${name}.csv"` };
  return toCsv(series);
}

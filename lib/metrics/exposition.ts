/**
 * Renders Moleculer's metric registry in the Prometheus text format (0.0.4)
 * the way Prometheus expects it, which Moleculer's own reporter does not:
 * a histogram is buckets, _sum and _count only (no quantile, min, mean or
 * _rate series under a histogram TYPE), counters end in `_total`, and
 * metrics that describe the host rather than the service are never shown.
 */
import type { MetricRegistry } from "moleculer";

/** Label values that identify people or machines: none may reach /metrics (issue 9, "metrics leak host details"). */
export const HOST_DETAIL_METRICS = [/^os\./, /^process\.argv$/, /^process\.arguments$/, /^process\.(pid|ppid)$/];

type Labels = Record<string, string | number | boolean | null | undefined>;

interface ValueItem {
  labels?: Labels;
  value?: number | string | null;
}

interface HistogramItem {
  labels?: Labels;
  count?: number;
  sum?: number;
  buckets?: Record<string, number>;
  quantiles?: Record<string, number>;
}

interface RegistryMetric {
  name: string;
  type: string;
  description?: string;
  unit?: string;
  snapshot(): unknown[];
}

/** `arena.realtime.messages.in` → `arena_realtime_messages_in`, `messages.deadLettering` → `messages_dead_lettering`. */
export function promName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z]+)/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_:]/g, "_");
}

/** Moleculer's camelCase label names (`nodeID`, `errorName`) in Prometheus' snake_case (`node_id`, `error_name`). */
export function promLabelName(name: string): string {
  return promName(name);
}

function escapeLabel(value: unknown): string {
  return String(value).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function num(value: unknown): string {
  if (value === null || value === undefined) return "NaN";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? "+Inf" : "-Inf";
  return String(Number(value));
}

function labelString(defaults: Labels, labels: Labels | undefined, extra: Labels = {}): string {
  const merged: Labels = { ...defaults, ...(labels ?? {}), ...extra };
  const parts = Object.entries(merged)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${promLabelName(k)}="${escapeLabel(v ?? "")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function isExcluded(name: string): boolean {
  return name.startsWith("os.datetime") || HOST_DETAIL_METRICS.some((re) => re.test(name));
}

function renderHistogram(out: string[], name: string, defaults: Labels, items: HistogramItem[]): void {
  const withBuckets = items.some((i) => i.buckets);
  out.push(`# TYPE ${name} ${withBuckets ? "histogram" : "summary"}`);
  for (const item of items) {
    if (withBuckets) {
      for (const [le, count] of Object.entries(item.buckets ?? {}))
        out.push(`${name}_bucket${labelString(defaults, item.labels, { le })} ${num(count)}`);
      out.push(`${name}_bucket${labelString(defaults, item.labels, { le: "+Inf" })} ${num(item.count ?? 0)}`);
    } else {
      for (const [quantile, value] of Object.entries(item.quantiles ?? {}))
        out.push(`${name}${labelString(defaults, item.labels, { quantile })} ${num(value)}`);
    }
    out.push(`${name}_sum${labelString(defaults, item.labels)} ${num(item.sum ?? 0)}`);
    out.push(`${name}_count${labelString(defaults, item.labels)} ${num(item.count ?? 0)}`);
  }
}

/** The exposition of every registered metric that has at least one value. */
export function renderRegistry(registry: MetricRegistry, defaults: Labels): string {
  const out: string[] = [];
  for (const metric of registry.store.values() as IterableIterator<RegistryMetric>) {
    if (isExcluded(metric.name)) continue;
    const items = metric.snapshot();
    if (items.length === 0) continue;
    let name = promName(metric.name);
    if (metric.type === "counter" && !name.endsWith("_total")) name += "_total";
    const help = metric.description ?? `${metric.name}${metric.unit ? ` (${metric.unit})` : ""}`;
    out.push(`# HELP ${name} ${escapeHelp(help)}`);
    if (metric.type === "histogram") {
      renderHistogram(out, name, defaults, items as HistogramItem[]);
    } else if (metric.type === "info") {
      out.push(`# TYPE ${name} gauge`);
      for (const item of items as ValueItem[])
        out.push(`${name}${labelString(defaults, item.labels, { value: item.value ?? "" })} 1`);
    } else {
      out.push(`# TYPE ${name} ${metric.type === "counter" ? "counter" : "gauge"}`);
      for (const item of items as ValueItem[])
        out.push(`${name}${labelString(defaults, item.labels)} ${num(item.value)}`);
    }
  }
  return out.length ? `${out.join("\n")}\n` : "";
}

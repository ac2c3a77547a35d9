/**
 * The Grafana dashboards in deploy/grafana/dashboards, read as data: every
 * PromQL expression in them (panel targets and template variable queries),
 * with Grafana's variables replaced by what Prometheus itself accepts, and
 * the metric names each expression reads.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const DASHBOARD_DIR = join(__dirname, "..", "..", "deploy", "grafana", "dashboards");

export interface DashboardExpr {
  dashboard: string;
  panel: string;
  /** As Prometheus would receive it from Grafana with every node selected. */
  expr: string;
}

interface Panel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: { list?: Array<{ name: string; query?: string | { query?: string } }> };
}

export function loadDashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), "utf8")) as Dashboard }));
}

/** Grafana's built-ins and the dashboards' own `$node` (all nodes: ".*"). */
export function substituteVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$__interval|\$__range/g, "1m")
    .replace(/\$\{?node\}?/g, ".*")
    .trim();
}

export function dashboardExprs(): DashboardExpr[] {
  const out: DashboardExpr[] = [];
  const walk = (dashboard: string, panels: Panel[]): void => {
    for (const panel of panels) {
      for (const target of panel.targets ?? [])
        if (target.expr) out.push({ dashboard, panel: panel.title ?? "?", expr: substituteVariables(target.expr) });
      walk(dashboard, panel.panels ?? []);
    }
  };
  for (const { file, dashboard } of loadDashboards()) {
    walk(file, dashboard.panels);
    for (const variable of dashboard.templating?.list ?? []) {
      const raw = typeof variable.query === "string" ? variable.query : variable.query?.query;
      // label_values(<selector>, label) is Grafana's; the selector inside is PromQL.
      const selector = raw && /^label_values\((.*),\s*\w+\)$/.exec(raw)?.[1];
      if (selector) out.push({ dashboard: file, panel: `$${variable.name}`, expr: substituteVariables(selector) });
    }
  }
  return out;
}

const FUNCTIONS_AND_KEYWORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "sum",
  "min",
  "max",
  "avg",
  "count",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "quantile",
  "count_values",
  "group",
  "inf",
  "nan",
]);

/** Metric names an expression reads (label matchers, ranges, grouping labels and functions stripped). */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    const after = stripped.slice((match.index ?? 0) + word.length).trimStart();
    if (after.startsWith("(") || FUNCTIONS_AND_KEYWORDS.has(word.toLowerCase())) continue;
    if (/^\d/.test(word)) continue;
    names.add(word);
  }
  return [...names];
}

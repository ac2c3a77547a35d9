/**
 * The operator's side as files: the Prometheus config and rules pass
 * `promtool check`, the alert and recording rules pass their own
 * `promtool test rules` cases, every alert has a runbook line in
 * docs/operations.md, and every PromQL expression in the Grafana dashboards
 * parses. (Whether the dashboards read metrics that really exist is checked
 * against a scraped cluster in test/e2e/platform/observability.test.ts.)
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { dashboardExprs, loadDashboards } from "../../helpers/dashboards";
import { createTempDir } from "../../helpers/infra";

const ROOT = join(__dirname, "..", "..", "..");
const PROM = join(ROOT, "deploy", "prometheus");

function promtool(args: string[], cwd = PROM): { status: number | null; out: string } {
  const run = spawnSync("promtool", args, { cwd, encoding: "utf8" });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

interface RuleFile {
  groups: Array<{
    name: string;
    rules: Array<{ alert?: string; record?: string; annotations?: Record<string, string> }>;
  }>;
}

const ruleFiles = readdirSync(join(PROM, "rules")).filter((f) => f.endsWith(".yml"));
const rules = ruleFiles.flatMap((f) =>
  (parse(readFileSync(join(PROM, "rules", f), "utf8")) as RuleFile).groups.flatMap((g) => g.rules),
);

describe("Prometheus config and rules", () => {
  it("pass promtool check config (which checks the rule files too)", () => {
    const check = promtool(["check", "config", "prometheus.yml"]);
    expect(check).toMatchObject({ status: 0 });
    for (const f of ruleFiles) expect(check.out).toContain(`rules/${f}`);
  });

  it("for Kubernetes, discover the annotated pods of the arena namespace (promtool checks the rest)", () => {
    const config = parse(readFileSync(join(PROM, "prometheus-kubernetes.yml"), "utf8")) as {
      scrape_configs: Array<Record<string, unknown> & { kubernetes_sd_configs?: unknown }>;
    };
    const [job] = config.scrape_configs;
    expect(job?.kubernetes_sd_configs).toEqual([{ role: "pod", namespaces: { names: ["arena"] } }]);
    // Debian's prometheus is built without Kubernetes discovery: check everything else (relabelling,
    // rules) with promtool on a copy whose targets are static.
    const dir = createTempDir("arena-prom-k8s-");
    try {
      delete job?.kubernetes_sd_configs;
      if (job) job.static_configs = [{ targets: ["10.1.2.3:3030"] }];
      writeFileSync(join(dir.path, "prometheus.yml"), stringify(config));
      const check = promtool(["check", "config", join(dir.path, "prometheus.yml")]);
      expect({ status: check.status, out: check.status === 0 ? "" : check.out }).toEqual({ status: 0, out: "" });
    } finally {
      dir.remove();
    }
  });

  it("pass their promtool unit tests", () => {
    const tests = readdirSync(join(PROM, "tests")).map((f) => join("tests", f));
    const run = promtool(["test", "rules", ...tests]);
    expect({ status: run.status, out: run.status === 0 ? "" : run.out }).toEqual({ status: 0, out: "" });
  });

  it("have a test for every alert", () => {
    const tested = readdirSync(join(PROM, "tests"))
      .map((f) => readFileSync(join(PROM, "tests", f), "utf8"))
      .join("\n");
    const alerts = rules.filter((r) => r.alert).map((r) => r.alert as string);
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    for (const alert of alerts) expect(tested).toContain(`alertname: ${alert}`);
  });

  it("give every alert a summary and a runbook line in docs/operations.md", () => {
    const docs = readFileSync(join(ROOT, "docs", "operations.md"), "utf8");
    for (const rule of rules.filter((r) => r.alert)) {
      const alert = rule.alert as string;
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.runbook).toBe(`docs/operations.md#${alert.toLowerCase()}`);
      // A heading named after the alert, followed by what to do.
      expect(docs).toMatch(new RegExp(`^#+ ${alert}\\n+\\S`, "m"));
    }
  });
});

describe("Grafana dashboards", () => {
  const dashboards = loadDashboards();
  const datasources = parse(
    readFileSync(join(ROOT, "deploy", "grafana", "provisioning", "datasources", "prometheus.yml"), "utf8"),
  ) as { datasources: Array<{ uid: string }> };

  it("cover the platform, chat, live and durable events, with unique uids", () => {
    expect(dashboards.map((d) => d.file).sort()).toEqual([
      "chat.json",
      "durable-events.json",
      "live.json",
      "platform-overview.json",
    ]);
    expect(new Set(dashboards.map((d) => d.dashboard.uid)).size).toBe(dashboards.length);
  });

  it("use only the provisioned Prometheus data source", () => {
    const uids = new Set(datasources.datasources.map((d) => d.uid));
    for (const { file } of dashboards) {
      const text = readFileSync(join(ROOT, "deploy", "grafana", "dashboards", file), "utf8");
      for (const m of text.matchAll(/"datasource":\s*\{[^}]*"uid":\s*"([^"]+)"/g)) expect(uids).toContain(m[1]);
    }
  });

  it("has only PromQL that parses (promtool check rules over every expression)", () => {
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThan(20);
    const dir = createTempDir("arena-dashboard-exprs-");
    try {
      const file = join(dir.path, "dashboards.yml");
      writeFileSync(
        file,
        stringify({
          groups: [
            { name: "dashboards", rules: exprs.map((e, i) => ({ record: `dashboard:expr_${i}`, expr: e.expr })) },
          ],
        }),
      );
      const check = promtool(["check", "rules", file], dir.path);
      expect({ status: check.status, out: check.status === 0 ? "" : check.out }).toEqual({ status: 0, out: "" });
    } finally {
      dir.remove();
    }
  });
});

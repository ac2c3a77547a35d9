/**
 * Docker and Kubernetes files cannot be run here (no Docker engine, no
 * cluster), so they are validated as data: every node has probes and limits,
 * runs as non-root, starts only services that exist, and gets secrets only
 * from Secret references, never literal values.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parse } from "yaml";
import { SETTINGS, type SettingSpec } from "../../../lib/config/settings";
import { findServiceFiles } from "../../../bin/service-files";

const ROOT = join(__dirname, "..", "..", "..");
const KNOWN = new Set<string>(SETTINGS.map((s: SettingSpec) => s.env));
const SECRET = new Set<string>(
  SETTINGS.filter((s: SettingSpec) => s.secret)
    .map((s) => s.env)
    .concat(["DATABASE_URL"]),
);
const serviceNames = new Set(findServiceFiles(join(ROOT, "services"), ".ts").keys());

type K8sDoc = {
  kind: string;
  metadata: { name: string };
  spec?: any;
  data?: Record<string, string>;
  resources?: string[];
};
const k8sDocs: K8sDoc[] = readdirSync(join(ROOT, "k8s"))
  .filter((f) => f.endsWith(".yaml"))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(join(ROOT, "k8s", f), "utf8")).map((d) => {
      if (d.errors.length) throw new Error(`${f}: ${d.errors[0]?.message}`);
      return d.toJS() as K8sDoc;
    }),
  );

describe("Kubernetes manifests", () => {
  const deployments = k8sDocs.filter((d) => d.kind === "Deployment");

  it("kustomization lists files that exist", () => {
    const kustomization = parse(readFileSync(join(ROOT, "k8s", "kustomization.yaml"), "utf8")) as {
      resources: string[];
    };
    const files = new Set(readdirSync(join(ROOT, "k8s")));
    expect(kustomization.resources.length).toBeGreaterThan(5);
    for (const r of kustomization.resources) expect(files.has(r)).toBe(true);
  });

  it("has a deployment for each kind of node, and the WAF edge", () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      "arena-api",
      "arena-core",
      "arena-edge",
      "arena-media",
      "arena-realtime",
    ]);
  });

  it.each(["api", "core", "media", "realtime"])(
    "arena-%s has probes, limits, a non-root user and real services",
    (name) => {
      const dep = deployments.find((d) => d.metadata.name === `arena-${name}`)!;
      const pod = dep.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      const [container] = pod.containers;
      expect(container.livenessProbe.httpGet.path).toMatch(/^\//);
      expect(container.readinessProbe.httpGet.path).toMatch(/^\//);
      expect(container.resources.limits.cpu).toBeDefined();
      expect(container.resources.limits.memory).toBeDefined();
      expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      const env = container.env as { name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }[];
      for (const e of env) expect(KNOWN.has(e.name)).toBe(true);
      for (const e of env.filter((x) => SECRET.has(x.name))) {
        expect(e.value).toBeUndefined();
        expect(e.valueFrom?.secretKeyRef).toBeDefined();
      }
      const services = env.find((e) => e.name === "ARENA_SERVICES")!.value!.split(",");
      for (const s of services) expect(serviceNames).toContain(s);
    },
  );

  it("runs every service on some node (a service on no node is never started in production)", () => {
    const placed = deployments.flatMap((d) => {
      const [container] = d.spec.template.spec.containers as { env?: { name: string; value?: string }[] }[];
      return (container.env?.find((e) => e.name === "ARENA_SERVICES")?.value ?? "").split(",");
    });
    expect([...serviceNames].filter((s) => !placed.includes(s))).toEqual([]);
  });

  it("keeps secrets out of the ConfigMap and only uses known settings", () => {
    const cm = k8sDocs.find((d) => d.kind === "ConfigMap")!;
    for (const key of Object.keys(cm.data!)) {
      expect(KNOWN.has(key)).toBe(true);
      expect(SECRET.has(key)).toBe(false);
    }
  });

  it("every Service selects pods some Deployment creates", () => {
    const labels = deployments.map((d) => d.spec.template.metadata.labels["app.kubernetes.io/component"]);
    for (const svc of k8sDocs.filter((d) => d.kind === "Service")) {
      expect(labels).toContain(svc.spec.selector["app.kubernetes.io/component"]);
    }
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; image?: string; build?: string }>;
  };
  const arenaNodes = Object.entries(compose.services).filter(([, s]) => s.build === ".");

  it("runs the four kinds of node with real service names", () => {
    expect(arenaNodes.map(([n]) => n).sort()).toEqual(["api", "core", "media", "realtime"]);
    for (const [, node] of arenaNodes) {
      for (const s of node.environment!.ARENA_SERVICES!.split(",")) expect(serviceNames).toContain(s);
    }
  });

  it("runs every service on some node", () => {
    const placed = arenaNodes.flatMap(([, node]) => node.environment!.ARENA_SERVICES!.split(","));
    expect([...serviceNames].filter((s) => !placed.includes(s))).toEqual([]);
  });

  it("uses only known settings and takes secrets from the operator's environment", () => {
    for (const [, node] of arenaNodes) {
      for (const [key, value] of Object.entries(node.environment!)) {
        expect(KNOWN.has(key)).toBe(true);
        if (SECRET.has(key)) expect(String(value)).toMatch(/\$\{[A-Z_]+:\?/);
      }
    }
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it("builds with the type-checking build in a separate stage", () => {
    expect(stages.length).toBe(2);
    expect(stages[0]).toMatch(/RUN npm ci/);
    expect(stages[0]).toMatch(/npm run build/);
  });

  it("ships only compiled code and production dependencies, as a non-root user, with a health check", () => {
    const runtime = stages[1]!;
    const copies = runtime.split("\n").filter((l) => l.startsWith("COPY"));
    for (const c of copies) expect(c).toMatch(/--from=build .*\/app\/(package\.json|node_modules|dist) /);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(runtime).not.toMatch(/COPY .*(test|services|lib)\b/);
  });

  it(".dockerignore keeps tests, local data and git out of the build context", () => {
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["test", ".data", ".git", "node_modules", ".env"]) expect(ignored).toContain(entry);
  });
});

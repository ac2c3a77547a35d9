/**
 * Who may talk to whom on Kubernetes, read from the manifests: the WAF edge
 * is the ingress and the only workload open to the internet besides RTMP
 * ingest; api and realtime take traffic from the edge only; every node has
 * its own identity; Istio enforces mutual TLS (STRICT) with an ALLOW policy
 * per workload; NetworkPolicy gives the same fences without a mesh.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";

const ROOT = join(__dirname, "..", "..", "..");
const K8S = join(ROOT, "k8s");

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Manifests are free-form data; each test narrows what it reads.
  spec?: any;
}

function load(file: string): Doc[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => d.toJS() as Doc)
    .filter(Boolean);
}

const base = readdirSync(K8S)
  .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
  .flatMap((f) => load(join(K8S, f)));
const mesh = load(join(K8S, "istio", "mesh.yaml"));
const NODES = ["api", "realtime", "core", "media"] as const;
const COMPONENTS = [...NODES, "edge"] as const;
const principal = (sa: string) => `cluster.local/ns/arena/sa/${sa}`;

const deployment = (component: string) =>
  base.find((d) => d.kind === "Deployment" && d.metadata.name === `arena-${component}`)!;
const containerPorts = (component: string): number[] =>
  deployment(component).spec.template.spec.containers.flatMap((c: { ports?: Array<{ containerPort: number }> }) =>
    (c.ports ?? []).map((p) => p.containerPort),
  );
const selects = (selector: Record<string, string> | undefined, component: string): boolean =>
  selector !== undefined &&
  Object.entries(selector).every(([k, v]) => deployment(component).spec.template.metadata.labels[k] === v);

describe("the edge is the ingress", () => {
  it("replaces the plain nginx Ingress with a load-balanced edge that keeps client addresses", () => {
    expect(base.filter((d) => d.kind === "Ingress")).toEqual([]);
    const svc = base.find((d) => d.kind === "Service" && d.metadata.name === "arena-edge")!;
    expect(svc.spec).toMatchObject({ type: "LoadBalancer", externalTrafficPolicy: "Local" });
    expect(svc.spec.ports.map((p: { port: number; targetPort: number }) => [p.port, p.targetPort])).toEqual([
      [443, 8443],
      [80, 8080],
    ]);
    // Only the edge and RTMP ingest face the internet.
    const exposed = base
      .filter((d) => d.kind === "Service" && d.spec.type === "LoadBalancer")
      .map((d) => d.metadata.name);
    expect(exposed.sort()).toEqual(["arena-edge", "arena-rtmp"]);
  });

  it("runs the deploy/edge image as non-root, with the TLS secret and the nodes' body limits", () => {
    const pod = deployment("edge").spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const [container] = pod.containers;
    expect(container.image).toMatch(/^arena-edge:/);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env.EDGE_API_UPSTREAM).toMatch(/^arena-api\./);
    expect(env.EDGE_REALTIME_UPSTREAM).toMatch(/^arena-realtime\./);
    const template = readFileSync(join(ROOT, "deploy", "edge", "nginx.conf.template"), "utf8");
    const placeholders = new Set([...template.matchAll(/\$\{(EDGE_[A-Z0-9_]+)\}/g)].map((m) => m[1]));
    // The media URL key comes from the nodes' secret and reaches nginx through its environment (the `env`
    // directive, read by media-grant.js), never through the rendered config.
    const fromSecrets = container.env.filter((e: { valueFrom?: unknown }) => e.valueFrom);
    expect(fromSecrets).toEqual([
      {
        name: "EDGE_MEDIA_URL_SECRET",
        valueFrom: { secretKeyRef: { name: "arena-secrets", key: "MEDIA_URL_SECRET" } },
      },
    ]);
    expect(template).toContain("env EDGE_MEDIA_URL_SECRET;");
    expect(placeholders.has("EDGE_MEDIA_URL_SECRET")).toBe(false);
    for (const name of Object.keys(env).filter((n) => n !== "EDGE_MEDIA_URL_SECRET"))
      expect(placeholders).toContain(name);
    expect(pod.volumes.find((v: { name: string }) => v.name === "tls").secret.secretName).toBe("arena-tls");
  });
});

describe("identities", () => {
  it.each(COMPONENTS)("arena-%s runs under its own service account", (component) => {
    const sa = deployment(component).spec.template.spec.serviceAccountName;
    expect(sa).toBe(`arena-${component}`);
    expect(base.some((d) => d.kind === "ServiceAccount" && d.metadata.name === sa)).toBe(true);
  });
});

describe("Istio", () => {
  const peer = mesh.filter((d) => d.kind === "PeerAuthentication");
  const authz = mesh.filter((d) => d.kind === "AuthorizationPolicy");
  const policyOf = (component: string) => authz.filter((p) => selects(p.spec.selector?.matchLabels, component));
  const rules = (component: string) =>
    policyOf(component).flatMap((p) => p.spec.rules as Array<{ from?: any[]; to?: any[] }>);
  const ports = (rule: { to?: any[] }): string[] => (rule.to ?? []).flatMap((t) => t.operation?.ports ?? []);

  it("is applied by k8s/istio on top of the base manifests", () => {
    const kustomization = parse(readFileSync(join(K8S, "istio", "kustomization.yaml"), "utf8")) as {
      resources: string[];
    };
    expect(kustomization.resources).toEqual(["../", "mesh.yaml"]);
  });

  it("requires mutual TLS namespace-wide, with plain TCP only where outsiders connect (edge, RTMP)", () => {
    const namespaceWide = peer.filter((p) => !p.spec.selector);
    expect(namespaceWide.map((p) => p.spec.mtls.mode)).toEqual(["STRICT"]);
    const exceptions = peer
      .filter((p) => p.spec.portLevelMtls)
      .map((p) => [
        COMPONENTS.find((c) => selects(p.spec.selector.matchLabels, c)),
        Object.keys(p.spec.portLevelMtls).sort(),
      ]);
    expect(exceptions).toEqual([
      ["edge", ["8080", "8443"]],
      ["media", ["1935"]],
    ]);
  });

  it.each(COMPONENTS)("arena-%s has an ALLOW policy whose ports are ports it listens on", (component) => {
    const policies = policyOf(component);
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) expect(p.spec.action).toBe("ALLOW");
    const listening = containerPorts(component).map(String);
    for (const rule of rules(component)) for (const port of ports(rule)) expect(listening).toContain(port);
  });

  it("lets only the edge reach api and realtime, and nothing reach core but the scraper", () => {
    const edgeCallers = (component: string) =>
      rules(component).filter((r) =>
        (r.from ?? []).some((f) => f.source?.principals?.includes(principal("arena-edge"))),
      );
    expect(NODES.filter((c) => edgeCallers(c).length > 0)).toEqual(["api", "realtime"]);
    expect(edgeCallers("api").flatMap(ports)).toEqual(["3000"]);
    expect(edgeCallers("realtime").flatMap(ports)).toEqual(["3001"]);
    // A rule without `from` admits anyone: only the edge's public ports and RTMP have one.
    const open = COMPONENTS.flatMap((c) =>
      rules(c)
        .filter((r) => !r.from)
        .map((r) => [c, ports(r).sort()]),
    );
    expect(open).toEqual([
      ["media", ["1935"]],
      ["edge", ["8080", "8443"]],
    ]);
    for (const rule of rules("core")) expect(rule.from).toEqual([{ source: { namespaces: ["monitoring"] } }]);
  });

  it("lets each store be reached by the nodes that use it, and no one else", () => {
    const callers = (store: string) =>
      authz
        .filter((p) => p.spec.selector.matchLabels["app.kubernetes.io/name"] === store)
        .flatMap((p) => p.spec.rules.flatMap((r: { from: any[] }) => r.from.flatMap((f) => f.source.principals)));
    expect(callers("nats").sort()).toEqual(NODES.map((n) => principal(`arena-${n}`)).sort());
    expect(callers("postgresql").sort()).toEqual([principal("arena-core"), principal("arena-media")]);
    expect(callers("mongodb")).toEqual([principal("arena-media")]);
    expect(callers("nats")).not.toContain(principal("arena-edge"));
  });
});

describe("NetworkPolicy (clusters without a mesh)", () => {
  const policies = base.filter((d) => d.kind === "NetworkPolicy");
  const selecting = (component: string) => policies.filter((p) => selects(p.spec.podSelector.matchLabels, component));
  const ingress = (component: string) => selecting(component).flatMap((p) => p.spec.ingress ?? []);
  const egress = (component: string) => selecting(component).flatMap((p) => p.spec.egress ?? []);
  const fromComponent = (rule: { from?: any[] }): string[] =>
    (rule.from ?? []).map((f) => f.podSelector?.matchLabels?.["app.kubernetes.io/component"]).filter(Boolean);
  const portsOf = (rule: { ports?: Array<{ port: number }> }) => (rule.ports ?? []).map((p) => p.port);

  it("denies everything by default to every Arena pod, both ways", () => {
    const deny = policies.find((p) => p.metadata.name === "arena-default-deny")!;
    expect(deny.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "arena" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [],
    });
  });

  it("opens ingress only as the mesh does: edge from anywhere, api/realtime from the edge, RTMP, metrics", () => {
    const openToAll = COMPONENTS.flatMap((c) =>
      ingress(c)
        .filter((r) => !r.from)
        .map((r) => [c, portsOf(r).sort()]),
    );
    expect(openToAll).toEqual([
      ["media", [1935]],
      ["edge", [8080, 8443]],
    ]);
    const fromEdge = NODES.filter((c) => ingress(c).some((r) => fromComponent(r).includes("edge")));
    expect(fromEdge).toEqual(["api", "realtime"]);
    for (const c of NODES) {
      for (const rule of ingress(c)) for (const port of portsOf(rule)) expect(containerPorts(c)).toContain(port);
      const scrape = ingress(c).find((r) => portsOf(r).includes(3030));
      expect(scrape?.from).toEqual([
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
      ]);
    }
  });

  it("lets the edge out to api and realtime only (and DNS), and each node to the stores it uses", () => {
    const storesOf = (c: string) =>
      egress(c)
        .flatMap((r: { to?: any[] }) => r.to ?? [])
        .map(
          (t) =>
            t.podSelector?.matchLabels?.["app.kubernetes.io/component"] ??
            t.podSelector?.matchLabels?.["app.kubernetes.io/name"],
        )
        .filter(Boolean)
        .sort();
    expect(storesOf("edge")).toEqual(["api", "realtime"]);
    expect(egress("edge").some((r: { to?: any[] }) => (r.to ?? []).some((t) => t.ipBlock))).toBe(false);
    expect(storesOf("api")).toEqual(["nats", "redis"]);
    expect(storesOf("realtime")).toEqual(["nats", "redis"]);
    expect(storesOf("core")).toEqual(["nats", "postgresql", "redis"]);
    expect(storesOf("media")).toEqual(["mongodb", "nats", "postgresql", "redis"]);
  });
});

/**
 * The node's /metrics endpoint as an outsider sees it (issue 9, "metrics leak
 * host details"): bound to loopback by default, free of the OS user, home
 * directory, addresses, MACs, hostname and command line even with Moleculer's
 * process metrics on (NODE_ENV=production), with RED metrics per action and
 * the Node runtime metrics, in an exposition `promtool check metrics` accepts.
 */
import { spawnSync } from "node:child_process";
import { connect } from "node:net";
import { homedir, hostname, networkInterfaces, userInfo } from "node:os";
import { ServiceBroker } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { freePort } from "../../../helpers/cluster";
import { testConfig } from "../../../helpers/infra";

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const externalAddresses = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .filter((i) => !i.internal);

describe("the /metrics endpoint", () => {
  let broker: ServiceBroker;
  let port: number;
  let body: string;
  const savedNodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    port = await freePort();
    const config = await testConfig({ METRICS_PORT: String(port), NODE_ID: "metrics-probe" });
    // Moleculer collects its os.* and process.* metrics only outside NODE_ENV=test: look as production does.
    process.env.NODE_ENV = "production";
    broker = new ServiceBroker({ ...buildBrokerOptions(config), logger: false });
    process.env.NODE_ENV = savedNodeEnv;
    broker.createService({
      name: "probe",
      actions: {
        ok: () => "fine",
        fail: () => {
          throw new Error("boom");
        },
      },
    });
    await broker.start();
    await broker.call("probe.ok");
    await broker.call("probe.fail").catch(() => undefined);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    body = await res.text();
  });

  afterAll(() => broker?.stop());

  it("listens on loopback only by default", async () => {
    expect(await canConnect("127.0.0.1", port)).toBe(true);
    for (const address of externalAddresses) expect(await canConnect(address.address, port)).toBe(false);
  });

  it("shows no OS user, home directory, hostname, address, MAC or command line", () => {
    const user = userInfo();
    expect(body).not.toContain(`"${user.username}"`);
    expect(body).not.toContain(homedir());
    expect(body).not.toContain(hostname());
    for (const address of externalAddresses) {
      expect(body).not.toContain(address.address);
      if (address.mac !== "00:00:00:00:00:00") expect(body).not.toContain(address.mac);
    }
    for (const arg of process.argv.filter((a) => a.length > 4)) expect(body).not.toContain(arg);
    expect(body).not.toMatch(/^(os_|process_arguments|process_pid|process_ppid)/m);
  });

  it("has RED metrics per action and the Node runtime metrics", () => {
    expect(body).toMatch(/^moleculer_request_total\{[^}]*action="probe\.ok"[^}]*\} 1$/m);
    expect(body).toMatch(/^moleculer_request_error_total\{[^}]*action="probe\.fail"[^}]*\} 1$/m);
    expect(body).toMatch(/^moleculer_request_time_bucket\{[^}]*action="probe\.ok"[^}]*le="\+Inf"\} 1$/m);
    for (const name of [
      "nodejs_eventloop_lag_p99_seconds",
      "nodejs_heap_size_used_bytes",
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_active_handles_total",
    ]) {
      expect(body).toMatch(new RegExp(`^${name}\\{[^}]*node_id="metrics-probe"`, "m"));
    }
  });

  it("is an exposition promtool accepts (histograms as buckets, counters ending in _total)", () => {
    expect(body).not.toMatch(/quantile=|_mean\{|_rate\{/);
    const lint = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
    // Exit 1 is a parse error; 3 lists lint problems. The only ones allowed are gauges Moleculer and
    // prom-client name `..._total` (registry sizes, active handles); Arena's own metrics are lint-clean.
    expect(lint.status === 0 || lint.status === 3).toBe(true);
    const problems = (lint.stdout + lint.stderr)
      .split("\n")
      .filter(Boolean)
      .filter((l) => !/^(moleculer|nodejs)_\w+_total non-counter metrics should not have "_total" suffix$/.test(l));
    expect(problems).toEqual([]);
  });
});

import type { Service, ServiceBroker } from "moleculer";

/**
 * Readiness: the broker is started, the transporter (when configured) is
 * connected, and every local service with a database (`this.db.ping`, from
 * the db mixin) answers within the timeout.
 */
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  error?: string;
}

/** The db mixin puts `db` (with `ping`) on the service; other services have none. */
type MaybeDbService = Service & { db?: { ping?: () => Promise<void> } };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms}ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function readinessChecks(broker: ServiceBroker, timeoutMs = 2000): Promise<ReadinessCheck[]> {
  const checks: ReadinessCheck[] = [];
  const started = broker.started === true;
  checks.push({ name: "broker", ok: started, ...(started ? {} : { error: "not started" }) });
  if (broker.transit) {
    const connected = broker.transit.connected === true;
    checks.push({ name: "transporter", ok: connected, ...(connected ? {} : { error: "disconnected" }) });
  }
  await Promise.all(
    broker.services.map(async (svc: MaybeDbService) => {
      const ping = svc.db?.ping;
      if (typeof ping !== "function") return;
      try {
        await withTimeout(ping.call(svc.db), timeoutMs);
        checks.push({ name: `db:${svc.fullName}`, ok: true });
      } catch (err) {
        checks.push({
          name: `db:${svc.fullName}`,
          ok: false,
          error: String((err as Error)?.message ?? err).slice(0, 200),
        });
      }
    }),
  );
  return checks;
}

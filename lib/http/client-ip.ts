import { BlockList, isIP } from "node:net";

const MAX_VERDICTS = 4096;

/**
 * The client's address as the rate limiter and logs should see it.
 * X-Forwarded-For is attacker-controlled unless the direct peer is one of
 * our proxies, so it is read only then, right to left, skipping our own
 * proxies: the first untrusted hop is the client.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly empty: boolean;
  /**
   * Verdicts by address as given. BlockList.check builds a SocketAddress per call (about 10 µs, more
   * than a bare server spends on a whole request) and every request asks about its peer, which
   * behind the edge is one of a handful of proxy addresses. Bounded: forwarded hops are anyone's.
   */
  private readonly verdicts = new Map<string, boolean>();

  /** Entries are addresses or CIDR ranges ("10.0.0.0/8", "::1"). */
  constructor(entries: string[]) {
    this.empty = entries.length === 0;
    for (const raw of entries) {
      const [addr, bits] = raw.split("/");
      const ip = normalizeIp(addr ?? "");
      const family = isIP(ip);
      if (family === 0) throw new Error(`TRUSTED_PROXIES: ${raw} is not an IP address or CIDR range`);
      const type = family === 6 ? "ipv6" : "ipv4";
      if (bits !== undefined) this.list.addSubnet(ip, Number(bits), type);
      else this.list.addAddress(ip, type);
    }
  }

  isTrusted(ip: string): boolean {
    if (this.empty) return false;
    const known = this.verdicts.get(ip);
    if (known !== undefined) return known;
    const normalized = normalizeIp(ip);
    const family = isIP(normalized);
    const trusted = family !== 0 && this.list.check(normalized, family === 6 ? "ipv6" : "ipv4");
    if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.clear();
    this.verdicts.set(ip, trusted);
    return trusted;
  }
}

/** "::ffff:1.2.3.4" (IPv4 on a dual-stack socket) is the IPv4 address. */
export function normalizeIp(ip: string): string {
  const trimmed = ip.trim();
  return trimmed.toLowerCase().startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

export function clientIp(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  proxies: TrustedProxies,
): string {
  const direct = normalizeIp(peer ?? "unknown");
  if (!proxies.isTrusted(direct) || forwardedFor === undefined) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map(normalizeIp)
    .filter((h) => isIP(h) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!proxies.isTrusted(hop)) return hop;
  }
  return hops[0] ?? direct;
}

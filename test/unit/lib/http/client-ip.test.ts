import { clientIp, normalizeIp, TrustedProxies } from "../../../../lib/http/client-ip";

describe("clientIp", () => {
  const proxies = new TrustedProxies(["127.0.0.1", "::1", "10.0.0.0/8"]);

  it("uses the peer when it is not a trusted proxy, whatever X-Forwarded-For says", () => {
    expect(clientIp("203.0.113.9", "1.1.1.1", proxies)).toBe("203.0.113.9");
  });

  it("takes the right-most untrusted hop behind trusted proxies", () => {
    expect(clientIp("127.0.0.1", "6.6.6.6, 198.51.100.2, 10.1.2.3", proxies)).toBe("198.51.100.2");
    expect(clientIp("::ffff:10.9.9.9", "198.51.100.3", proxies)).toBe("198.51.100.3");
  });

  it("falls back sanely: no header, junk entries, all hops trusted", () => {
    expect(clientIp("127.0.0.1", undefined, proxies)).toBe("127.0.0.1");
    expect(clientIp("127.0.0.1", "not-an-ip, <script>", proxies)).toBe("127.0.0.1");
    expect(clientIp("127.0.0.1", "10.0.0.5, 10.0.0.6", proxies)).toBe("10.0.0.5");
    expect(clientIp("127.0.0.1", ["198.51.100.4", "10.0.0.1"], proxies)).toBe("198.51.100.4");
  });

  it("an empty trusted list trusts nobody; a bad entry fails fast", () => {
    expect(clientIp("127.0.0.1", "198.51.100.5", new TrustedProxies([]))).toBe("127.0.0.1");
    expect(() => new TrustedProxies(["localhost"])).toThrow(/TRUSTED_PROXIES/);
  });

  it("keeps its verdicts right when asked again and after more addresses than it remembers", () => {
    const fresh = new TrustedProxies(["10.0.0.0/8"]);
    expect(fresh.isTrusted("10.0.0.1")).toBe(true);
    expect(fresh.isTrusted("198.51.100.7")).toBe(false);
    for (let i = 0; i < 5000; i += 1) expect(fresh.isTrusted(`203.0.${i >> 8}.${i & 255}`)).toBe(false);
    expect(fresh.isTrusted("10.0.0.1")).toBe(true);
    expect(fresh.isTrusted("::ffff:10.2.3.4")).toBe(true);
    expect(fresh.isTrusted("198.51.100.7")).toBe(false);
    expect(clientIp("10.0.0.1", "198.51.100.8, 10.0.0.2", fresh)).toBe("198.51.100.8");
  });

  it("normalizes IPv4-mapped IPv6", () => {
    expect(normalizeIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeIp("::1")).toBe("::1");
  });
});

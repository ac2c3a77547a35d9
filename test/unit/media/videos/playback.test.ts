import { generateKeyPairSync, createVerify } from "node:crypto";
import { verifyMediaGrant } from "../../../../lib/media/signed-url";
import { roundedExpiry, signPlayback, signSingleObject } from "../../../../services/media/videos/playback";

describe("signPlayback", () => {
  const expiresAt = Math.floor(Date.now() / 1000) + 600;

  it("signs one local HMAC grant covering the whole output tree of the video only", () => {
    const urls = signPlayback(
      { kind: "local", publicUrl: "http://127.0.0.1:3000/", secret: "s3cret" },
      { videoId: "v1", masterPlaylistKey: "vod/v1/master.m3u8", thumbnailKey: "vod/v1/thumbnail.jpg", expiresAt },
    );
    const url = new URL(urls.hlsUrl);
    expect(url.pathname).toBe("/media/vod/v1/master.m3u8");
    const query = Object.fromEntries(url.searchParams);
    expect(verifyMediaGrant("/media/vod/v1/240p/seg_000.ts", query, "s3cret")).toEqual({ ok: true });
    expect(verifyMediaGrant("/media/vod/v2/master.m3u8", query, "s3cret")).toEqual({ ok: false, reason: "wrong-path" });
    expect(verifyMediaGrant("/media/vod/v1/master.m3u8", query, "other")).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    expect(urls.thumbnailUrl).toContain("/media/vod/v1/thumbnail.jpg?");
    expect(urls.expiresAt).toBe(new Date(expiresAt * 1000).toISOString());
  });

  it("signs a CloudFront custom policy for the video's prefix, verifiable with the public key", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const urls = signPlayback(
      { kind: "cloudfront", domain: "d123.cloudfront.net", keyPairId: "K2ABC", privateKey },
      { videoId: "v1", masterPlaylistKey: "vod/v1/master.m3u8", thumbnailKey: null, expiresAt },
    );
    const url = new URL(urls.hlsUrl);
    expect(url.origin + url.pathname).toBe("https://d123.cloudfront.net/vod/v1/master.m3u8");
    expect(url.searchParams.get("Key-Pair-Id")).toBe("K2ABC");
    const fromCf = (s: string): Buffer =>
      Buffer.from(s.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
    const policy = fromCf(url.searchParams.get("Policy") ?? "");
    expect(JSON.parse(policy.toString())).toEqual({
      Statement: [
        {
          Resource: "https://d123.cloudfront.net/vod/v1/*",
          Condition: { DateLessThan: { "AWS:EpochTime": expiresAt } },
        },
      ],
    });
    const verifier = createVerify("RSA-SHA1");
    verifier.update(policy);
    expect(verifier.verify(publicKey, fromCf(url.searchParams.get("Signature") ?? ""))).toBe(true);
    expect(urls.thumbnailUrl).toBeNull();
  });

  it("signs a single object so a thumbnail grant cannot open the stream", () => {
    const url = new URL(
      signSingleObject({ kind: "local", publicUrl: "http://h", secret: "k" }, "vod/v1/thumbnail.jpg", expiresAt),
    );
    const query = Object.fromEntries(url.searchParams);
    expect(verifyMediaGrant("/media/vod/v1/thumbnail.jpg", query, "k")).toEqual({ ok: true });
    expect(verifyMediaGrant("/media/vod/v1/master.m3u8", query, "k")).toEqual({ ok: false, reason: "wrong-path" });
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const cf = new URL(
      signSingleObject(
        { kind: "cloudfront", domain: "d1.cloudfront.net", keyPairId: "K1", privateKey },
        "vod/v1/thumbnail.jpg",
        expiresAt,
      ),
    );
    expect(cf.pathname).toBe("/vod/v1/thumbnail.jpg");
    expect(cf.searchParams.get("Expires")).toBe(String(expiresAt));
    expect(roundedExpiry(1_000_000, 3600) % 300).toBe(0);
    expect(roundedExpiry(1_000_000, 3600)).toBeGreaterThanOrEqual(1000 + 3600);
  });
});

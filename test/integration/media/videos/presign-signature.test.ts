/**
 * Presigned S3 URLs checked by a server that verifies SigV4 the way S3 does
 * (s3rver only checks the access key): the single PUT, a multipart part,
 * and that tampering with the method, path, content type, query or expiry
 * is refused.
 */
import { S3Storage } from "../../../../lib/storage";
import { startVerifyingEndpoint, verifyPresigned, type VerifyingEndpoint } from "./helpers/sigv4-check";

const credentials = { accessKeyId: "AKIDARENATEST", secretAccessKey: "arena/test+secret=key" };
let endpoint: VerifyingEndpoint;
let storage: S3Storage;

beforeAll(async () => {
  endpoint = await startVerifyingEndpoint({ [credentials.accessKeyId]: credentials.secretAccessKey });
  storage = new S3Storage({ bucket: "arena-vod", region: "eu-west-3", endpoint: endpoint.url, credentials });
});

afterAll(async () => {
  await endpoint?.close();
});

describe("the SigV4 check itself", () => {
  it("accepts the AWS documentation's presigned GET example and refuses it altered", () => {
    // docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
    const target =
      "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
      "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    const secrets = { AKIAIOSFODNN7EXAMPLE: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
    const at = new Date("2013-05-24T01:00:00Z");
    expect(
      verifyPresigned({ method: "GET", target, headers: { host: "examplebucket.s3.amazonaws.com" } }, secrets, at),
    ).toEqual({ ok: true });
    expect(
      verifyPresigned(
        {
          method: "GET",
          target: target.replace("/test.txt", "/test2.txt"),
          headers: { host: "examplebucket.s3.amazonaws.com" },
        },
        secrets,
        at,
      ),
    ).toEqual({ ok: false, reason: "signature" });
    expect(
      verifyPresigned(
        { method: "GET", target, headers: { host: "examplebucket.s3.amazonaws.com" } },
        secrets,
        new Date("2013-05-25T00:00:01Z"),
      ),
    ).toEqual({ ok: false, reason: "expired" });
  });
});

describe("presigned S3 uploads, verified", () => {
  it("a presigned PUT is accepted as signed and only as signed", async () => {
    const key = "uploads/vid-1/incoming";
    const url = await storage.presignPut(key, { contentType: "video/mp4", expiresInS: 300 });
    const put = await fetch(url, {
      method: "PUT",
      body: Buffer.from("clip-bytes"),
      headers: { "content-type": "video/mp4" },
    });
    expect(put.status).toBe(200);
    expect(endpoint.accepted.get(`/arena-vod/${key}`)?.toString()).toBe("clip-bytes");

    const wrongType = await fetch(url, {
      method: "PUT",
      body: Buffer.from("x"),
      headers: { "content-type": "text/html" },
    });
    expect([wrongType.status, await wrongType.text()]).toEqual([403, "signature"]);
    const otherKey = await fetch(url.replace("/vid-1/", "/vid-2/"), {
      method: "PUT",
      body: Buffer.from("x"),
      headers: { "content-type": "video/mp4" },
    });
    expect(otherKey.status).toBe(403);
    const longer = new URL(url);
    longer.searchParams.set("X-Amz-Expires", "604800");
    expect(
      (await fetch(longer, { method: "PUT", body: Buffer.from("x"), headers: { "content-type": "video/mp4" } })).status,
    ).toBe(403);
    const asDelete = await fetch(url, { method: "DELETE", headers: { "content-type": "video/mp4" } });
    expect(asDelete.status).toBe(403);
  });

  it("a URL for AWS itself (virtual-hosted bucket) carries the same valid signature", async () => {
    const aws = new S3Storage({ bucket: "arena-vod", region: "eu-west-3", credentials });
    const url = new URL(await aws.presignPut("uploads/vid-4/incoming", { contentType: "video/webm", expiresInS: 600 }));
    expect(url.host).toBe("arena-vod.s3.eu-west-3.amazonaws.com");
    const request = {
      method: "PUT",
      target: url.pathname + url.search,
      headers: { host: url.host, "content-type": "video/webm" },
    };
    expect(verifyPresigned(request, { [credentials.accessKeyId]: credentials.secretAccessKey })).toEqual({ ok: true });
    expect(
      verifyPresigned(
        request,
        { [credentials.accessKeyId]: credentials.secretAccessKey },
        new Date(Date.now() + 601_000),
      ),
    ).toEqual({ ok: false, reason: "expired" });
  });

  it("each multipart part URL is signed for its own part number and upload id", async () => {
    const key = "uploads/vid-3/incoming";
    const url = await storage.presignPart(key, "upload-abc", 2, 300);
    const part = await fetch(url, { method: "PUT", body: Buffer.from("part-two") });
    expect(part.status).toBe(200);
    expect(part.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    const otherPart = new URL(url);
    otherPart.searchParams.set("partNumber", "3");
    expect((await fetch(otherPart, { method: "PUT", body: Buffer.from("x") })).status).toBe(403);
    const otherUpload = new URL(url);
    otherUpload.searchParams.set("uploadId", "upload-xyz");
    expect((await fetch(otherUpload, { method: "PUT", body: Buffer.from("x") })).status).toBe(403);
  });
});

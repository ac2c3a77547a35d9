import { declaredType, isAcceptedDeclaredType, sniffVideo } from "../../../../services/media/videos/upload-sniff";
import { formatByteSize, parseByteSize } from "../../../../services/media/videos/upload-limits";

const box = (type: string, brand: string): Buffer =>
  Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from(type + brand, "latin1"), Buffer.alloc(20)]);

describe("sniffVideo", () => {
  it("recognises containers by their magic numbers", () => {
    expect(sniffVideo(box("ftyp", "isom"))?.container).toBe("mp4");
    expect(sniffVideo(box("ftyp", "qt  "))?.mimeType).toBe("video/quicktime");
    const ebml = Buffer.concat([
      Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]),
      Buffer.from("webm"),
      Buffer.alloc(20),
    ]);
    expect(sniffVideo(ebml)?.container).toBe("webm");
    expect(sniffVideo(Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from("matroska")]))?.container).toBe(
      "mkv",
    );
    expect(sniffVideo(Buffer.from("FLV\x01\x05", "latin1"))?.container).toBe("flv");
    const ts = Buffer.alloc(188 * 3);
    ts[0] = ts[188] = ts[376] = 0x47;
    expect(sniffVideo(ts)?.container).toBe("ts");
  });
  it("refuses images, text, executables and empty input", () => {
    expect(sniffVideo(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]))).toBeNull();
    expect(sniffVideo(Buffer.from("<html><body>hello</body></html>"))).toBeNull();
    expect(sniffVideo(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]))).toBeNull();
    expect(sniffVideo(Buffer.alloc(0))).toBeNull();
  });
  it("checks declared types without parameters", () => {
    expect(declaredType("Video/MP4; codecs=avc1")).toBe("video/mp4");
    expect(isAcceptedDeclaredType("video/mp4")).toBe(true);
    expect(isAcceptedDeclaredType(undefined)).toBe(true);
    expect(isAcceptedDeclaredType("image/png")).toBe(false);
    expect(isAcceptedDeclaredType("text/plain")).toBe(false);
  });
});

describe("byte sizes", () => {
  it("parses and formats operator-style sizes", () => {
    expect(parseByteSize("500mb")).toBe(500 * 1024 * 1024);
    expect(parseByteSize("1.5kb")).toBe(1536);
    expect(parseByteSize("42")).toBe(42);
    expect(() => parseByteSize("lots")).toThrow(/Bad size/);
    expect(formatByteSize(2 * 1024 ** 3)).toBe("2gb");
    expect(formatByteSize(1000)).toBe("1000b");
  });
});

import { parseByteRange } from "../../../../services/media/delivery/byte-range";

describe("parseByteRange", () => {
  it("serves first-last, open-ended and suffix ranges, clamped to the file", () => {
    expect(parseByteRange("bytes=0-99", 1000)).toEqual({ kind: "partial", start: 0, end: 99 });
    expect(parseByteRange("bytes=900-", 1000)).toEqual({ kind: "partial", start: 900, end: 999 });
    expect(parseByteRange("bytes=900-5000", 1000)).toEqual({ kind: "partial", start: 900, end: 999 });
    expect(parseByteRange("bytes=-100", 1000)).toEqual({ kind: "partial", start: 900, end: 999 });
    expect(parseByteRange("bytes=-5000", 1000)).toEqual({ kind: "partial", start: 0, end: 999 });
    expect(parseByteRange("Bytes=5-5", 1000)).toEqual({ kind: "partial", start: 5, end: 5 });
  });

  it("answers 416 for ranges outside the file", () => {
    expect(parseByteRange("bytes=1000-", 1000)).toEqual({ kind: "unsatisfiable" });
    expect(parseByteRange("bytes=2000-3000", 1000)).toEqual({ kind: "unsatisfiable" });
    expect(parseByteRange("bytes=-0", 1000)).toEqual({ kind: "unsatisfiable" });
    expect(parseByteRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
  });

  it("falls back to the whole file for no, invalid, multiple or other-unit ranges", () => {
    expect(parseByteRange(undefined, 1000)).toEqual({ kind: "full" });
    expect(parseByteRange("bytes=0-1,5-9", 1000)).toEqual({ kind: "full" });
    expect(parseByteRange("items=0-1", 1000)).toEqual({ kind: "full" });
    expect(parseByteRange("bytes=9-1", 1000)).toEqual({ kind: "full" });
    expect(parseByteRange("bytes=-", 1000)).toEqual({ kind: "full" });
    expect(parseByteRange("bytes=abc", 1000)).toEqual({ kind: "full" });
    expect(parseByteRange(`bytes=${"9".repeat(400)}-`, 1000)).toEqual({ kind: "full" });
    expect(parseByteRange("bytes=99999999999999999999-", 1000)).toEqual({ kind: "full" });
  });
});

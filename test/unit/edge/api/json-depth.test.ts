import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../../../../services/edge/api/json-depth";

const bytes = (s: string) => Buffer.from(s, "utf8");
const nested = (levels: number) => `{"a":${"[".repeat(levels - 1)}${"]".repeat(levels - 1)}}`;

describe("JSON depth check (gateway, before parsing)", () => {
  it("allows bodies up to the limit and refuses one level more", () => {
    expect(exceedsJsonDepth(bytes(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(exceedsJsonDepth(bytes(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
  });

  it("refuses the 6000-level refresh-token body of the attack run", () => {
    const attack = `{"refreshToken":${"[".repeat(6000)}${"]".repeat(6000)}}`;
    expect(exceedsJsonDepth(bytes(attack))).toBe(true);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const text = `{"t":"${"[{".repeat(100)}\\"${"[".repeat(100)}","u":[[1]]}`;
    expect(JSON.parse(text)).toBeTruthy();
    expect(exceedsJsonDepth(bytes(text))).toBe(false);
  });

  it("counts depth, not the number of sibling containers", () => {
    expect(exceedsJsonDepth(bytes(JSON.stringify(Array.from({ length: 5000 }, () => ({ a: [1] })))))).toBe(false);
  });
});

import { toPlainText } from "../../../../lib/text/plain-text";

describe("toPlainText", () => {
  it.each([
    ["<b>bold</b> move", "bold move"],
    ["<script>alert(1)</script>GG", "GG"],
    ["<img src=x onerror=alert(1)//", ""],
    ["speedrun <img src=x onerror=alert(1)// any%", "speedrun"],
    ["&lt;script&gt;alert(1)&lt;/script&gt;ok", "ok"],
    ["fish &amp; chips < 5 > 3", "fish & chips < 5 > 3"],
    ["line\u0000one\n\n\n\nline two", "lineone\n\nline two"],
  ])("cleans %j to %j", (raw, expected) => {
    expect(toPlainText(raw)).toBe(expected);
  });

  it("is stable: cleaning twice changes nothing", () => {
    for (const raw of ["<a href=x>link</a> &amp;lt;b&amp;gt;", "a < b and c > d", "&#x3C;svg onload=1&#x3E;"]) {
      const once = toPlainText(raw);
      expect(toPlainText(once)).toBe(once);
      expect(once).not.toMatch(/<[a-z!/]/i);
    }
  });
});

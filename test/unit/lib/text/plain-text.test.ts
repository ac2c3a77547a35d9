import { hasUnsafeChars, toPlainTag, toPlainTags, toPlainText } from "../../../../lib/text/plain-text";
import { cleanChatText } from "../../../../lib/moderation/chat-text";

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

describe("unsafe characters: one set, stripped from stored text, refused in chat", () => {
  const BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];
  const OTHERS = ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u009f", "\ufeff", "\ud800", "\udfff"];

  it.each([...BIDI, ...OTHERS].map((c) => [c.codePointAt(0)!.toString(16), c]))("U+%s", (_hex, c) => {
    expect(hasUnsafeChars(`name${c}gpj.exe`)).toBe(true);
    expect(toPlainText(`name${c}gpj.exe`)).toBe("namegpj.exe");
    expect(cleanChatText(`hi ${c}there`, 500)).toEqual({ ok: false, problem: "INVALID_TEXT" });
  });

  it("also when smuggled in as an HTML entity", () => {
    expect(toPlainText("evil&#x202E;gpj.exe")).toBe("evilgpj.exe");
    expect(toPlainText("a&amp;#8238;b")).toBe("ab");
  });

  it("keeps ordinary text, emoji, right-to-left scripts, tabs and newlines", () => {
    for (const text of ["GG wp 🎮👍🏽", "مرحبا بالعالم", "שלום", "line one\nline two\tend", "naïve café"]) {
      expect(hasUnsafeChars(text)).toBe(false);
      expect(toPlainText(text)).toBe(text);
    }
  });
});

describe("tags", () => {
  it("are plain text, lower-cased, hyphenated, de-duplicated in order", () => {
    expect(toPlainTags([" FPS", "fps", "Battle Royale", "", "battle-royale", "Speedrun "])).toEqual([
      "fps",
      "battle-royale",
      "speedrun",
    ]);
  });

  it.each([
    ["<svg/onload=alert(1)//", ""],
    ["<b>Aim</b>", "aim"],
    ["ranked<img src=x onerror=alert(1)>", "ranked"],
    ["rtl\u202eflip", "rtlflip"],
  ])("%j becomes %j", (raw, expected) => {
    expect(toPlainTag(raw)).toBe(expected);
  });
});

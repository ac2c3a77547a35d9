/** A deterministic ~20 KB markdown review: headings, paragraphs with links and emphasis, lists, code, a table, an embed. */
export function sampleMarkdown(targetBytes = 20_000, seed = 1): string {
  const words =
    "frame rate patch meta ranked lobby loadout boss raid quest speedrun co-op hitbox netcode latency map".split(" ");
  let n = seed;
  const word = (): string => {
    n = (n * 1103515245 + 12345) % 2 ** 31;
    return words[n % words.length] as string;
  };
  const sentence = (len: number): string => Array.from({ length: len }, word).join(" ");
  const parts: string[] = ["# Review: the season's biggest patch\n"];
  let section = 0;
  while (parts.join("\n").length < targetBytes) {
    section += 1;
    parts.push(
      `## Part ${section}: ${sentence(4)}`,
      `${sentence(40)} with **${sentence(2)}** and _${sentence(2)}_, see [the notes](https://example.com/patch/${section}) or https://example.org/${section}.`,
      `- ${sentence(6)}\n- ${sentence(8)}\n- [${sentence(2)}](https://example.net/${section})`,
      "```ts\nconst dps = (damage: number, rate: number) => damage * rate; // " + sentence(3) + "\n```",
      `| stat | before | after |\n|---|---:|---:|\n| damage | ${section * 3} | ${section * 3 + 1} |\n| reload | 2.${section % 10}s | 2.0s |`,
      `> ${sentence(20)}`,
    );
    if (section % 5 === 0) parts.push('<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>');
  }
  return `${parts.join("\n\n")}\n`;
}

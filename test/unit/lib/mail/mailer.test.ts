import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { createMailer, mailDir } from "../../../../lib/mail";
import { createTempDir } from "../../../helpers/infra";

describe("mailer without SMTP_URL (embedded): .eml files under DATA_DIR/mail/", () => {
  it("writes each mail as a parseable .eml file readable only by its owner, and logs where", async () => {
    const dir = createTempDir("mail-");
    const logged: string[] = [];
    const mailer = createMailer(
      {
        dataDir: dir.path,
        mail: { from: "Arena <no-reply@localhost>", verificationTtlS: 60, passwordResetTtlS: 60, perHour: 3 },
      },
      { info: (line: unknown) => logged.push(String(line)) },
    );
    const first = await mailer.send({
      to: "ada@example.test",
      subject: "Héllo",
      text: "Line one\nhttps://x/?token=abc",
    });
    const second = await mailer.send({ to: "bob@example.test", subject: "Second", text: "two" });
    mailer.close();

    const files = readdirSync(mailDir({ dataDir: dir.path })).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith(".eml"))).toBe(true);
    expect([first.file, second.file].sort()).toEqual(files.map((f) => join(dir.path, "mail", f)));
    expect(statSync(first.file!).mode & 0o077).toBe(0);
    const parsed = await simpleParser(readFileSync(first.file!));
    expect(parsed.subject).toBe("Héllo");
    expect(parsed.text?.trim()).toBe("Line one\nhttps://x/?token=abc");
    expect(parsed.from?.value[0]).toMatchObject({ name: "Arena", address: "no-reply@localhost" });
    expect(logged[0]).toContain(first.file!);
    expect(logged[0]).toContain("ada@example.test");
    dir.remove();
  });
});

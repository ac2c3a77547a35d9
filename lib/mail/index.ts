/**
 * Outgoing mail. With `SMTP_URL` every mail goes through that server
 * (nodemailer, the URL carries host, port, TLS and credentials); without it
 * (embedded mode, a bare machine) each mail is written as an `.eml` file under
 * `DATA_DIR/mail/` and the path is logged, so a developer opens the link there.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTransport, type Transporter } from "nodemailer";
import type { ArenaConfig } from "../config";

export interface OutgoingMail {
  to: string;
  subject: string;
  /** Plain text body. */
  text: string;
}

export interface SentMail {
  messageId: string;
  /** Where the mail was written, without SMTP. */
  file?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

interface MailLogger {
  info(...args: unknown[]): void;
}

export function mailDir(config: Pick<ArenaConfig, "dataDir">): string {
  return join(config.dataDir, "mail");
}

/** SMTP when configured, .eml files under DATA_DIR/mail/ otherwise. */
export function createMailer(config: Pick<ArenaConfig, "mail" | "dataDir">, logger: MailLogger): Mailer {
  const from = config.mail.from;
  if (config.mail.smtpUrl) {
    const transport: Transporter = createTransport(config.mail.smtpUrl);
    return {
      async send(mail) {
        const info = (await transport.sendMail({ from, ...mail })) as { messageId: string };
        return { messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  const transport = createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const dir = mailDir(config);
  let seq = 0;
  return {
    async send(mail) {
      const info = (await transport.sendMail({ from, ...mail })) as { messageId: string; message: Buffer };
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const file = join(dir, `${stamp}-${process.pid}-${++seq}.eml`);
      await writeFile(file, info.message, { mode: 0o600 });
      logger.info(`Mail to ${mail.to} ("${mail.subject}") written to ${file}`);
      return { messageId: info.messageId, file };
    },
    close: () => transport.close(),
  };
}

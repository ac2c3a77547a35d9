/**
 * A real SMTP server (the smtp-server package) on a free loopback port that
 * receives every mail, parses it (mailparser) and keeps it in memory, for
 * specs of what Arena mails.
 */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { waitFor } from "./infra";

export interface ReceivedMail {
  /** SMTP envelope recipients. */
  rcptTo: string[];
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId?: string;
}

export interface SmtpInbox {
  url: string;
  mails: ReceivedMail[];
  /** Mails to `to` (optionally with a subject containing `subject`). */
  to(to: string, subject?: string): ReceivedMail[];
  /** Waits for the `nth` (1-based) mail to `to` whose subject contains `subject`. */
  next(to: string, subject: string, nth?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

/** `port`: listen there (a spec restarting the server after an outage); a free one by default. */
export async function startSmtpInbox(opts: { port?: number } = {}): Promise<SmtpInbox> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const address = (a: typeof parsed.to): string =>
            (Array.isArray(a) ? a : a ? [a] : []).map((x) => x.text).join(", ");
          mails.push({
            rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: parsed.from?.text ?? "",
            to: address(parsed.to),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            messageId: parsed.messageId,
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const to = (address: string, subject?: string) =>
    mails.filter((m) => m.rcptTo.includes(address.toLowerCase()) && (!subject || m.subject.includes(subject)));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    to,
    async next(address, subject, nth = 1) {
      return waitFor(() => to(address, subject)[nth - 1], { what: `mail #${nth} "${subject}" to ${address}` });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The `token` query parameter of the first Arena link in a mail. */
export function linkToken(mail: ReceivedMail): string {
  const match = /https?:\/\/\S+\?token=([A-Za-z0-9_%-]+)/.exec(mail.text);
  if (!match) throw new Error(`no link in mail "${mail.subject}": ${mail.text}`);
  return decodeURIComponent(match[1]);
}

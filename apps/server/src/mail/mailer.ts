import type { Logger } from '@cardbind/shared';
import nodemailer from 'nodemailer';
import type { MailText } from './templates.ts';

export interface Mailer {
  /** Sends one message; rejects when the SMTP server refuses it. */
  send(to: string, mail: MailText): Promise<void>;
}

export interface SmtpConfig {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  url: string;
  from: string;
}

export function createSmtpMailer(config: SmtpConfig): Mailer {
  const transport = nodemailer.createTransport(config.url);
  return {
    async send(to, mail) {
      await transport.sendMail({ from: config.from, to, subject: mail.subject, text: mail.text });
    },
  };
}

/** Without SMTP configured, mails are not sent; the log says so (without their secret content). */
export function createDisabledMailer(logger: Logger): Mailer {
  return {
    async send(_to, mail) {
      logger.warn('e-mail not sent: no SMTP server configured (set CARDBIND_SMTP_URL)', {
        subject: mail.subject,
      });
    },
  };
}

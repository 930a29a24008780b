import type { GeneratedOtp, GeneratedPin, Logger } from '@cardbind/shared';
import type { Mailer } from './mail/mailer.ts';
import { cardEnrolledMail, newOtpMail, newPinMail, type MailText } from './mail/templates.ts';
import type { SettingsService } from './settings.ts';
import type { UserRecord } from './store/store.ts';

/**
 * E-mails to users about their credentials, as the site's settings ask. A failed e-mail never
 * undoes what happened (the PIN is still issued); it is logged with context for the admin.
 */
export class Notifier {
  constructor(
    private readonly mailer: Mailer,
    private readonly settings: SettingsService,
    private readonly logger: Logger,
    private readonly timeZone: string,
  ) {}

  async pinIssued(user: UserRecord, pin: GeneratedPin): Promise<boolean> {
    if (!(await this.settings.get()).pin.sendByEmail) return false;
    return this.send(user, 'new PIN', (c) => newPinMail(c, pin.pin, pin.expiresAt));
  }

  async otpIssuedByAdmin(user: UserRecord, otp: GeneratedOtp): Promise<boolean> {
    if (!(await this.settings.get()).otp.sendByEmail) return false;
    return this.send(user, 'new OTP', (c) => newOtpMail(c, otp.otp, otp.expiresAt));
  }

  async cardEnrolled(
    user: UserRecord,
    cardId: string,
    terminal: string,
    at: string,
  ): Promise<boolean> {
    if (!(await this.settings.get()).enrollment.notifyByEmail) return false;
    return this.send(user, 'card enrolled', (c) =>
      cardEnrolledMail(c, cardId.slice(-4), terminal, at),
    );
  }

  private async send(
    user: UserRecord,
    kind: string,
    render: (context: { language: string; name: string; timeZone: string }) => MailText,
  ): Promise<boolean> {
    if (!user.email) return false;
    try {
      const language = user.language ?? (await this.settings.get()).email.defaultLanguage;
      await this.mailer.send(
        user.email,
        render({ language, name: user.fullName, timeZone: this.timeZone }),
      );
      return true;
    } catch (error) {
      this.logger.error('e-mail to user failed', { kind, username: user.username, error });
      return false;
    }
  }
}

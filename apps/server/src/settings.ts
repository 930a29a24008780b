import { z } from 'zod';
import { MAIL_LANGUAGES } from './mail/templates.ts';
import type { SettingsRepository } from './store/settings.ts';

/**
 * Site settings an administrator changes at run time. Every field has a default, so a new
 * site works without configuration and an older stored document gains new fields on read.
 */
export const SiteSettings = z.object({
  enrollment: z
    .object({
      /** Secrets accepted at the panel to bind a card. */
      methods: z
        .array(z.enum(['password', 'otp', 'pin']))
        .min(1)
        .default(['password', 'otp', 'pin']),
      /** Tell the owner by e-mail when a card is enrolled to their account. */
      notifyByEmail: z.boolean().default(true),
      /** MyQ "Enable registration of multiple cards"; off: a new card replaces the user's others. */
      multipleCards: z.boolean().default(true),
      /** MyQ "Register cards as temporary": enrolled cards stop working after the validity. */
      temporaryCards: z.boolean().default(false),
      temporaryCardValidityHours: z.number().int().min(1).max(87_600).default(24),
    })
    .prefault({}),
  terminalLogin: z
    .object({
      /** Ways to log in at the panel without a card. */
      methods: z.array(z.enum(['password', 'otp', 'pin'])).default(['password', 'pin']),
    })
    .prefault({}),
  pin: z
    .object({
      /** The administrator's floor; the server raises it as the number of users grows. */
      minimumLength: z.number().int().min(4).max(16).default(4),
      /** MyQ "Generate PINs as temporary": nobody, everybody, or members of `temporaryGroups`. */
      temporaryFor: z.enum(['none', 'all', 'groups']).default('none'),
      temporaryGroups: z.array(z.string()).default([]),
      validityHours: z.number().int().min(1).max(87_600).default(720),
      /** MyQ "User can change PIN": users may regenerate their own PIN. */
      userCanChange: z.boolean().default(true),
      /** MyQ "Send new PIN via e-mail": every new PIN is mailed to its owner with its validity. */
      sendByEmail: z.boolean().default(false),
      /** Give every new account a PIN at once (mailed when sendByEmail is on). */
      generateForNewUsers: z.boolean().default(false),
    })
    .prefault({}),
  otp: z
    .object({
      validityHours: z.number().int().min(1).max(720).default(24),
      /** Mail OTPs that an administrator generates to their owner. */
      sendByEmail: z.boolean().default(false),
    })
    .prefault({}),
  lockout: z
    .object({
      /** Failures on one account before attempts are delayed. */
      accountDelayAfter: z.number().int().min(1).max(100).default(5),
      /** NIST SP 800-63B: at most 100 consecutive failures before the account is locked. */
      accountLockAfter: z.number().int().min(1).max(100).default(100),
      /** Failures at one terminal, over all accounts and PINs, before it is slowed down. */
      terminalDelayAfter: z.number().int().min(1).max(1000).default(10),
      maxDelaySeconds: z.number().int().min(1).max(86_400).default(900),
      /** Failures older than this are forgotten. */
      forgetAfterMinutes: z.number().int().min(1).max(10_080).default(60),
    })
    .prefault({}),
  email: z
    .object({
      /** E-mails to users who have not chosen a language are written in this one. */
      defaultLanguage: z.enum(MAIL_LANGUAGES).default('en'),
    })
    .prefault({}),
});
export type SiteSettings = z.infer<typeof SiteSettings>;

const KEY = 'site';

export class SettingsService {
  constructor(private readonly repository: SettingsRepository) {}

  async get(): Promise<SiteSettings> {
    return SiteSettings.parse((await this.repository.get(KEY)) ?? {});
  }

  /** Validates and stores the complete settings document. */
  async replace(input: unknown): Promise<SiteSettings> {
    const settings = SiteSettings.parse(input);
    await this.repository.set(KEY, settings);
    return settings;
  }
}

import { z } from 'zod';
import { SELF_REGISTERED_GROUP } from './credentials.ts';
import type { SiteSettings } from './settings.ts';
import type { Store } from './store/store.ts';

/**
 * Settings that work as configured but leave people without a way in: MyQ's "Notes on
 * Temporary PINs" describe them as misconfigurations to prevent. Each piece of advice has a code
 * (the portal words it in the admin's language), its values, and an English message.
 */
export const SETTINGS_ADVICE_CODES = [
  'temporary_pins_not_mailed',
  'temporary_pins_not_renewable',
  'new_user_pins_not_mailed',
  'mail_not_configured',
  'pin_recipients_without_email',
  'temporary_group_unknown',
] as const;
export type SettingsAdviceCode = (typeof SETTINGS_ADVICE_CODES)[number];

export const SettingsAdvice = z.object({
  code: z.enum(SETTINGS_ADVICE_CODES),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  message: z.string().describe('The advice in English'),
});
export type SettingsAdvice = z.infer<typeof SettingsAdvice>;

/** What the advice depends on besides the settings themselves. */
export interface SiteFacts {
  /** An SMTP server is configured, so e-mails can leave. */
  mailConfigured: boolean;
  /** Names of the groups that exist. */
  groups: readonly string[];
  /** Members of SELF-REGISTERED, who always get temporary PINs. */
  selfRegisteredMembers: number;
  /** Enabled users who get temporary PINs and have no e-mail address (counted when relevant). */
  temporaryPinUsersWithoutEmail: number;
}

/** Temporary PINs reach someone: everybody, chosen groups, or members of SELF-REGISTERED. */
function temporaryPinsApply(
  settings: SiteSettings,
  facts: Pick<SiteFacts, 'selfRegisteredMembers'>,
) {
  return settings.pin.temporaryFor !== 'none' || facts.selfRegisteredMembers > 0;
}

export function adviseOnSettings(settings: SiteSettings, facts: SiteFacts): SettingsAdvice[] {
  const { pin, otp } = settings;
  const advice: SettingsAdvice[] = [];
  const add = (code: SettingsAdviceCode, message: string, params: SettingsAdvice['params'] = {}) =>
    advice.push({ code, params, message });
  const temporary = temporaryPinsApply(settings, facts);

  if (temporary && !pin.sendByEmail) {
    add(
      'temporary_pins_not_mailed',
      'PINs are generated as temporary, but new PINs are not sent by e-mail: when a PIN expires, its owner never learns the new one. Turn on "Send new PIN via e-mail".',
    );
  }
  if (temporary && !pin.userCanChange) {
    add(
      'temporary_pins_not_renewable',
      'PINs are generated as temporary, but users cannot change their PIN: nobody can generate a new PIN or reset an expired one from the login screen, only administrators can. Turn on "User can change PIN".',
    );
  }
  if (pin.generateForNewUsers && !pin.sendByEmail) {
    add(
      'new_user_pins_not_mailed',
      'New users get a PIN, but it is not sent by e-mail, so they do not learn it. Turn on "Send new PIN via e-mail", or tell them their PIN another way.',
    );
  }
  if ((pin.sendByEmail || otp.sendByEmail) && !facts.mailConfigured) {
    add(
      'mail_not_configured',
      'PINs or one-time passwords are to be sent by e-mail, but the server has no SMTP server configured, so no e-mail leaves. Start the server with --smtp-url (or CARDBIND_SMTP_URL).',
    );
  }
  if (temporary && pin.sendByEmail && facts.temporaryPinUsersWithoutEmail > 0) {
    const count = facts.temporaryPinUsersWithoutEmail;
    add(
      'pin_recipients_without_email',
      `${count} user(s) who get temporary PINs have no e-mail address, so their new PINs cannot be sent. Add their addresses.`,
      { count },
    );
  }
  if (pin.temporaryFor === 'groups') {
    for (const group of pin.temporaryGroups.filter((g) => !facts.groups.includes(g))) {
      add(
        'temporary_group_unknown',
        `The group "${group}" chosen for temporary PINs does not exist, so nobody gets temporary PINs through it. Check its name or create the group.`,
        { group },
      );
    }
  }
  return advice;
}

/** Reads the facts the advice needs from the store; counts users only when it matters. */
export async function gatherSiteFacts(
  store: Store,
  settings: SiteSettings,
  mailConfigured: boolean,
): Promise<SiteFacts> {
  const groups = await store.listGroups();
  const selfRegisteredMembers = groups.find((g) => g.name === SELF_REGISTERED_GROUP)?.members ?? 0;
  const { pin } = settings;
  const scope =
    pin.temporaryFor === 'all'
      ? 'all'
      : [...(pin.temporaryFor === 'groups' ? pin.temporaryGroups : []), SELF_REGISTERED_GROUP];
  const counted = pin.sendByEmail && temporaryPinsApply(settings, { selfRegisteredMembers });
  return {
    mailConfigured,
    groups: groups.map((g) => g.name),
    selfRegisteredMembers,
    temporaryPinUsersWithoutEmail: counted ? await store.countEnabledUsersWithoutEmail(scope) : 0,
  };
}

import type { GeneratedOtp, GeneratedPin } from '@cardbind/shared';
import { z } from 'zod';
import type { CredentialService } from './credentials.ts';
import { MAIL_LANGUAGES } from './mail/templates.ts';
import { ApiError } from './errors.ts';
import type { Notifier } from './notifications.ts';
import type { SettingsService } from './settings.ts';
import type { Throttle } from './throttle.ts';
import { generateToken, hashToken, type PasswordHasher } from './secrets.ts';
import {
  DuplicateError,
  type Store,
  type TerminalAdminRecord,
  type TerminalRecord,
  type UserRecord,
} from './store/store.ts';

/** Administrative operations shared by the admin CLI and (later) the admin API. */

export const NewUserInput = z.object({
  username: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters')
    .regex(/^[^\s]+$/, 'must not contain spaces'),
  fullName: z.string().trim().min(1, 'must not be empty').max(200),
  email: z.email('must be an e-mail address').nullable(),
  // NIST SP 800-63B: at least 8 characters, no composition rules, long passphrases allowed.
  password: z.string().min(8, 'must be at least 8 characters').max(1024).nullable(),
  /** Left out or null: not chosen; e-mails use the site's default. */
  language: z.enum(MAIL_LANGUAGES).nullable().optional(),
  groups: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
});
export type NewUserInput = z.input<typeof NewUserInput>;

export const DisplayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

export class AdminOperations {
  constructor(
    private readonly store: Store,
    private readonly passwords: PasswordHasher,
    private readonly credentials: CredentialService,
    private readonly throttle: Throttle,
    private readonly notifier: Notifier,
    private readonly settings: SettingsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async requireUser(username: string): Promise<UserRecord> {
    const user = await this.store.findUserByUsername(username);
    if (!user) {
      throw new ApiError(404, 'not_found', `There is no user "${username}". Check the username.`);
    }
    return user;
  }

  /** A new one-time password for the user, shown once. */
  async generateOtp(username: string): Promise<GeneratedOtp> {
    const user = await this.requireUser(username);
    const otp = await this.credentials.generateOtp(user);
    await this.notifier.otpIssuedByAdmin(user, otp);
    return otp;
  }

  /** A new PIN for the user (replacing the old one), shown once. */
  async generatePin(username: string): Promise<GeneratedPin> {
    return this.credentials.generatePin(await this.requireUser(username));
  }

  async setPassword(userId: number, password: string): Promise<void> {
    await this.store.updateUser(userId, { passwordHash: await this.passwords.hash(password) });
  }

  async unlock(username: string): Promise<void> {
    await this.throttle.unlockAccount((await this.requireUser(username)).id);
  }

  /**
   * Creates a local account with its groups, in one transaction (a failed request leaves no
   * account behind, so it can be sent again); with "generate PINs for new users" on, it gets its
   * PIN at once — after its language and groups are set, since they decide the PIN e-mail's
   * language and whether the PIN is temporary.
   */
  async addUser(input: NewUserInput): Promise<UserRecord> {
    const user = NewUserInput.parse(input);
    const created = await this.store.createUserInGroups(
      {
        username: user.username,
        fullName: user.fullName,
        email: user.email,
        passwordHash: user.password === null ? null : await this.passwords.hash(user.password),
        createdAt: this.now().toISOString(),
        language: user.language ?? null,
      },
      user.groups ?? [],
    );
    if ((await this.settings.get()).pin.generateForNewUsers) {
      await this.credentials.generatePin(created);
    }
    return created;
  }

  /** Registers a terminal; the token is returned once and only its hash is kept. */
  async addTerminal(name: string): Promise<{ terminal: TerminalRecord; token: string }> {
    const token = generateToken('terminal');
    const terminalName = DisplayName.parse(name);
    try {
      const terminal = await this.store.createTerminal(
        terminalName,
        hashToken(token),
        this.now().toISOString(),
      );
      return { terminal, token };
    } catch (error) {
      if (error instanceof DuplicateError) throw terminalNameTaken(terminalName);
      throw error;
    }
  }

  async requireTerminal(name: string): Promise<TerminalAdminRecord> {
    const terminal = await this.store.findTerminalByName(name);
    if (!terminal) {
      throw new ApiError(404, 'not_found', `There is no terminal "${name}". Check the name.`);
    }
    return terminal;
  }

  async renameTerminal(name: string, newName: string): Promise<TerminalAdminRecord> {
    const terminal = await this.requireTerminal(name);
    const renamed = DisplayName.parse(newName);
    try {
      await this.store.renameTerminal(terminal.id, renamed);
    } catch (error) {
      if (error instanceof DuplicateError) throw terminalNameTaken(renamed);
      throw error;
    }
    return { ...terminal, name: renamed };
  }

  /** Revokes a terminal: its token stops working at once. `revoked` false: it already was. */
  async revokeTerminal(name: string): Promise<{ terminal: TerminalAdminRecord; revoked: boolean }> {
    const terminal = await this.requireTerminal(name);
    const at = this.now().toISOString();
    const revoked = await this.store.revokeTerminal(terminal.id, at);
    return { terminal: revoked ? { ...terminal, revokedAt: at } : terminal, revoked };
  }

  findTerminalByToken(token: string): Promise<TerminalRecord | undefined> {
    return this.store.findTerminalByTokenHash(hashToken(token));
  }

  /** Creates an admin API token; returned once, stored as a hash. */
  async addAdminToken(name: string): Promise<string> {
    const token = generateToken('admin');
    await this.store.createApiToken(
      DisplayName.parse(name),
      hashToken(token),
      this.now().toISOString(),
    );
    return token;
  }
}

const terminalNameTaken = (name: string) =>
  new ApiError(
    409,
    'already_exists',
    `A terminal "${name}" already exists. Choose another name (terminal names are unique).`,
  );

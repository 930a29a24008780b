import type { EnrollmentMethod } from '@cardbind/shared';
import { maskCardId } from '@cardbind/shared';
import type { CredentialService } from './credentials.ts';
import { ApiError } from './errors.ts';
import type { PasswordHasher } from './secrets.ts';
import type { Throttle, ThrottleSubject } from './throttle.ts';
import type { AuditEvent } from './store/audit.ts';
import type { Store, TerminalRecord, UserRecord } from './store/store.ts';

/** Where a sign-in attempt comes from: a panel, or a client (portal, desktop, mobile app). */
export type Origin =
  | { kind: 'terminal'; terminal: TerminalRecord }
  | { kind: 'client'; clientId: string; address: string };

type SecretCheck = 'ok' | 'invalid' | 'expired';

export const METHOD_NAMES: Record<EnrollmentMethod, string> = {
  password: 'password',
  otp: 'one-time password',
  pin: 'PIN',
};

export interface AuthenticatorOptions {
  store: Store;
  passwords: PasswordHasher;
  credentials: CredentialService;
  throttle: Throttle;
  now: () => Date;
}

/**
 * Checks who someone is from a username and a secret (password, OTP, PIN) or a PIN alone,
 * with lockout, throttling and an audit record of every attempt, wherever they sign in.
 */
export class Authenticator {
  constructor(private readonly options: AuthenticatorOptions) {}

  /** Returns the user, or throws the API error to send (401, 423 or 429). */
  async verify(
    origin: Origin,
    username: string,
    method: EnrollmentMethod,
    secret: string,
    context: { action: string; card?: string },
  ): Promise<UserRecord> {
    const { store, throttle } = this.options;
    const user = await store.findUserByUsername(username);
    const subjects: ThrottleSubject[] = [originSubject(origin)];
    if (user) subjects.unshift({ account: user.id });
    await throttle.assertAllowed(subjects);
    const check: SecretCheck =
      user && user.disabledAt === null
        ? await this.checkSecret(user, method, secret)
        : await this.options.passwords.verify(null, secret).then(() => 'invalid' as const);
    if (check === 'ok' && user) {
      await throttle.recordSuccess(user.id);
      if (context.action.startsWith('login.')) {
        await this.audit(context.action, 'success', origin, { subject: user });
      }
      return user;
    }
    const { attemptsLeft } = await throttle.recordFailure(subjects);
    await this.audit(context.action, 'failure', origin, {
      subject: user ?? null,
      typedName: user ? undefined : username,
      card: context.card,
      detail: check === 'expired' ? `${method}_expired` : 'invalid_credentials',
    });
    if (check === 'expired') {
      throw new ApiError(
        401,
        'credential_expired',
        method === 'otp'
          ? 'This one-time password was already used or has expired. Generate a new one in My profile and try again.'
          : 'Your PIN has expired. Generate a new one in My profile or ask an administrator.',
      );
    }
    const error = new ApiError(
      401,
      'invalid_credentials',
      `The username or ${METHOD_NAMES[method]} is not correct. Check both and try again.`,
    );
    if (attemptsLeft !== undefined) error.attemptsLeft = attemptsLeft;
    throw error;
  }

  /** A PIN alone identifies its owner (PINs are unique); guessing is throttled per origin. */
  async verifyPinAlone(origin: Origin, pin: string): Promise<UserRecord> {
    const { store, throttle, credentials } = this.options;
    const subject = originSubject(origin);
    await throttle.assertAllowed([subject]);
    const owner = await credentials.findPinOwner(pin);
    const user = owner && !owner.expired ? await store.findUserById(owner.userId) : undefined;
    if (user && user.disabledAt === null) {
      await this.audit('login.pin', 'success', origin, { subject: user });
      return user;
    }
    await throttle.recordFailure([subject]);
    await this.audit('login.pin', 'failure', origin, {
      detail: owner?.expired ? 'pin_expired' : 'invalid_credentials',
    });
    if (owner?.expired) {
      throw new ApiError(
        401,
        'credential_expired',
        'This PIN has expired. Generate a new one in My profile or ask an administrator.',
      );
    }
    throw new ApiError(
      401,
      'invalid_credentials',
      'This PIN is not correct. Check it and try again.',
    );
  }

  private async checkSecret(
    user: UserRecord,
    method: EnrollmentMethod,
    secret: string,
  ): Promise<SecretCheck> {
    const { passwords, credentials } = this.options;
    switch (method) {
      case 'password': {
        if (!(await passwords.verify(user.passwordHash, secret))) return 'invalid';
        // The only moment the plain password is at hand: upgrade hashes made with older parameters.
        if (user.passwordHash && passwords.needsRehash(user.passwordHash)) {
          await this.options.store.updateUser(user.id, {
            passwordHash: await passwords.hash(secret),
          });
        }
        return 'ok';
      }
      case 'otp': {
        const use = await credentials.useOtp(user, secret);
        return use === 'consumed' ? 'ok' : use === 'unknown' ? 'invalid' : 'expired';
      }
      case 'pin': {
        const owner = /^[0-9]{4,16}$/.test(secret)
          ? await credentials.findPinOwner(secret)
          : undefined;
        if (owner?.userId !== user.id) return 'invalid';
        return owner.expired ? 'expired' : 'ok';
      }
    }
  }

  /** Writes the event before it resolves. */
  async audit(
    action: string,
    outcome: AuditEvent['outcome'],
    origin: Origin,
    details: AuditDetails,
  ): Promise<void> {
    await this.options.store.audit.record(this.auditEvent(action, outcome, origin, details));
  }

  /**
   * For high-volume events (card swipes): buffered and written within ~20 ms. Synchronous, so
   * the swipe neither waits for a commit nor pays for a promise.
   */
  appendAudit(
    action: string,
    outcome: AuditEvent['outcome'],
    origin: Origin,
    details: AuditDetails,
  ): void {
    this.options.store.audit.append(this.auditEvent(action, outcome, origin, details));
  }

  private auditEvent(
    action: string,
    outcome: AuditEvent['outcome'],
    origin: Origin,
    details: AuditDetails,
  ): AuditEvent {
    const subject = details.subject ? `user:${details.subject.username}` : null;
    return {
      at: this.options.now().toISOString(),
      action,
      outcome,
      actor:
        origin.kind === 'terminal'
          ? `terminal:${origin.terminal.name}`
          : `client:${origin.clientId}`,
      // An unknown username someone typed is kept: typed attempts help spot guessing.
      subject: subject ?? (details.typedName ? `unknown:${details.typedName}` : null),
      terminal: origin.kind === 'terminal' ? origin.terminal.name : null,
      card: details.card ? maskCardId(details.card) : null,
      detail: details.detail ?? (origin.kind === 'client' ? `from ${origin.address}` : null),
    };
  }
}

interface AuditDetails {
  subject?: UserRecord | null;
  typedName?: string | undefined;
  card?: string | undefined;
  detail?: string;
}

function originSubject(origin: Origin): ThrottleSubject {
  return origin.kind === 'terminal' ? { terminal: origin.terminal.id } : { source: origin.address };
}

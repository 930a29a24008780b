import type {
  CardAuthResponse,
  EnrollmentMethod,
  EnrollRequest,
  EnrollResponse,
  Logger,
  PublicUser,
  TerminalLoginRequest,
  TerminalLoginResponse,
} from '@cardbind/shared';
import { maskCardId } from '@cardbind/shared';
import type { CredentialService } from './credentials.ts';
import { ApiError } from './errors.ts';
import { generateToken, hashToken, type PasswordHasher } from './secrets.ts';
import type { SettingsService } from './settings.ts';
import type { Throttle, ThrottleSubject } from './throttle.ts';
import type { AuditEvent } from './store/audit.ts';
import type { Store, TerminalRecord, UserRecord } from './store/store.ts';

export interface ServiceOptions {
  store: Store;
  passwords: PasswordHasher;
  credentials: CredentialService;
  settings: SettingsService;
  throttle: Throttle;
  logger: Logger;
  /** How long a terminal may take between an unknown swipe and the enrollment. */
  enrollmentTtlMs?: number;
  now?: () => Date;
}

export const DEFAULT_ENROLLMENT_TTL_MS = 5 * 60_000;

type SecretCheck = 'ok' | 'invalid' | 'expired';

const METHOD_NAMES: Record<EnrollmentMethod, string> = {
  password: 'password',
  otp: 'one-time password',
  pin: 'PIN',
};

/** What terminals (kiosks, MFD panels) may do: identify a card, bind an unknown card, log in. */
export class TerminalService {
  private readonly ttlMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: ServiceOptions) {
    this.ttlMs = options.enrollmentTtlMs ?? DEFAULT_ENROLLMENT_TTL_MS;
    this.now = options.now ?? (() => new Date());
  }

  /** Resolves a terminal bearer token; undefined when it matches no terminal. */
  async authenticate(token: string): Promise<TerminalRecord | undefined> {
    const terminal = await this.options.store.findTerminalByTokenHash(hashToken(token));
    if (terminal) await this.options.store.touchTerminal(terminal.id, this.now().toISOString());
    return terminal;
  }

  async cardAuth(terminal: TerminalRecord, cardId: string): Promise<CardAuthResponse> {
    const { store, logger } = this.options;
    const owner = await store.findCardOwner(cardId);
    const log = { terminal: terminal.name, card: maskCardId(cardId) };
    if (owner && owner.disabledAt === null) {
      logger.info('card recognised', { ...log, username: owner.username });
      await this.audit('card.auth', 'success', terminal, { subject: owner, card: cardId });
      return { result: 'known', user: publicUser(owner) };
    }
    if (owner) {
      await this.audit('card.auth', 'denied', terminal, {
        subject: owner,
        card: cardId,
        detail: 'account_disabled',
      });
      throw new ApiError(
        403,
        'forbidden',
        'The account this card belongs to is disabled. Ask an administrator.',
      );
    }
    const now = this.now();
    const enrollmentToken = generateToken('enrollment');
    const expiresAt = new Date(now.getTime() + this.ttlMs).toISOString();
    await store.deleteEnrollmentsExpiredBefore(now.toISOString());
    await store.createEnrollment({
      tokenHash: hashToken(enrollmentToken),
      cardId,
      terminalId: terminal.id,
      createdAt: now.toISOString(),
      expiresAt,
    });
    logger.info('unknown card, enrollment offered', log);
    await this.audit('card.auth', 'failure', terminal, { card: cardId, detail: 'unknown_card' });
    return { result: 'unknown', enrollmentToken, expiresAt };
  }

  async enroll(terminal: TerminalRecord, request: EnrollRequest): Promise<EnrollResponse> {
    const { store, logger, settings } = this.options;
    const now = this.now();
    const enrollment = await store.findEnrollment(hashToken(request.enrollmentToken));
    if (
      !enrollment ||
      enrollment.usedAt !== null ||
      enrollment.terminalId !== terminal.id ||
      enrollment.expiresAt <= now.toISOString()
    ) {
      throw enrollmentExpired();
    }
    const { enrollment: policy } = await settings.get();
    if (!policy.methods.includes(request.method)) {
      throw methodNotAllowed(request.method, 'card enrollment');
    }
    const card = enrollment.cardId;
    const user = await this.verify(terminal, request.username, request.method, request.secret, {
      action: 'card.enroll',
      card,
    });
    const outcome = await store.bindCard({
      enrollmentId: enrollment.id,
      cardId: card,
      userId: user.id,
      terminalId: terminal.id,
      at: now.toISOString(),
    });
    const log = { terminal: terminal.name, card: maskCardId(card), username: user.username };
    switch (outcome) {
      case 'enrollment_used':
        throw enrollmentExpired();
      case 'bound_to_other_user':
        logger.warn('enrollment refused: card bound to another account', log);
        await this.audit('card.enroll', 'denied', terminal, {
          subject: user,
          card,
          detail: 'card_already_bound',
        });
        throw new ApiError(
          409,
          'card_already_bound',
          'This card is already registered to another account. Ask an administrator to remove it from that account first.',
        );
      case 'bound':
      case 'already_bound_to_user':
        logger.info('card enrolled', { ...log, method: request.method });
        await this.audit('card.enroll', 'success', terminal, {
          subject: user,
          card,
          detail: request.method,
        });
        return { result: 'enrolled', user: publicUser(user) };
    }
  }

  /** Logs in at the panel without a card: username + password/OTP, or a PIN alone. */
  async login(
    terminal: TerminalRecord,
    request: TerminalLoginRequest,
  ): Promise<TerminalLoginResponse> {
    const { terminalLogin: policy } = await this.options.settings.get();
    if (!policy.methods.includes(request.method)) {
      throw methodNotAllowed(request.method, 'logging in at a terminal');
    }
    const user =
      request.method === 'pin'
        ? await this.verifyPinAlone(terminal, request.pin)
        : await this.verify(terminal, request.username, request.method, request.secret, {
            action: `login.${request.method}`,
          });
    return { result: 'authenticated', user: publicUser(user) };
  }

  /** Checks a username + secret with lockout; returns the user or throws the API error to send. */
  private async verify(
    terminal: TerminalRecord,
    username: string,
    method: EnrollmentMethod,
    secret: string,
    context: { action: string; card?: string },
  ): Promise<UserRecord> {
    const { store, throttle } = this.options;
    const user = await store.findUserByUsername(username);
    const subjects: ThrottleSubject[] = [{ terminal: terminal.id }];
    if (user) subjects.unshift({ account: user.id });
    await throttle.assertAllowed(subjects);
    const check: SecretCheck =
      user && user.disabledAt === null
        ? await this.checkSecret(user, method, secret)
        : await this.options.passwords.verify(null, secret).then(() => 'invalid' as const);
    if (check === 'ok' && user) {
      await throttle.recordSuccess(user.id);
      return user;
    }
    const { attemptsLeft } = await throttle.recordFailure(subjects);
    await this.audit(context.action, 'failure', terminal, {
      subject: user ?? null,
      actorName: user ? undefined : username,
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

  private async checkSecret(
    user: UserRecord,
    method: EnrollmentMethod,
    secret: string,
  ): Promise<SecretCheck> {
    const { passwords, credentials } = this.options;
    switch (method) {
      case 'password':
        return (await passwords.verify(user.passwordHash, secret)) ? 'ok' : 'invalid';
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

  private async verifyPinAlone(terminal: TerminalRecord, pin: string): Promise<UserRecord> {
    const { store, throttle, credentials } = this.options;
    await throttle.assertAllowed([{ terminal: terminal.id }]);
    const owner = await credentials.findPinOwner(pin);
    const user = owner && !owner.expired ? await store.findUserById(owner.userId) : undefined;
    if (user && user.disabledAt === null) {
      await this.audit('login.pin', 'success', terminal, { subject: user });
      return user;
    }
    await throttle.recordFailure([{ terminal: terminal.id }]);
    await this.audit('login.pin', 'failure', terminal, {
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

  private async audit(
    action: string,
    outcome: AuditEvent['outcome'],
    terminal: TerminalRecord,
    details: {
      subject?: UserRecord | null;
      actorName?: string | undefined;
      card?: string | undefined;
      detail?: string;
    },
  ): Promise<void> {
    const subject = details.subject ? `user:${details.subject.username}` : null;
    await this.options.store.audit.record({
      at: this.now().toISOString(),
      action,
      outcome,
      actor: `terminal:${terminal.name}`,
      // An unknown username someone typed is kept, as typed attempts help spot guessing.
      subject: subject ?? (details.actorName ? `unknown:${details.actorName}` : null),
      terminal: terminal.name,
      card: details.card ? maskCardId(details.card) : null,
      detail: details.detail ?? null,
    });
  }
}

function publicUser(user: UserRecord): PublicUser {
  return { username: user.username, fullName: user.fullName };
}

function enrollmentExpired(): ApiError {
  return new ApiError(
    410,
    'enrollment_expired',
    'This enrollment has expired or was already used. Swipe the card again to start over.',
  );
}

function methodNotAllowed(method: EnrollmentMethod, what: string): ApiError {
  return new ApiError(
    403,
    'method_not_allowed',
    `This server does not accept a ${METHOD_NAMES[method]} for ${what}. Use another method or ask an administrator.`,
  );
}

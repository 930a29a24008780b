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
import { METHOD_NAMES, type Authenticator } from './authenticator.ts';
import { ApiError } from './errors.ts';
import { generateToken, hashToken } from './secrets.ts';
import type { Notifier } from './notifications.ts';
import type { SettingsService } from './settings.ts';
import type { Store, TerminalLookup, TerminalRecord, UserRecord } from './store/store.ts';

export interface ServiceOptions {
  store: Store;
  authenticator: Authenticator;
  notifier: Notifier;
  settings: SettingsService;
  logger: Logger;
  /** How long a terminal may take between an unknown swipe and the enrollment. */
  enrollmentTtlMs?: number;
  now?: () => Date;
}

export const DEFAULT_ENROLLMENT_TTL_MS = 5 * 60_000;

/** What terminals (kiosks, MFD panels) may do: identify a card, bind an unknown card, log in. */
export class TerminalService {
  private readonly ttlMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: ServiceOptions) {
    this.ttlMs = options.enrollmentTtlMs ?? DEFAULT_ENROLLMENT_TTL_MS;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Resolves a terminal bearer token: hashed once, looked up once, whether it belongs to a
   * working terminal, a revoked one (so the panel can be told why) or none.
   */
  async authenticate(token: string): Promise<TerminalLookup> {
    const found = await this.options.store.lookupTerminalByTokenHash(hashToken(token));
    if (found.status === 'active') {
      const { terminal } = found;
      // "Last seen" to the minute is plenty; writing it on every swipe would cost a write each.
      const now = this.now();
      if (!terminal.lastSeenAt || now.getTime() - Date.parse(terminal.lastSeenAt) >= 60_000) {
        await this.options.store.touchTerminal(terminal.id, now.toISOString());
      }
    }
    return found;
  }

  async cardAuth(terminal: TerminalRecord, cardId: string): Promise<CardAuthResponse> {
    const { store, logger } = this.options;
    const now = this.now();
    const found = await store.findCard(cardId);
    const expired = found?.expiresAt != null && found.expiresAt <= now.toISOString();
    const owner = found && !expired ? found.owner : undefined;
    if (owner && owner.disabledAt === null) {
      logger.info('card recognised', {
        terminal: terminal.name,
        card: maskCardId(cardId),
        username: owner.username,
      });
      // The swipe's own event: buffered, so that the answer does not wait for a commit.
      this.options.authenticator.appendAudit(
        'card.auth',
        'success',
        { kind: 'terminal', terminal },
        { subject: owner, card: cardId },
      );
      return { result: 'known', user: publicUser(owner) };
    }
    if (owner) {
      this.options.authenticator.appendAudit(
        'card.auth',
        'denied',
        { kind: 'terminal', terminal },
        { subject: owner, card: cardId, detail: 'account_disabled' },
      );
      throw new ApiError(
        403,
        'forbidden',
        'The account this card belongs to is disabled. Ask an administrator.',
      );
    }
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
    logger.info('unknown card, enrollment offered', {
      terminal: terminal.name,
      card: maskCardId(cardId),
    });
    this.options.authenticator.appendAudit(
      'card.auth',
      'failure',
      { kind: 'terminal', terminal },
      { card: cardId, detail: expired ? 'card_expired' : 'unknown_card' },
    );
    return expired
      ? { result: 'unknown', enrollmentToken, expiresAt, reason: 'card_expired' }
      : { result: 'unknown', enrollmentToken, expiresAt };
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
    const user = await this.options.authenticator.verify(
      { kind: 'terminal', terminal },
      request.username,
      request.method,
      request.secret,
      { action: 'card.enroll', card },
    );
    const outcome = await store.bindCard({
      enrollmentId: enrollment.id,
      cardId: card,
      userId: user.id,
      terminalId: terminal.id,
      at: now.toISOString(),
      expiresAt: policy.temporaryCards
        ? new Date(now.getTime() + policy.temporaryCardValidityHours * 3_600_000).toISOString()
        : null,
      replaceOtherCards: !policy.multipleCards,
    });
    const log = { terminal: terminal.name, card: maskCardId(card), username: user.username };
    switch (outcome) {
      case 'enrollment_used':
        throw enrollmentExpired();
      case 'bound_to_other_user':
        logger.warn('enrollment refused: card bound to another account', log);
        await this.options.authenticator.audit(
          'card.enroll',
          'denied',
          { kind: 'terminal', terminal },
          {
            subject: user,
            card,
            detail: 'card_already_bound',
          },
        );
        throw new ApiError(
          409,
          'card_already_bound',
          'This card is already registered to another account. Ask an administrator to remove it from that account first.',
        );
      case 'bound':
      case 'already_bound_to_user':
        logger.info('card enrolled', { ...log, method: request.method });
        if (outcome === 'bound') {
          await this.options.notifier.cardEnrolled(user, card, terminal.name, now.toISOString());
        }
        await this.options.authenticator.audit(
          'card.enroll',
          'success',
          { kind: 'terminal', terminal },
          {
            subject: user,
            card,
            detail: request.method,
          },
        );
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
    const origin = { kind: 'terminal', terminal } as const;
    const { authenticator } = this.options;
    const user =
      request.method === 'pin'
        ? await authenticator.verifyPinAlone(origin, request.pin)
        : await authenticator.verify(origin, request.username, request.method, request.secret, {
            action: `login.${request.method}`,
          });
    return { result: 'authenticated', user: publicUser(user) };
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

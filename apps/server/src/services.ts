import type {
  CardAuthResponse,
  EnrollRequest,
  EnrollResponse,
  Logger,
  PublicUser,
} from '@cardbind/shared';
import { maskCardId } from '@cardbind/shared';
import { ApiError } from './errors.ts';
import { generateToken, hashToken, type PasswordHasher } from './secrets.ts';
import type { Store, TerminalRecord, UserRecord } from './store/store.ts';

export interface ServiceOptions {
  store: Store;
  passwords: PasswordHasher;
  logger: Logger;
  /** How long a terminal may take between an unknown swipe and the enrollment. */
  enrollmentTtlMs?: number;
  now?: () => Date;
}

export const DEFAULT_ENROLLMENT_TTL_MS = 5 * 60_000;

/** What terminals (kiosks, MFD panels) may do: identify a card, bind an unknown card. */
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
    if (owner) {
      logger.info('card recognised', { ...log, username: owner.username });
      return { result: 'known', user: publicUser(owner) };
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
    return { result: 'unknown', enrollmentToken, expiresAt };
  }

  async enroll(terminal: TerminalRecord, request: EnrollRequest): Promise<EnrollResponse> {
    const { store, passwords, logger } = this.options;
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
    const log = { terminal: terminal.name, card: maskCardId(enrollment.cardId) };
    const user = await store.findUserByUsername(request.username);
    const passwordOk = await passwords.verify(user?.passwordHash ?? null, request.secret);
    if (!user || !passwordOk) {
      logger.warn('enrollment refused: invalid credentials', {
        ...log,
        username: request.username,
      });
      throw new ApiError(
        401,
        'invalid_credentials',
        'The username or password is not correct. Check both and try again.',
      );
    }
    const outcome = await store.bindCard({
      enrollmentId: enrollment.id,
      cardId: enrollment.cardId,
      userId: user.id,
      terminalId: terminal.id,
      at: now.toISOString(),
    });
    switch (outcome) {
      case 'enrollment_used':
        throw enrollmentExpired();
      case 'bound_to_other_user':
        logger.warn('enrollment refused: card bound to another account', {
          ...log,
          username: user.username,
        });
        throw new ApiError(
          409,
          'card_already_bound',
          'This card is already registered to another account. Ask an administrator to remove it from that account first.',
        );
      case 'bound':
      case 'already_bound_to_user':
        logger.info('card enrolled', { ...log, username: user.username });
        return { result: 'enrolled', user: publicUser(user) };
    }
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

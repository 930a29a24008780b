import { ApiError } from './errors.ts';
import type { SettingsService } from './settings.ts';
import type { Store } from './store/store.ts';

/** An account, a terminal, or the network address of a client (portal, apps). */
export type ThrottleSubject = { account: number } | { terminal: number } | { source: string };

/** Far future: a locked account stays locked until an administrator unlocks it. */
const LOCKED = '9999-12-31T23:59:59.999Z';
const BASE_DELAY_SECONDS = 30;

export interface FailureOutcome {
  /** Failures the account may still have before attempts are delayed; undefined without an account. */
  attemptsLeft?: number;
}

/**
 * Lockout and rate limiting per account and per terminal, after NIST SP 800-63B §5.2.2: failed
 * attempts are delayed with exponential back-off once a threshold is passed, and an account is
 * locked after at most 100 consecutive failures. A terminal's counter covers every account and
 * every PIN tried there, which stops one panel from guessing PINs across accounts.
 */
export class Throttle {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Refuses with 429 (and how long to wait) while any subject is delayed or locked. */
  async assertAllowed(subjects: ThrottleSubject[]): Promise<void> {
    const now = this.now();
    for (const subject of subjects) {
      const state = await this.store.throttles.get(keyOf(subject));
      if (!state?.blockedUntil || state.blockedUntil <= now.toISOString()) continue;
      if (state.blockedUntil === LOCKED) {
        throw new ApiError(
          423,
          'too_many_attempts',
          'This account is locked after too many failed attempts. Ask an administrator to unlock it.',
        );
      }
      const seconds = Math.ceil((Date.parse(state.blockedUntil) - now.getTime()) / 1000);
      const error = new ApiError(
        429,
        'too_many_attempts',
        `Too many failed attempts${'terminal' in subject ? ' at this terminal' : 'account' in subject ? '' : ' from this address'}. Wait ${describeWait(seconds)} and try again.`,
      );
      error.retryAfterSeconds = seconds;
      throw error;
    }
  }

  async recordFailure(subjects: ThrottleSubject[]): Promise<FailureOutcome> {
    const { lockout } = await this.settings.get();
    const now = this.now();
    const forgetBefore = new Date(
      now.getTime() - lockout.forgetAfterMinutes * 60_000,
    ).toISOString();
    const outcome: FailureOutcome = {};
    for (const subject of subjects) {
      const key = keyOf(subject);
      const failures = await this.store.throttles.recordFailure(
        key,
        now.toISOString(),
        forgetBefore,
      );
      const isAccount = 'account' in subject;
      // A client address is treated like a terminal: many people may share one (NAT, proxies).
      const threshold = isAccount ? lockout.accountDelayAfter : lockout.terminalDelayAfter;
      if (isAccount) outcome.attemptsLeft = Math.max(0, threshold - failures);
      if (isAccount && failures >= lockout.accountLockAfter) {
        await this.store.throttles.block(key, LOCKED);
      } else if (failures >= threshold) {
        const delay = Math.min(
          BASE_DELAY_SECONDS * 2 ** Math.min(failures - threshold, 20),
          lockout.maxDelaySeconds,
        );
        await this.store.throttles.block(key, new Date(now.getTime() + delay * 1000).toISOString());
      }
    }
    return outcome;
  }

  /** A success clears the account's counter; a terminal's counter only decays with time. */
  async recordSuccess(account: number): Promise<void> {
    await this.store.throttles.clear(keyOf({ account }));
  }

  unlockAccount(account: number): Promise<void> {
    return this.store.throttles.clear(keyOf({ account }));
  }
}

function keyOf(subject: ThrottleSubject): string {
  if ('account' in subject) return `account:${subject.account}`;
  if ('terminal' in subject) return `terminal:${subject.terminal}`;
  return `source:${subject.source}`;
}

function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

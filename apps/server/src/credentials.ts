import { createHmac, randomInt } from 'node:crypto';
import type { GeneratedOtp, GeneratedPin } from '@cardbind/shared';
import type { Notifier } from './notifications.ts';
import type { SettingsService } from './settings.ts';
import type { OtpUse } from './store/credentials.ts';
import { DuplicateError, type Store, type UserRecord } from './store/store.ts';

/** Members of this group always get temporary PINs (MyQ semantics for self-registered guests). */
export const SELF_REGISTERED_GROUP = 'SELF-REGISTERED';

/** A random PIN guess may hit some account with probability users ÷ 10^length; keep it ≤ 1/10,000. */
export const MAX_PIN_GUESS_PROBABILITY = 1e-4;

export function minimumPinLength(users: number, floor: number): number {
  let length = floor;
  // Integer arithmetic: users / 10^length ≤ 1/10,000  ⇔  users · 10,000 ≤ 10^length.
  while (BigInt(Math.max(users, 1)) * 10_000n > 10n ** BigInt(length)) length++;
  return length;
}

/** Patterns people guess first: one digit repeated, runs up or down, a short block repeated. */
export function isWeakPin(pin: string): boolean {
  if (/^(\d)\1+$/.test(pin)) return true;
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - (digits[i] ?? d) + 10) % 10));
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return true;
  for (let block = 2; block <= pin.length / 2; block++) {
    if (pin.length % block === 0 && pin === pin.slice(0, block).repeat(pin.length / block))
      return true;
  }
  return false;
}

function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

/** Crockford-style alphabet without look-alikes (0/O, 1/I/L) and U: easy to read and type at a panel. */
const OTP_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
export const OTP_LENGTH = 10;

export function normalizeOtp(otp: string): string {
  return otp.replace(/[\s-]/g, '').toUpperCase();
}

export interface PinOwner {
  userId: number;
  expired: boolean;
}

export interface PinPolicyStatus {
  users: number;
  minimumLength: number;
  /** Existing PINs shorter than the minimum: they should be regenerated. */
  pinsTooShort: number;
}

/** Issues and checks one-time passwords and PINs. Only keyed hashes of either are stored. */
export class CredentialService {
  constructor(
    private readonly store: Store,
    private readonly key: Buffer,
    private readonly settings: SettingsService,
    private readonly notifier: Notifier,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private lookupHash(kind: 'otp' | 'pin', value: string): string {
    return createHmac('sha256', this.key).update(`${kind}:${value}`).digest('base64url');
  }

  async generateOtp(user: UserRecord): Promise<GeneratedOtp> {
    const { otp: policy } = await this.settings.get();
    let otp = '';
    for (let i = 0; i < OTP_LENGTH; i++) otp += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
    const now = this.now();
    const expiresAt = new Date(now.getTime() + policy.validityHours * 3_600_000).toISOString();
    await this.store.credentials.createOtp({
      userId: user.id,
      secretHash: this.lookupHash('otp', otp),
      createdAt: now.toISOString(),
      expiresAt,
    });
    await this.store.credentials.deleteOtpsExpiredBefore(now.toISOString());
    return { otp, expiresAt };
  }

  useOtp(user: UserRecord, otp: string): Promise<OtpUse> {
    return this.store.credentials.consumeOtp(
      user.id,
      this.lookupHash('otp', normalizeOtp(otp)),
      this.now().toISOString(),
    );
  }

  async pinPolicy(): Promise<PinPolicyStatus> {
    const { pin } = await this.settings.get();
    const users = await this.store.countUsers();
    const minimumLength = minimumPinLength(users, pin.minimumLength);
    return {
      users,
      minimumLength,
      pinsTooShort: await this.store.credentials.countPinsShorterThan(minimumLength),
    };
  }

  /** Generates a new PIN for the user, replacing the old one; unique across all users; mailed when the site says so. */
  async generatePin(user: UserRecord): Promise<GeneratedPin> {
    const { pin: policy } = await this.settings.get();
    const { minimumLength } = await this.pinPolicy();
    const groups = await this.store.groupsOfUser(user.id);
    const temporary =
      groups.includes(SELF_REGISTERED_GROUP) ||
      policy.temporaryFor === 'all' ||
      (policy.temporaryFor === 'groups' && groups.some((g) => policy.temporaryGroups.includes(g)));
    const now = this.now();
    const expiresAt = temporary
      ? new Date(now.getTime() + policy.validityHours * 3_600_000).toISOString()
      : null;
    for (let attempt = 0; attempt < 50; attempt++) {
      const pin = randomDigits(minimumLength);
      if (isWeakPin(pin)) continue;
      try {
        await this.store.credentials.setPin({
          userId: user.id,
          lookupHash: this.lookupHash('pin', pin),
          length: pin.length,
          createdAt: now.toISOString(),
          expiresAt,
        });
        const generated = { pin, expiresAt };
        await this.notifier.pinIssued(user, generated);
        return generated;
      } catch (error) {
        if (error instanceof DuplicateError) continue; // taken by someone else: draw again
        throw error;
      }
    }
    // The length policy keeps the PIN space ≥ 10,000 × users, so this means something is broken.
    throw new Error('Could not find a free PIN after 50 attempts; check the PIN length policy.');
  }

  async findPinOwner(pin: string): Promise<PinOwner | undefined> {
    const record = await this.store.credentials.findPinByLookupHash(this.lookupHash('pin', pin));
    if (!record) return undefined;
    const expired = record.expiresAt !== null && record.expiresAt <= this.now().toISOString();
    return { userId: record.userId, expired };
  }
}

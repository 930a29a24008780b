import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { DuplicateError, isUniqueViolation } from './store.ts';

export type OtpUse = 'consumed' | 'expired' | 'used' | 'unknown';

export interface PinRecord {
  userId: number;
  length: number;
  createdAt: string;
  expiresAt: string | null;
}

/** One-time passwords and PINs (short IDs), stored only as keyed hashes. */
export class CredentialRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async createOtp(otp: {
    userId: number;
    secretHash: string;
    createdAt: string;
    expiresAt: string;
  }): Promise<void> {
    await this.db
      .insertInto('otps')
      .values({
        user_id: otp.userId,
        secret_hash: otp.secretHash,
        created_at: otp.createdAt,
        expires_at: otp.expiresAt,
      })
      .execute();
  }

  /**
   * Uses up a matching, unexpired OTP in one conditional UPDATE: of two terminals presenting
   * the same OTP at once, exactly one sees `consumed`.
   */
  async consumeOtp(userId: number, secretHash: string, at: string): Promise<OtpUse> {
    const result = await this.db
      .updateTable('otps')
      .set({ used_at: at })
      .where('user_id', '=', userId)
      .where('secret_hash', '=', secretHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) return 'consumed';
    const rows = await this.db
      .selectFrom('otps')
      .select(['used_at', 'expires_at'])
      .where('user_id', '=', userId)
      .where('secret_hash', '=', secretHash)
      .execute();
    if (rows.length === 0) return 'unknown';
    return rows.some((r) => r.used_at !== null) ? 'used' : 'expired';
  }

  async deleteOtpsExpiredBefore(at: string): Promise<void> {
    await this.db.deleteFrom('otps').where('expires_at', '<', at).execute();
  }

  /** Gives the user this PIN, replacing any previous one. Throws `DuplicateError` if another user has it. */
  async setPin(pin: {
    userId: number;
    lookupHash: string;
    length: number;
    createdAt: string;
    expiresAt: string | null;
  }): Promise<void> {
    const values = {
      lookup_hash: pin.lookupHash,
      length: pin.length,
      created_at: pin.createdAt,
      expires_at: pin.expiresAt,
    };
    try {
      await this.db
        .insertInto('pins')
        .values({ user_id: pin.userId, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateError('PIN', '(hidden)');
      throw error;
    }
  }

  async findPinByLookupHash(lookupHash: string): Promise<PinRecord | undefined> {
    const row = await this.db
      .selectFrom('pins')
      .select(['user_id', 'length', 'created_at', 'expires_at'])
      .where('lookup_hash', '=', lookupHash)
      .executeTakeFirst();
    return row && toPin(row);
  }

  async findPinOfUser(userId: number): Promise<PinRecord | undefined> {
    const row = await this.db
      .selectFrom('pins')
      .select(['user_id', 'length', 'created_at', 'expires_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toPin(row);
  }

  async countPinsShorterThan(length: number): Promise<number> {
    const row = await this.db
      .selectFrom('pins')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('length', '<', length)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async deletePin(userId: number): Promise<void> {
    await this.db.deleteFrom('pins').where('user_id', '=', userId).execute();
  }
}

function toPin(row: {
  user_id: number;
  length: number;
  created_at: string;
  expires_at: string | null;
}): PinRecord {
  return {
    userId: row.user_id,
    length: row.length,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

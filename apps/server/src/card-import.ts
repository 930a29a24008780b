import { setImmediate } from 'node:timers/promises';
import { CardId } from '@cardbind/shared';
import { z } from 'zod';
import { unguardCell } from './http/csv.ts';
import type { AuditEvent } from './store/audit.ts';
import type { CardTransaction, Store } from './store/store.ts';
import { DuplicateError, usernameKey } from './store/store.ts';

export const CARD_CSV_HEADER = [
  'cardId',
  'username',
  'fullName',
  'createdAt',
  'terminal',
  'expiresAt',
  'source',
];

/** What is wrong with a line: the portal words each in the admin's language from its params. */
export const IMPORT_ERROR_CODES = [
  'header_missing',
  'card_id_invalid',
  'card_listed_twice',
  'user_unknown',
  'expires_invalid',
  'card_owned_by_other',
  'card_enrolled_meanwhile',
  'card_changed_meanwhile',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

export const ImportRowError = z.object({
  line: z.number().int().describe('Line in the file, the header being line 1'),
  code: z.enum(IMPORT_ERROR_CODES),
  params: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .describe('The values the message names (card id, username, line ...)'),
  message: z.string().describe('The error in English, for API clients and logs'),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

/** The English wording of each error, from its params. */
const IMPORT_ERROR_MESSAGES: Record<
  ImportErrorCode,
  (p: Record<string, string | number>) => string
> = {
  header_missing: () =>
    'The first line must name the columns, with at least "username" and "cardId".',
  card_id_invalid: (p) =>
    `card id "${p.cardId}" is not valid: printable characters without spaces, 1 to 128 of them.`,
  card_listed_twice: (p) => `card ${p.cardId} is already on line ${p.firstLine}.`,
  user_unknown: (p) => `there is no user "${p.username}".`,
  expires_invalid: (p) =>
    `expiresAt "${p.expiresAt}" is not an ISO date-time such as 2027-01-31T12:00:00Z.`,
  card_owned_by_other: (p) =>
    `card ${p.cardId} belongs to ${p.owner}, not ${p.username}. Remove it there first, or allow moving cards between users (reassign=true).`,
  card_enrolled_meanwhile: (p) => `card ${p.cardId} was enrolled meanwhile; skipped.`,
  card_changed_meanwhile: (p) =>
    `card ${p.cardId} was removed or moved since the file was checked; skipped. Check the file again.`,
};

function lineError(
  line: number,
  code: ImportErrorCode,
  params: Record<string, string | number> = {},
): ImportRowError {
  return { line, code, params, message: IMPORT_ERROR_MESSAGES[code](params) };
}

/** A card as a line of the file wants it. */
export const ImportedCard = z.object({
  line: z.number().int().describe('Line in the file, the header being line 1'),
  cardId: z.string(),
  username: z.string(),
  expiresAt: z.string().nullable(),
});
export type ImportedCard = z.infer<typeof ImportedCard>;

/** A card that is enrolled already but not as the file says: what it was, and what it becomes. */
export const ChangedCard = ImportedCard.extend({
  was: z.object({ username: z.string(), expiresAt: z.string().nullable() }),
});
export type ChangedCard = z.infer<typeof ChangedCard>;

/** What an import found (a dry run) or did; also the API's answer (openapi.ts). */
export const ImportReport = z.object({
  rows: z.number().int(),
  add: z.array(ImportedCard),
  /** A new expiry, or (with `reassign`) another owner; `was` holds the values before. */
  change: z.array(ChangedCard),
  unchanged: z.number().int(),
  errors: z.array(ImportRowError),
  applied: z.boolean().describe('Whether anything was written (false for a dry run)'),
});
export type ImportReport = z.infer<typeof ImportReport>;

export interface ImportOptions {
  dryRun: boolean;
  at: string;
  /** Import the good lines even though others have errors. */
  skipErrors?: boolean;
  /** Move a card enrolled to another user to the user the file names, instead of an error. */
  reassign?: boolean;
  audit?: ImportAudit;
}

/** What an applied import writes to the audit log. */
export interface ImportAudit {
  /** Events for cards a part of the import changed: stored in that part's transaction. */
  changed(cards: readonly ChangedCard[]): readonly AuditEvent[];
  /** The import's own event, stored once every part is. */
  applied(report: ImportReport): AuditEvent;
}

/**
 * Lines checked, and cards written, per part. On SQLite, better-sqlite3 answers at once, so an
 * import ran from promise to promise without giving the event loop back, and a card swipe that
 * arrived meanwhile waited for all of it: ~200 ms for 5,000 cards. After each part the import
 * lets waiting requests in (`setImmediate`): ~50 ms at most for the same file. Each part of the
 * writes is a transaction of its own.
 */
const APPLY_CHUNK = 500;

// Offsets are accepted (spreadsheets write them) and stored as UTC, as the swipe compares text.
const ExpiresAt = z.iso.datetime({ offset: true });

const sameInstant = (a: string | null, b: string | null) =>
  a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));

/**
 * Plans (and, unless `dryRun`, applies) a CSV import of card assignments. The file needs the
 * columns `username` and `cardId` (any order, more columns allowed — an export can be
 * re-imported; only `expiresAt` of the others is read). For each line:
 *
 * - a card nobody has is added;
 * - a card the same user has is unchanged, or a change when its `expiresAt` differs (an empty
 *   cell means "never expires"; without the column, expiry is left as it is);
 * - a card another user has is an error naming that user, unless `reassign`: then it is a change
 *   that moves the card (the card is the other person's badge, so moving it is never implicit);
 * - an unknown user, a bad card id or expiry, or a card listed twice is an error for that line.
 *
 * Nothing is written while any line has an error, unless `skipErrors`: then the good lines are
 * imported and the report still names every line left out. After applying, `add` and `change`
 * list what was written; a card enrolled, moved or removed meanwhile becomes an error instead.
 * Cards are written in parts of 500, each one transaction with the audit events of the cards it
 * changed (`options.audit.changed`): no card moves without its event. A part that fails stops
 * the import; the parts before it stay written.
 */
export async function importCards(
  store: Store,
  table: string[][],
  options: ImportOptions,
): Promise<ImportReport> {
  // Cells of a file we exported come back with the spreadsheet formula guard: take it off.
  const [header, ...rows] = table.map((row) => row.map(unguardCell));
  const report: ImportReport = {
    rows: rows.length,
    add: [],
    change: [],
    unchanged: 0,
    errors: [],
    applied: false,
  };
  const column = (name: string) =>
    header?.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase()) ?? -1;
  const cardColumn = column('cardId');
  const userColumn = column('username');
  const expiresColumn = column('expiresAt');
  if (cardColumn === -1 || userColumn === -1) {
    report.errors.push(lineError(1, 'header_missing'));
    return report;
  }
  const seen = new Map<string, number>();
  // The file's users and cards in a few queries up front, rather than queries per line.
  /** Account id by `usernameKey`; a name that is missing has no account. */
  const users = await store.findUserIdsByUsernames(
    rows.map((row) => (row[userColumn] ?? '').trim()),
  );
  await setImmediate();
  const enrolled = await store.findCards(
    rows.map((row) => (row[cardColumn] ?? '').trim()).filter((id) => CardId.safeParse(id).success),
  );
  /** Per line of `report.change`: whose card it is now, so applying can check it still is. */
  const owners = new Map<number, { from: number; to: number }>();
  for (const [index, row] of rows.entries()) {
    if (index % APPLY_CHUNK === APPLY_CHUNK - 1) await setImmediate();
    const line = index + 2;
    const cardId = (row[cardColumn] ?? '').trim();
    const username = (row[userColumn] ?? '').trim();
    const fail = (code: ImportErrorCode, params: Record<string, string | number>) =>
      report.errors.push(lineError(line, code, params));
    if (!CardId.safeParse(cardId).success) {
      fail('card_id_invalid', { cardId });
      continue;
    }
    const firstLine = seen.get(cardId);
    if (firstLine !== undefined) {
      fail('card_listed_twice', { cardId, firstLine });
      continue;
    }
    seen.set(cardId, line);
    const userId = users.get(usernameKey(username));
    if (userId === undefined) {
      fail('user_unknown', { username });
      continue;
    }
    const expires = expiresColumn === -1 ? '' : (row[expiresColumn] ?? '').trim();
    if (expires !== '' && !ExpiresAt.safeParse(expires).success) {
      fail('expires_invalid', { expiresAt: expires });
      continue;
    }
    const wanted = expires === '' ? null : new Date(expires).toISOString();
    const existing = enrolled.get(cardId);
    if (!existing) {
      report.add.push({ line, cardId, username, expiresAt: wanted });
      continue;
    }
    const expiresAt = expiresColumn === -1 ? existing.expiresAt : wanted;
    const owner = existing.owner;
    if (owner.id !== userId && !options.reassign) {
      fail('card_owned_by_other', { cardId, owner: owner.username, username });
    } else if (owner.id === userId && sameInstant(existing.expiresAt, expiresAt)) {
      report.unchanged++;
    } else {
      report.change.push({
        line,
        cardId,
        username,
        expiresAt,
        was: { username: owner.username, expiresAt: existing.expiresAt },
      });
      owners.set(line, { from: owner.id, to: userId });
    }
  }
  if (options.dryRun || (report.errors.length > 0 && !options.skipErrors)) return report;
  const applied: ImportReport = {
    ...report,
    add: [],
    change: [],
    errors: [...report.errors],
    applied: true,
  };
  // Changes first: a part whose audit events cannot be stored fails the import before it adds.
  for (let start = 0; start < report.change.length; start += APPLY_CHUNK) {
    const part = report.change.slice(start, start + APPLY_CHUNK);
    await store.changeCards(async (cards) => {
      const done = await applyChanges(cards, part, applied.errors, owners, options.at);
      const events = options.audit?.changed(done) ?? [];
      if (events.length > 0) await cards.recordAudit(events);
      applied.change.push(...done);
    });
    await setImmediate();
  }
  for (let start = 0; start < report.add.length; start += APPLY_CHUNK) {
    const part = report.add.slice(start, start + APPLY_CHUNK);
    await store.changeCards(async (cards) => {
      applied.add.push(...(await applyAdds(cards, part, applied.errors, users, options.at)));
    });
    await setImmediate();
  }
  applied.errors.sort((a, b) => a.line - b.line);
  if (options.audit) await store.audit.record(options.audit.applied(applied));
  return applied;
}

/** Adds the planned cards; returns those added (a card enrolled meanwhile is an error). */
async function applyAdds(
  cards: CardTransaction,
  planned: readonly ImportedCard[],
  errors: ImportReport['errors'],
  users: ReadonlyMap<string, number>,
  at: string,
): Promise<ImportedCard[]> {
  const added: ImportedCard[] = [];
  for (const item of planned) {
    const userId = users.get(usernameKey(item.username));
    if (typeof userId !== 'number') continue;
    try {
      await cards.addCard({
        cardId: item.cardId,
        userId,
        at,
        source: 'admin',
        expiresAt: item.expiresAt,
      });
      added.push(item);
    } catch (error) {
      // Enrolled at a panel since the plan was made: report it instead of failing the rest.
      if (!(error instanceof DuplicateError)) throw error;
      errors.push(lineError(item.line, 'card_enrolled_meanwhile', { cardId: item.cardId }));
    }
  }
  return added;
}

/** Applies the planned changes; returns those made (a card moved or removed meanwhile is not). */
async function applyChanges(
  cards: CardTransaction,
  planned: readonly ChangedCard[],
  errors: ImportReport['errors'],
  owners: Map<number, { from: number; to: number }>,
  at: string,
): Promise<ChangedCard[]> {
  const changed: ChangedCard[] = [];
  for (const item of planned) {
    const owner = owners.get(item.line);
    if (!owner) continue;
    const done = await cards.updateCard({
      cardId: item.cardId,
      fromUserId: owner.from,
      toUserId: owner.to,
      expiresAt: item.expiresAt,
      at,
    });
    if (done) changed.push(item);
    else {
      errors.push(lineError(item.line, 'card_changed_meanwhile', { cardId: item.cardId }));
    }
  }
  return changed;
}

import { CardId } from '@cardbind/shared';
import { z } from 'zod';
import { unguardCell } from './http/csv.ts';
import type { Store } from './store/store.ts';
import { DuplicateError } from './store/store.ts';

export const CARD_CSV_HEADER = [
  'cardId',
  'username',
  'fullName',
  'createdAt',
  'terminal',
  'expiresAt',
  'source',
];

export interface ImportRowError {
  /** Line in the file, the header being line 1. */
  line: number;
  message: string;
}

export interface ImportReport {
  rows: number;
  add: Array<{ line: number; cardId: string; username: string; expiresAt: string | null }>;
  unchanged: number;
  errors: ImportRowError[];
  applied: boolean;
}

const ExpiresAt = z.iso.datetime();

/**
 * Plans (and, unless `dryRun`, applies) a CSV import of card assignments. The file needs the
 * columns `username` and `cardId` (any order, more columns allowed — an export can be
 * re-imported). A card already on the same account is unchanged; one on another account, an
 * unknown user, a bad card id or a card listed twice is an error for that line. Nothing is
 * written while any line has an error.
 */
export async function importCards(
  store: Store,
  table: string[][],
  options: { dryRun: boolean; at: string },
): Promise<ImportReport> {
  // Cells of a file we exported come back with the spreadsheet formula guard: take it off.
  const [header, ...rows] = table.map((row) => row.map(unguardCell));
  const report: ImportReport = {
    rows: rows.length,
    add: [],
    unchanged: 0,
    errors: [],
    applied: false,
  };
  const column = (name: string) =>
    header?.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase()) ?? -1;
  const cardColumn = column('cardId');
  const userColumn = column('username');
  if (cardColumn === -1 || userColumn === -1) {
    report.errors.push({
      line: 1,
      message: 'The first line must name the columns, with at least "username" and "cardId".',
    });
    return report;
  }
  const seen = new Map<string, number>();
  const users = new Map<string, number | null>();
  for (const [index, row] of rows.entries()) {
    const line = index + 2;
    const cardId = (row[cardColumn] ?? '').trim();
    const username = (row[userColumn] ?? '').trim();
    const fail = (message: string) => report.errors.push({ line, message });
    if (!CardId.safeParse(cardId).success) {
      fail(
        `card id "${cardId}" is not valid: printable characters without spaces, 1 to 128 of them.`,
      );
      continue;
    }
    if (seen.has(cardId)) {
      fail(`card ${cardId} is already on line ${seen.get(cardId)}.`);
      continue;
    }
    seen.set(cardId, line);
    if (!users.has(username.toLowerCase())) {
      users.set(username.toLowerCase(), (await store.findUserByUsername(username))?.id ?? null);
    }
    const userId = users.get(username.toLowerCase());
    if (userId === null || userId === undefined) {
      fail(`there is no user "${username}".`);
      continue;
    }
    const expiresColumn = column('expiresAt');
    const expires = expiresColumn === -1 ? '' : (row[expiresColumn] ?? '').trim();
    if (expires !== '' && !ExpiresAt.safeParse(expires).success) {
      fail(`expiresAt "${expires}" is not an ISO date-time such as 2027-01-31T12:00:00Z.`);
      continue;
    }
    const existing = await store.findCard(cardId);
    if (existing && existing.owner.id === userId) {
      report.unchanged++;
    } else if (existing) {
      fail(`card ${cardId} belongs to ${existing.owner.username}; remove it there first.`);
    } else {
      report.add.push({ line, cardId, username, expiresAt: expires === '' ? null : expires });
    }
  }
  if (options.dryRun || report.errors.length > 0) return report;
  for (const item of report.add) {
    const userId = users.get(item.username.toLowerCase());
    if (typeof userId !== 'number') continue;
    try {
      await store.addCard({
        cardId: item.cardId,
        userId,
        at: options.at,
        source: 'admin',
        expiresAt: item.expiresAt,
      });
    } catch (error) {
      // Enrolled at a panel since the plan was made: report it instead of failing the rest.
      if (!(error instanceof DuplicateError)) throw error;
      report.errors.push({
        line: item.line,
        message: `card ${item.cardId} was enrolled meanwhile; skipped.`,
      });
    }
  }
  report.applied = true;
  return report;
}

import { describe, expect, it } from 'vitest';
import { terminalListLine } from './admin.ts';

describe('cardbind admin terminal list: one line per terminal', () => {
  const terminal = {
    name: 'Lobby MFD',
    createdAt: '2026-01-02T03:04:05.000Z',
    lastSeenAt: null,
    revokedAt: null,
  };

  it('shows an active terminal that was never seen', () => {
    expect(terminalListLine(terminal)).toBe('Lobby MFD\t2026-01-02T03:04:05.000Z\tnever\tactive');
  });

  it('marks a revoked terminal with when it was revoked, after when it was last seen', () => {
    expect(
      terminalListLine({
        ...terminal,
        lastSeenAt: '2026-02-01T00:00:00.000Z',
        revokedAt: '2026-02-03T00:00:00.000Z',
      }).split('\t'),
    ).toEqual([
      'Lobby MFD',
      '2026-01-02T03:04:05.000Z',
      '2026-02-01T00:00:00.000Z',
      'revoked 2026-02-03T00:00:00.000Z',
    ]);
  });
});

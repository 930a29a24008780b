import { describe, expect, it } from 'vitest';
import { ADA, BOB, useApiFixture } from './api-fixture.ts';

describe('card policies (MyQ: multiple cards, temporary cards)', () => {
  const f = useApiFixture();
  const configure = async (enrollment: Record<string, unknown>) => {
    const current = (await f.get('/api/v1/settings')).json() as { enrollment: object };
    const response = await f.app.inject({
      method: 'PUT',
      url: '/api/v1/settings',
      headers: { authorization: `Bearer ${f.adminToken}` },
      payload: { ...current, enrollment: { ...current.enrollment, ...enrollment } },
    });
    expect(response.statusCode).toBe(200);
  };
  const enrollAs = async (cardId: string, user: { username: string; password: string }) => {
    const token = await f.enrollmentToken(cardId);
    const response = await f.enroll({
      enrollmentToken: token,
      username: user.username,
      secret: user.password,
    });
    expect(response.statusCode).toBe(201);
  };
  const cardsOf = async (username: string) =>
    (
      (await f.get('/api/v1/cards')).json() as {
        cards: Array<{ cardId: string; username: string; expiresAt: string | null }>;
      }
    ).cards
      .filter((c) => c.username === username)
      .map((c) => c.cardId)
      .sort();

  it('keeps several cards per user by default', async () => {
    await enrollAs('CARD-1', ADA);
    await enrollAs('CARD-2', ADA);
    expect(await cardsOf('ada')).toEqual(['CARD-1', 'CARD-2']);
  });

  it("replaces the user's cards with the new one when multiple cards are off", async () => {
    await enrollAs('CARD-1', ADA);
    await enrollAs('CARD-B', BOB);
    await configure({ multipleCards: false });
    await enrollAs('CARD-2', ADA);
    expect(await cardsOf('ada')).toEqual(['CARD-2']);
    expect(await cardsOf('bob')).toEqual(['CARD-B']);
  });

  it('expires temporary cards, refusing them with a reason, and lets them be enrolled again', async () => {
    await configure({ temporaryCards: true, temporaryCardValidityHours: 8 });
    await enrollAs('CARD-T', ADA);
    expect((await f.cardAuth('CARD-T')).json()).toMatchObject({ result: 'known' });

    f.advance(8 * 3_600_000);
    const expired = (await f.cardAuth('CARD-T')).json() as Record<string, unknown>;
    expect(expired).toMatchObject({ result: 'unknown', reason: 'card_expired' });

    // Someone else may now take the card over: it is no longer Ada's.
    const response = await f.enroll({
      enrollmentToken: expired.enrollmentToken,
      username: BOB.username,
      secret: BOB.password,
    });
    expect(response.statusCode).toBe(201);
    expect((await f.cardAuth('CARD-T')).json()).toMatchObject({
      result: 'known',
      user: { username: 'bob' },
    });
  });
});

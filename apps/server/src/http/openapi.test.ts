import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADA, BOB, useApiFixture } from './api-fixture.ts';
import { routesOf } from './app.ts';
import { OPERATIONS } from './openapi.ts';
import { StoredAuditEvent } from '../store/audit.ts';

type Method = 'get' | 'post' | 'patch';
interface Document {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          { content?: Record<string, { schema: z.core.JSONSchema.BaseSchema }> }
        >;
      }
    >
  >;
}

describe('OpenAPI document', () => {
  const f = useApiFixture();

  /**
   * Checks a real answer against the JSON schema the served document gives for its path, method
   * and status: no field missing or of another type anywhere, and no extra field at the top
   * level (only there is the schema's strictness itself checked).
   */
  const expectDocumented = async (
    method: Method,
    path: string,
    response: LightMyRequestResponse,
  ) => {
    const doc = (await f.get('/api/v1/openapi.json', null)).json() as Document;
    const documented =
      doc.paths[path]?.[method]?.responses[response.statusCode]?.content?.['application/json'];
    expect(documented, `${method} ${path} ${response.statusCode} is documented`).toBeDefined();
    const schema = z.fromJSONSchema(documented?.schema ?? false);
    const body: unknown = response.json();
    expect(schema.safeParse(body).error, `${method} ${path}`).toBeUndefined();
    // The schema is strict, or the check above would prove little: an extra field fails it.
    expect(schema.safeParse({ ...(body as object), unexpected: 1 }).success).toBe(false);
    return body;
  };

  it('describes every route the server registers, and nothing else', () => {
    // The portal's pages and assets are not API endpoints.
    const registered = new Set(
      routesOf(f.app)
        .filter((r) => !/^\w+ \/portal\b/.test(r))
        .map((r) => r.replace(/:(\w+)/g, '{$1}')),
    );
    const documented = new Set(
      Object.entries(OPERATIONS).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m} ${path}`),
      ),
    );
    expect([...registered].sort()).toEqual([...documented].sort());
  });

  it('is served as JSON with request schemas from the validators', async () => {
    const response = await f.get('/api/v1/openapi.json', null);
    expect(response.statusCode).toBe(200);
    const doc = response.json() as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<
                string,
                { schema: { required?: string[]; additionalProperties?: unknown } }
              >;
            };
          }
        >
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    const enroll =
      doc.paths['/api/v1/terminal/enroll']!.post!.requestBody!.content['application/json']!.schema;
    expect(enroll.required).toEqual(['enrollmentToken', 'username', 'secret', 'method']);
    expect(enroll.additionalProperties).toBe(false);
  });

  it('lists the fields of audit events, as the audit endpoint returns them', async () => {
    const doc = (await f.get('/api/v1/openapi.json', null)).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const ok = doc.paths['/api/v1/audit']?.get?.responses['200'] as {
      content: Record<string, { schema: { properties: { events: { items: object } } } }>;
    };
    const item = ok.content['application/json']?.schema.properties.events.items as {
      properties: Record<string, unknown>;
      required: string[];
    };
    const fields = ['id', 'at', 'action', 'outcome', 'actor', 'subject', 'terminal', 'card'];
    expect(Object.keys(item.properties).sort()).toEqual([...fields, 'detail'].sort());
    expect(item.required.sort()).toEqual([...fields, 'detail'].sort());
    expect(item.properties.outcome).toMatchObject({ enum: ['success', 'failure', 'denied'] });

    // What the endpoint really answers fits the documented schema, with no field left out.
    await f.cardAuth('SOME-CARD');
    await f.post('/api/v1/users/ada/otp', {}, f.adminToken);
    const { events } = (await f.get('/api/v1/audit?limit=10')).json() as { events: unknown[] };
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(StoredAuditEvent.strict().parse(event)).toEqual(event);
  });

  it('documents the terminal answers as the terminal endpoints give them', async () => {
    const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      f.send(method, url, payload);
    const added = await admin('POST', '/api/v1/terminals', { name: 'Kiosk 3' });
    expect(added.statusCode).toBe(201);
    await expectDocumented('post', '/api/v1/terminals', added);
    // A swipe and an enrollment fill in last seen and the card count.
    const { token } = added.json() as { token: string };
    const enrollmentToken = await f.enrollmentToken('CARD-1', token);
    expect(
      (await f.enroll({ enrollmentToken, username: ADA.username, secret: ADA.password }, token))
        .statusCode,
    ).toBe(201);
    const listed = await admin('GET', '/api/v1/terminals');
    const { terminals } = (await expectDocumented('get', '/api/v1/terminals', listed)) as {
      terminals: Array<{ name: string; cards: number; lastSeenAt: string | null }>;
    };
    expect(terminals.find((t) => t.name === 'Kiosk 3')).toMatchObject({
      cards: 1,
      lastSeenAt: f.now().toISOString(),
    });

    const renamed = await admin('PATCH', '/api/v1/terminals/Kiosk%203', { name: 'Kiosk 4' });
    expect(renamed.statusCode).toBe(200);
    await expectDocumented('patch', '/api/v1/terminals/{name}', renamed);
    const revoked = await admin('POST', '/api/v1/terminals/Kiosk%204/revoke');
    expect(revoked.json()).toMatchObject({ revokedAt: f.now().toISOString() });
    await expectDocumented('post', '/api/v1/terminals/{name}/revoke', revoked);
  });

  it('documents my profile as GET /me gives it, with and without the optional parts', async () => {
    const me = async (user: { username: string; password: string }) => {
      const token = await f.accessToken(user);
      return (method: 'GET' | 'PATCH', payload?: object) =>
        f.send(method, '/api/v1/me', payload, token);
    };
    // Ada has a card, a PIN and a language; Bob has none of them and no e-mail address.
    expect(
      (await f.post('/api/v1/users/ada/cards', { cardId: 'CARD-1' }, f.adminToken)).statusCode,
    ).toBe(201);
    expect((await f.post('/api/v1/users/ada/pin', {}, f.adminToken)).statusCode).toBe(201);
    const ada = await me(ADA);
    expect((await ada('PATCH', { language: 'de' })).statusCode).toBe(204);
    const full = (await expectDocumented('get', '/api/v1/me', await ada('GET'))) as {
      cards: unknown[];
      pin: unknown;
      language: unknown;
    };
    expect(full.cards).toHaveLength(1);
    expect(full.pin).not.toBeNull();
    expect(full.language).toBe('de');

    const bare = (await expectDocumented('get', '/api/v1/me', await (await me(BOB))('GET'))) as {
      email: unknown;
      cards: unknown[];
      pin: unknown;
    };
    expect(bare).toMatchObject({ email: null, cards: [], pin: null });
  });
});

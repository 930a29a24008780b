import { describe, expect, it } from 'vitest';
import { useApiFixture } from './api-fixture.ts';
import { routesOf } from './app.ts';
import { OPERATIONS } from './openapi.ts';
import { StoredAuditEvent } from '../store/audit.ts';

describe('OpenAPI document', () => {
  const f = useApiFixture();

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
});

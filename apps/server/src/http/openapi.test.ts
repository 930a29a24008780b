import { describe, expect, it } from 'vitest';
import { useApiFixture } from './api-fixture.ts';
import { routesOf } from './app.ts';
import { OPERATIONS } from './openapi.ts';

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
});

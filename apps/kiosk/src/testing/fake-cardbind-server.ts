import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for the Cardbind server's terminal API (README, "HTTP API"), for kiosk tests:
 * the same routes, answers and error codes, with users and cards in memory.
 */
export interface FakeUser {
  username: string;
  password: string;
  fullName: string;
  pin?: string;
}

export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  contentType: string;
  body: string;
}

export async function startFakeCardbindServer(options: {
  terminalToken: string;
  users: FakeUser[];
  /** A fixed port, to bring a stopped server back where the kiosk expects it. */
  port?: number;
}) {
  const requests: RecordedRequest[] = [];
  const cards = new Map<string, string>();
  const enrollments = new Map<string, string>();
  let tokens = 0;
  let policy = {
    enrollmentMethods: ['password', 'otp', 'pin'],
    loginMethods: ['password', 'pin'],
  };
  /** Set to answer every request with this instead (non-JSON pages, server errors). */
  let override: FakeAnswer | undefined;

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    const body: unknown = text ? JSON.parse(text) : undefined;
    const path = request.url ?? '/';
    requests.push({ path, authorization: request.headers.authorization, body });
    const send = (status: number, json: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(json));
    };
    const fail = (status: number, code: string, message: string) =>
      send(status, { error: { code, message } });

    if (override) {
      response.writeHead(override.status, { 'content-type': override.contentType });
      response.end(override.body);
      return;
    }
    if (request.headers.authorization !== `Bearer ${options.terminalToken}`) {
      return fail(401, 'unauthorized', 'This terminal is not registered with the server.');
    }
    const input = (body ?? {}) as Record<string, string>;
    if (path === '/api/v1/terminal/policy' && request.method === 'GET') {
      return send(200, policy);
    }
    if (path === '/api/v1/terminal/login') {
      const user = options.users.find((u) =>
        input.method === 'pin'
          ? u.pin !== undefined && u.pin === input.pin
          : u.username === input.username && u.password === input.secret,
      );
      if (!user) return fail(401, 'invalid_credentials', 'Wrong credentials.');
      return send(200, {
        result: 'authenticated',
        user: { username: user.username, fullName: user.fullName },
      });
    }
    if (path === '/api/v1/terminal/card-auth') {
      const owner = options.users.find((u) => u.username === cards.get(input.cardId ?? ''));
      if (owner) {
        return send(200, {
          result: 'known',
          user: { username: owner.username, fullName: owner.fullName },
        });
      }
      const token = `cbe_${++tokens}`;
      enrollments.set(token, input.cardId ?? '');
      return send(200, {
        result: 'unknown',
        enrollmentToken: token,
        expiresAt: new Date(Date.now() + 300_000).toISOString(),
      });
    }
    if (path === '/api/v1/terminal/enroll') {
      const cardId = enrollments.get(input.enrollmentToken ?? '');
      if (cardId === undefined) {
        return fail(410, 'enrollment_expired', 'The enrollment expired; swipe again.');
      }
      const user = options.users.find((u) => u.username === input.username);
      if (!user || user.password !== input.secret) {
        return fail(401, 'invalid_credentials', 'Unknown user or wrong password.');
      }
      if (cards.has(cardId)) {
        return fail(409, 'card_already_bound', 'The card belongs to another account.');
      }
      cards.set(cardId, user.username);
      enrollments.delete(input.enrollmentToken ?? '');
      return send(201, {
        result: 'enrolled',
        user: { username: user.username, fullName: user.fullName },
      });
    }
    return fail(404, 'not_found', `No such endpoint: ${path}`);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    /** Binds a card directly, as an earlier enrollment would have. */
    bindCard(cardId: string, username: string) {
      cards.set(cardId, username);
    },
    setPolicy(next: typeof policy) {
      policy = next;
    },
    answerEverythingWith(answer: FakeAnswer | undefined) {
      override = answer;
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeCardbindServer = Awaited<ReturnType<typeof startFakeCardbindServer>>;

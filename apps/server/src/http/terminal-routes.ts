import { API_PREFIX, CardAuthRequest, EnrollRequest, TerminalLoginRequest } from '@cardbind/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.ts';
import { terminalRefusal } from '../errors.ts';
import type { TerminalRecord } from '../store/store.ts';
import { parse } from './validation.ts';
import { bearerToken } from './principal.ts';
import { CARD_AUTH_PATH } from './swipe-fast-path.ts';

/** What panels call, authenticated by their terminal token. */
export function registerTerminalRoutes(app: FastifyInstance, context: ServerContext): void {
  const { terminals, settings } = context;
  const authenticateTerminal = async (request: FastifyRequest): Promise<TerminalRecord> => {
    const token = bearerToken(request);
    const found = token === undefined ? undefined : await terminals.authenticate(token);
    if (found?.status === 'active') return found.terminal;
    throw terminalRefusal(found);
  };

  // Plain swipes are answered before Fastify (swipe-fast-path.ts); this route takes the rest.
  app.post(CARD_AUTH_PATH, async (request) => {
    const terminal = await authenticateTerminal(request);
    const body = parse(CardAuthRequest, request.body);
    return terminals.cardAuth(terminal, body.cardId);
  });

  app.post(`${API_PREFIX}/terminal/enroll`, async (request, reply) => {
    const terminal = await authenticateTerminal(request);
    const body = parse(EnrollRequest, request.body);
    return reply.status(201).send(await terminals.enroll(terminal, body));
  });

  app.post(`${API_PREFIX}/terminal/login`, async (request) => {
    const terminal = await authenticateTerminal(request);
    return terminals.login(terminal, parse(TerminalLoginRequest, request.body));
  });

  app.get(`${API_PREFIX}/terminal/policy`, async (request) => {
    await authenticateTerminal(request);
    const current = await settings.get();
    return {
      enrollmentMethods: current.enrollment.methods,
      loginMethods: current.terminalLogin.methods,
    };
  });
}

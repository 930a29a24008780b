import { API_PREFIX } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import type { TerminalAdminRecord } from '../store/store.ts';
import { auditAction, requirePermissions } from './principal.ts';
import { TerminalName, TerminalParams, type TerminalView } from './schemas.ts';
import { parse } from './validation.ts';

/**
 * A terminal as the API shows it: never its token or token hash. The fields are picked one by
 * one so that a column added to the record does not reach the answer unnoticed.
 */
export function terminalView(terminal: Omit<TerminalAdminRecord, 'id'>): TerminalView {
  return {
    name: terminal.name,
    createdAt: terminal.createdAt,
    lastSeenAt: terminal.lastSeenAt,
    revokedAt: terminal.revokedAt,
    cards: terminal.cards,
  };
}

/** Terminals (kiosks, MFD panels) as administrators manage them: the same operations as the CLI. */
export function registerTerminalAdminRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, admin } = context;

  app.get(`${API_PREFIX}/terminals`, async (request) => {
    await requirePermissions(context, request, 'ManageTerminals');
    return { terminals: (await store.listTerminalsForAdmin()).map(terminalView) };
  });

  app.post(`${API_PREFIX}/terminals`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageTerminals');
    const { name } = parse(TerminalName, request.body);
    const { terminal, token } = await admin.addTerminal(name);
    await auditAction(context, principal, 'terminal.create', { subject: `terminal:${name}` });
    // The token is in this answer only: the server keeps its hash.
    return reply
      .status(201)
      .header('cache-control', 'no-store')
      .send({ terminal: terminalView({ ...terminal, revokedAt: null, cards: 0 }), token });
  });

  app.patch(`${API_PREFIX}/terminals/:name`, async (request) => {
    const principal = await requirePermissions(context, request, 'ManageTerminals');
    const { name } = parse(TerminalParams, request.params);
    const changes = parse(TerminalName, request.body);
    const renamed = await admin.renameTerminal(name, changes.name);
    if (renamed.name !== name) {
      await auditAction(context, principal, 'terminal.rename', {
        subject: `terminal:${renamed.name}`,
        detail: `was "${name}"`,
      });
    }
    return terminalView(renamed);
  });

  app.post(`${API_PREFIX}/terminals/:name/revoke`, async (request) => {
    const principal = await requirePermissions(context, request, 'ManageTerminals');
    const { name } = parse(TerminalParams, request.params);
    const { terminal, revoked } = await admin.revokeTerminal(name);
    // Revoking twice changes nothing, so it is recorded once.
    if (revoked)
      await auditAction(context, principal, 'terminal.revoke', { subject: `terminal:${name}` });
    return terminalView(terminal);
  });
}

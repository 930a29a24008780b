import { API_PREFIX, maskCardId } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import {
  CARD_CSV_HEADER,
  importCards,
  type ChangedCard,
  type ImportAudit,
} from '../card-import.ts';
import { adviseOnSettings, gatherSiteFacts } from '../settings-advice.ts';
import { formatCsvRow, parseCsv } from './csv.ts';
import {
  AuditQuery,
  CardExportQuery,
  CardImportQuery,
  CardListQuery,
  SessionParams,
  UserParams,
} from './schemas.ts';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { parse } from './validation.ts';
import { actionEvent, auditAction, requirePermissions, type Principal } from './principal.ts';
import { usernameKey } from '../store/store.ts';

/** Administration: cards, credentials for users, settings, audit. */
export function registerAdminRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, admin, settings, credentials } = context;

  app.get(`${API_PREFIX}/cards`, async (request) => {
    await requirePermissions(context, request, 'ViewCards');
    const query = parse(CardListQuery, request.query);
    const [cards, total] = await Promise.all([store.listCards(query), store.countCards(query)]);
    return { cards, total };
  });

  app.get(`${API_PREFIX}/cards/export.csv`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ViewCards');
    const { search } = parse(CardExportQuery, request.query);
    await auditAction(context, principal, 'card.export');
    async function* lines() {
      yield formatCsvRow(CARD_CSV_HEADER);
      const limit = 1000;
      for (let offset = 0; ; offset += limit) {
        const page = await store.listCards({ search, sort: 'cardId', order: 'asc', limit, offset });
        for (const c of page) {
          yield formatCsvRow([
            c.cardId,
            c.username,
            c.fullName,
            c.createdAt,
            c.terminal,
            c.expiresAt,
            c.source,
          ]);
        }
        if (page.length < limit) return;
      }
    }
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="cardbind-cards.csv"')
      .header('cache-control', 'no-store')
      .send(Readable.from(lines()));
  });

  app.post(
    `${API_PREFIX}/cards/import`,
    { bodyLimit: 10 * 1024 * 1024 },
    async (request, reply) => {
      const principal = await requirePermissions(context, request, 'ManageCards');
      const { dryRun, skipErrors, reassign } = parse(CardImportQuery, request.query);
      if (typeof request.body !== 'string') {
        throw new ApiError(415, 'invalid_request', 'Send the file as text/csv.');
      }
      let table: string[][];
      try {
        table = parseCsv(request.body);
      } catch (error) {
        throw new ApiError(
          400,
          'invalid_request',
          `The CSV file cannot be read: ${(error as Error).message}.`,
        );
      }
      const report = await importCards(store, table, {
        dryRun: dryRun === 'true',
        skipErrors: skipErrors === 'true',
        reassign: reassign === 'true',
        at: context.now().toISOString(),
        audit: importAudit(context, principal),
      });
      if (dryRun === 'false' && !report.applied) {
        const error = new ApiError(
          400,
          'invalid_request',
          `Nothing was imported: ${report.errors.length} line(s) have errors. Run a dry run to see them, then fix the file or import with skipErrors=true to leave those lines out.`,
        );
        throw error;
      }
      return reply.send(report);
    },
  );

  app.post(`${API_PREFIX}/users/:username/otp`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const { username } = parse(UserParams, request.params);
    const otp = await admin.generateOtp(username);
    await auditAction(context, principal, 'otp.generate', { subject: `user:${username}` });
    return reply.status(201).header('cache-control', 'no-store').send(otp);
  });

  app.post(`${API_PREFIX}/users/:username/pin`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const { username } = parse(UserParams, request.params);
    const pin = await admin.generatePin(username);
    await auditAction(context, principal, 'pin.generate', { subject: `user:${username}` });
    return reply.status(201).header('cache-control', 'no-store').send(pin);
  });

  app.post(`${API_PREFIX}/users/:username/unlock`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const { username } = parse(UserParams, request.params);
    await admin.unlock(username);
    await auditAction(context, principal, 'account.unlock', { subject: `user:${username}` });
    return reply.status(204).send();
  });

  app.delete(`${API_PREFIX}/sessions/:id`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const { id } = parse(SessionParams, request.params);
    if (!(await store.sessions.revoke(id, context.now().toISOString()))) {
      throw new ApiError(404, 'not_found', `There is no active session ${id}.`);
    }
    await auditAction(context, principal, 'session.revoke');
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/settings`, async (request) => {
    await requirePermissions(context, request, 'ManageSettings');
    return settings.get();
  });

  app.put(`${API_PREFIX}/settings`, async (request) => {
    const principal = await requirePermissions(context, request, 'ManageSettings');
    const updated = await settings.replace(request.body ?? {});
    await auditAction(context, principal, 'settings.update');
    return updated;
  });

  app.get(`${API_PREFIX}/settings/advice`, async (request) => {
    await requirePermissions(context, request, 'ManageSettings');
    const current = await settings.get();
    const facts = await gatherSiteFacts(store, current, context.mailConfigured);
    return { advice: adviseOnSettings(current, facts) };
  });

  app.get(`${API_PREFIX}/pin-policy`, async (request) => {
    await requirePermissions(context, request, 'ManageSettings');
    const status = await credentials.pinPolicy();
    return {
      ...status,
      warning:
        status.pinsTooShort > 0
          ? `${status.pinsTooShort} PIN(s) are shorter than the ${status.minimumLength} digits ${status.users} users need; regenerate them.`
          : null,
    };
  });

  app.get(`${API_PREFIX}/audit`, async (request) => {
    await requirePermissions(context, request, 'ViewAudit');
    const query = parse(AuditQuery, request.query);
    const [events, total] = await Promise.all([store.audit.list(query), store.audit.count(query)]);
    return { events, total };
  });
}

/**
 * One event per card the import took from someone — a moved card is a person's badge now opening
 * another account, which the log must show card by card, stored with the move — and one for the
 * import.
 */
function importAudit(context: ServerContext, principal: Principal): ImportAudit {
  const isMove = (c: ChangedCard) => usernameKey(c.was.username) !== usernameKey(c.username);
  return {
    changed: (cards) =>
      cards.filter(isMove).map((card) =>
        actionEvent(context, principal, 'card.reassign', {
          subject: `user:${card.username}`,
          card: maskCardId(card.cardId),
          detail: `from user:${card.was.username} (CSV import)`,
        }),
      ),
    applied(report) {
      const moved = report.change.filter(isMove).length;
      const changed = report.change.length - moved;
      const counts = [
        `${report.add.length} added`,
        ...(changed > 0 ? [`${changed} changed`] : []),
        ...(moved > 0 ? [`${moved} moved`] : []),
        ...(report.errors.length > 0 ? [`${report.errors.length} line(s) skipped`] : []),
      ];
      return actionEvent(context, principal, 'card.import', { detail: counts.join(', ') });
    },
  };
}

import { API_PREFIX } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import type { QueueRecord } from '../store/printers.ts';
import {
  ContainerChanges,
  FavouritesRequest,
  NewContainerRequest,
  NewQueueRequest,
  PrinterIdParams,
  QueueChangesRequest,
} from './printer-schemas.ts';
import { auditAction, requirePermissions, userOf } from './principal.ts';
import { parse } from './validation.ts';

const queueView = (queue: QueueRecord) => ({
  id: queue.id,
  name: queue.name,
  containerId: queue.containerId,
  availableByDefault: queue.availableByDefault,
  groups: queue.groups,
});

/**
 * Print queues in containers: administrators manage them (ManagePrinters), users pick their
 * favourites among the queues they may see (ViewUserInputPorts, as in SAFEQ Cloud).
 */
export function registerPrinterRoutes(app: FastifyInstance, context: ServerContext): void {
  const { printers } = context;

  app.get(`${API_PREFIX}/printers`, async (request) => {
    await requirePermissions(context, request, 'ManagePrinters');
    return printers.adminTree();
  });

  app.post(`${API_PREFIX}/printers/containers`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManagePrinters');
    const body = parse(NewContainerRequest, request.body);
    const container = await printers.createContainer(body.name, body.parentId);
    await auditAction(context, principal, 'printer.container.create', {
      subject: `container:${container.name}`,
    });
    return reply
      .status(201)
      .send({ id: container.id, name: container.name, parentId: container.parentId });
  });

  app.patch(`${API_PREFIX}/printers/containers/:id`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManagePrinters');
    const { id } = parse(PrinterIdParams, request.params);
    const { name } = parse(ContainerChanges, request.body);
    const renamed = await printers.renameContainer(id, name);
    await auditAction(context, principal, 'printer.container.rename', {
      subject: `container:${renamed.to}`,
      detail: `was "${renamed.from}"`,
    });
    return reply.status(204).send();
  });

  app.delete(`${API_PREFIX}/printers/containers/:id`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManagePrinters');
    const { id } = parse(PrinterIdParams, request.params);
    const container = await printers.deleteContainer(id);
    await auditAction(context, principal, 'printer.container.delete', {
      subject: `container:${container.name}`,
    });
    return reply.status(204).send();
  });

  app.post(`${API_PREFIX}/printers/queues`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManagePrinters');
    const queue = await printers.createQueue(parse(NewQueueRequest, request.body));
    await auditAction(context, principal, 'printer.queue.create', {
      subject: `queue:${queue.name}`,
    });
    return reply.status(201).send(queueView(queue));
  });

  app.patch(`${API_PREFIX}/printers/queues/:id`, async (request) => {
    const principal = await requirePermissions(context, request, 'ManagePrinters');
    const { id } = parse(PrinterIdParams, request.params);
    const changes = parse(QueueChangesRequest, request.body);
    const queue = await printers.updateQueue(id, changes);
    await auditAction(context, principal, 'printer.queue.update', {
      subject: `queue:${queue.name}`,
    });
    return queueView(queue);
  });

  app.delete(`${API_PREFIX}/printers/queues/:id`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManagePrinters');
    const { id } = parse(PrinterIdParams, request.params);
    const queue = await printers.deleteQueue(id);
    await auditAction(context, principal, 'printer.queue.delete', {
      subject: `queue:${queue.name}`,
    });
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/me/printers`, async (request) => {
    const principal = await requirePermissions(context, request, 'ViewUserInputPorts');
    return printers.treeFor(userOf(principal).user);
  });

  app.put(`${API_PREFIX}/me/printers/favourites`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ViewUserInputPorts');
    const { user } = userOf(principal);
    const { queueIds } = parse(FavouritesRequest, request.body);
    await printers.setFavourites(user, queueIds);
    return reply.status(204).send();
  });
}

import { z } from 'zod';
import type { Operations } from './openapi.ts';
import {
  AdminPrinterTree,
  AdminQueue,
  AuthorizationList,
  AuthorizationStart,
  ConnectorParams,
  ContainerChanges,
  ContainerView,
  FavouritesRequest,
  NewContainerRequest,
  NewQueueRequest,
  OAuthCallbackQuery,
  PrinterIdParams,
  QueueChangesRequest,
  UserPrinterTree,
} from './printer-schemas.ts';

const admin = { security: 'admin' as const, permissions: ['ManagePrinters'] };
const QueueInContainer = AdminQueue.extend({ containerId: z.number().nullable() });

/** The printer and authorization endpoints, merged into the OpenAPI document's OPERATIONS. */
export const PRINTER_OPERATIONS: Operations = {
  '/api/v1/printers': {
    get: {
      summary: 'All containers and print queues as a tree, with who sees each queue',
      ...admin,
      success: [200, AdminPrinterTree],
      errors: [401, 403],
    },
  },
  '/api/v1/printers/containers': {
    post: {
      summary: 'Create a container (at the top, or inside another)',
      ...admin,
      body: NewContainerRequest,
      success: [201, ContainerView],
      errors: [400, 401, 403, 404],
    },
  },
  '/api/v1/printers/containers/{id}': {
    patch: {
      summary: 'Rename a container',
      ...admin,
      params: PrinterIdParams,
      body: ContainerChanges,
      success: [204, null],
      errors: [400, 401, 403, 404],
    },
    delete: {
      summary: 'Delete an empty container',
      ...admin,
      params: PrinterIdParams,
      success: [204, null],
      errors: [401, 403, 404, 409],
    },
  },
  '/api/v1/printers/queues': {
    post: {
      summary: 'Create a print queue',
      ...admin,
      body: NewQueueRequest,
      success: [201, QueueInContainer],
      errors: [400, 401, 403, 404, 409],
    },
  },
  '/api/v1/printers/queues/{id}': {
    patch: {
      summary: 'Rename or move a print queue, set "available by default" or its groups',
      ...admin,
      params: PrinterIdParams,
      body: QueueChangesRequest,
      success: [200, QueueInContainer],
      errors: [400, 401, 403, 404, 409],
    },
    delete: {
      summary: 'Delete a print queue',
      ...admin,
      params: PrinterIdParams,
      success: [204, null],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/me/printers': {
    get: {
      summary: 'The print queues I may see, in their containers, with my favourites',
      security: 'user',
      permissions: ['ViewUserInputPorts'],
      success: [200, UserPrinterTree],
      errors: [401, 403],
    },
  },
  '/api/v1/me/printers/favourites': {
    put: {
      summary: 'Replace my favourite print queues',
      security: 'user',
      permissions: ['ViewUserInputPorts'],
      body: FavouritesRequest,
      success: [204, null],
      errors: [400, 401, 403, 409],
    },
  },
  '/api/v1/me/authorizations': {
    get: {
      summary:
        'My authorizations per connector type: authorized, not_authorized, or expired (authorize again); run-out access tokens are refreshed first',
      security: 'user',
      permissions: ['ViewMyProfile'],
      success: [200, AuthorizationList],
      errors: [401, 403],
    },
  },
  '/api/v1/me/authorizations/{type}/start': {
    post: {
      summary:
        'Start authorizing a connector type (OAuth 2.0 code flow with PKCE): where to send the browser',
      security: 'user',
      permissions: ['ModifyMyProfile'],
      params: ConnectorParams,
      success: [200, AuthorizationStart],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/me/authorizations/{type}': {
    delete: {
      summary:
        'Forget my authorization for a connector type (and revoke its tokens at the provider, best effort, when it has a revocation endpoint)',
      security: 'user',
      permissions: ['ModifyMyProfile'],
      params: ConnectorParams,
      success: [204, null],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/oauth/callback': {
    get: {
      summary:
        'OAuth 2.0 redirect URI: exchanges the code, then redirects (303) to the portal with ?result=',
      security: 'none',
      query: OAuthCallbackQuery,
      success: [303, null],
      errors: [],
    },
  },
};

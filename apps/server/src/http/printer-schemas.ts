import { z } from 'zod';

/** Request and answer schemas of the printer and authorization endpoints (see openapi.ts). */

const Name = z.string().trim().min(1, 'must not be empty').max(200);
const ParentId = z.number().int().positive().nullable();
const GroupNames = z.array(z.string().min(1).max(200)).max(100).nullable();

export const PrinterIdParams = z.strictObject({ id: z.coerce.number().int().positive() });

export const NewContainerRequest = z.strictObject({
  name: Name,
  /** null: at the top of the tree. */
  parentId: ParentId.default(null),
});
export const ContainerChanges = z.strictObject({ name: Name });

export const NewQueueRequest = z.strictObject({
  name: Name,
  containerId: ParentId.default(null),
  availableByDefault: z.boolean().default(false),
  /** Groups that see the queue; null: everybody. */
  groups: GroupNames.default(null),
});
export const QueueChangesRequest = z.strictObject({
  name: Name.optional(),
  containerId: ParentId.optional(),
  availableByDefault: z.boolean().optional(),
  groups: GroupNames.optional(),
});

export const FavouritesRequest = z.strictObject({
  /** The queues the user picked; queues available by default may be left out. */
  queueIds: z.array(z.number().int().positive()).max(10_000),
});

export const ConnectorParams = z.strictObject({ type: z.string().min(1).max(64) });

/** What a provider sends back to the redirect URI (RFC 6749 §4.1.2); other parameters ignored. */
export const OAuthCallbackQuery = z.object({
  state: z.string().max(512).optional(),
  code: z.string().max(4096).optional(),
  error: z.string().max(200).optional(),
});

const ContainerView = z.object({
  id: z.number(),
  name: z.string(),
  parentId: z.number().nullable(),
});
export const AdminQueue = z.object({
  id: z.number(),
  name: z.string(),
  availableByDefault: z.boolean(),
  groups: z.array(z.string()).nullable(),
});
export const UserQueue = z.object({
  id: z.number(),
  name: z.string(),
  availableByDefault: z.boolean(),
  favourite: z.boolean(),
});

/** A tree of containers holding containers and queues. */
function treeOf<Q extends z.ZodType>(queue: Q) {
  const Node: z.ZodType = z.object({
    id: z.number(),
    name: z.string(),
    get containers() {
      return z.array(Node);
    },
    queues: z.array(queue),
  });
  return z.object({ containers: z.array(Node), queues: z.array(queue) });
}
export const AdminPrinterTree = treeOf(AdminQueue);
export const UserPrinterTree = treeOf(UserQueue);
export { ContainerView };

export const AuthorizationList = z.object({
  authorizations: z.array(
    z.object({
      type: z.string(),
      name: z.string(),
      status: z.enum(['authorized', 'not_authorized', 'expired']),
      authorizedAt: z.iso.datetime().nullable(),
      expiresAt: z.iso.datetime().nullable(),
    }),
  ),
});
export const AuthorizationStart = z.object({
  /** Send the browser here; the provider sends it back to /api/v1/oauth/callback. */
  redirectUrl: z.url(),
});

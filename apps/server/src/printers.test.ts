import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPrinterTree, canSeeQueue, type ContainerNode } from './printers.ts';
import type { ContainerRecord } from './store/printers.ts';

const at = '2026-01-01T00:00:00.000Z';

/** Containers whose parents come earlier (a forest), and queues in them or at the top. */
const forest = fc
  .array(fc.tuple(fc.string({ maxLength: 3 }), fc.nat()), { maxLength: 25 })
  .chain((specs) => {
    const containers: ContainerRecord[] = specs.map(([name, pick], index) => ({
      id: index + 1,
      name,
      parentId: index === 0 || pick % 3 === 0 ? null : (pick % index) + 1,
      createdAt: at,
    }));
    const queues = fc.array(fc.record({ name: fc.string({ maxLength: 3 }), slot: fc.nat() }), {
      maxLength: 40,
    });
    return fc.tuple(fc.constant(containers), queues);
  })
  .map(([containers, queueSpecs]) => ({
    containers,
    queues: queueSpecs.map(({ name, slot }, index) => ({
      containerId: slot % (containers.length + 1) === 0 ? null : slot % (containers.length + 1),
      view: { id: index + 1, name },
    })),
  }));

function flatten<Q>(nodes: ContainerNode<Q>[]): { containers: number[]; queues: Q[] } {
  const containers: number[] = [];
  const queues: Q[] = [];
  for (const node of nodes) {
    const inner = flatten(node.containers);
    containers.push(node.id, ...inner.containers);
    queues.push(...node.queues, ...inner.queues);
  }
  return { containers, queues };
}

describe('buildPrinterTree', () => {
  it('places every queue exactly once, under its own container', () => {
    fc.assert(
      fc.property(forest, fc.boolean(), ({ containers, queues }, prune) => {
        const tree = buildPrinterTree(containers, queues, { prune });
        const flat = flatten(tree.containers);
        const placed = [...tree.queues, ...flat.queues].map((q) => q.id).sort((a, b) => a - b);
        expect(placed).toEqual(queues.map((q) => q.view.id));
        const check = (nodes: ContainerNode<{ id: number }>[]) => {
          for (const node of nodes) {
            for (const queue of node.queues) {
              expect(queues.find((q) => q.view.id === queue.id)?.containerId).toBe(node.id);
            }
            check(node.containers);
          }
        };
        check(tree.containers);
        expect(new Set(flat.containers).size).toBe(flat.containers.length);
        if (!prune) expect(flat.containers.length).toBe(containers.length);
      }),
    );
  });

  it('prunes containers without queues at any depth, and sorts by name', () => {
    const containers: ContainerRecord[] = [
      { id: 1, name: 'b', parentId: null, createdAt: at },
      { id: 2, name: 'A', parentId: null, createdAt: at },
      { id: 3, name: 'empty', parentId: 1, createdAt: at },
      { id: 4, name: 'deep', parentId: 2, createdAt: at },
    ];
    const tree = buildPrinterTree(
      containers,
      [
        { containerId: 4, view: { id: 1, name: 'z' } },
        { containerId: 4, view: { id: 2, name: 'Y' } },
      ],
      { prune: true },
    );
    expect(tree).toEqual({
      containers: [
        {
          id: 2,
          name: 'A',
          queues: [],
          containers: [
            {
              id: 4,
              name: 'deep',
              containers: [],
              queues: [
                { id: 2, name: 'Y' },
                { id: 1, name: 'z' },
              ],
            },
          ],
        },
      ],
      queues: [],
    });
  });

  it('hides a branch whose parent links loop instead of looping forever', () => {
    const containers: ContainerRecord[] = [
      { id: 1, name: 'a', parentId: 2, createdAt: at },
      { id: 2, name: 'b', parentId: 1, createdAt: at },
    ];
    expect(buildPrinterTree(containers, [], { prune: false })).toEqual({
      containers: [],
      queues: [],
    });
  });
});

describe('canSeeQueue', () => {
  it('lets everybody see queues without groups or for ALL USERS, else members only', () => {
    expect(canSeeQueue({ groups: null }, [])).toBe(true);
    expect(canSeeQueue({ groups: ['ALL USERS'] }, [])).toBe(true);
    expect(canSeeQueue({ groups: ['Staff'] }, ['Guests'])).toBe(false);
    expect(canSeeQueue({ groups: ['Staff', 'Guests'] }, ['Guests'])).toBe(true);
    expect(canSeeQueue({ groups: [] }, ['Staff'])).toBe(false);
  });
});

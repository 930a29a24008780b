import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The systemd unit the packages install for the reader daemon. */
const READER_UNIT_FILE = path.resolve(
  import.meta.dirname,
  '../../../packaging/linux/cardbind-reader.service',
);

/**
 * The node flags of a unit's `ExecStart=.../node <flags> .../cardbind-reader.mjs` line, so tests
 * and benches run the bundle the way the shipped unit does; undefined when there is no such line.
 */
export function parseServiceNodeFlags(unit: string): string[] | undefined {
  const flags = /^ExecStart=\S*node((?: --\S+)*) \S*cardbind-reader\.mjs/m.exec(unit)?.[1];
  return flags?.split(' ').filter(Boolean);
}

/** The node flags of packaging/linux/cardbind-reader.service. */
export function serviceNodeFlags(unitFile = READER_UNIT_FILE): string[] {
  const flags = parseServiceNodeFlags(readFileSync(unitFile, 'utf8'));
  if (flags === undefined) {
    throw new Error(
      `no \`ExecStart=... node [--flags] ... cardbind-reader.mjs\` line in ${unitFile}: ` +
        'the reader tests and benches read the node flags from it',
    );
  }
  return flags;
}

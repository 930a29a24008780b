import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServiceNodeFlags, serviceNodeFlags } from './service-unit.ts';

describe('the node flags of the reader unit', () => {
  it('are read from the ExecStart line', () => {
    const unit = [
      '[Service]',
      'ExecStartPre=/usr/bin/node --version',
      'ExecStart=/usr/bin/node --max-semi-space-size=1 --lite-mode /opt/cardbind/daemon/dist/cardbind-reader.mjs $ARGS',
      '',
    ].join('\n');
    expect(parseServiceNodeFlags(unit)).toEqual(['--max-semi-space-size=1', '--lite-mode']);
    expect(parseServiceNodeFlags(unit.replace(' --max-semi-space-size=1 --lite-mode', ''))).toEqual(
      [],
    );
    expect(parseServiceNodeFlags('ExecStart=/usr/bin/cardbind reader')).toBeUndefined();
  });

  it('come back as written, whatever the flags', () => {
    const flag = fc.stringMatching(/^--[a-z][a-z-]{0,20}(=[\w.,/-]{1,10})?$/);
    fc.assert(
      fc.property(fc.array(flag, { maxLength: 6 }), (flags) => {
        const line = ['ExecStart=/usr/bin/node', ...flags, '/opt/x/cardbind-reader.mjs'].join(' ');
        expect(parseServiceNodeFlags(`[Service]\n${line} --serial /dev/ttyACM0\n`)).toEqual(flags);
      }),
    );
  });

  it('are found in the unit file the packages install', () => {
    // The reader's memory target rests on these two (bench/README.md).
    expect(serviceNodeFlags()).toEqual(
      expect.arrayContaining(['--max-semi-space-size=1', '--lite-mode']),
    );
  });
});

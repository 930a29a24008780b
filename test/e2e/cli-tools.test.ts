import { describe, expect, it } from 'vitest';
import { runCli } from '../support/processes.ts';

describe('cardbind convert', () => {
  it('converts with an expression in any dialect', async () => {
    const safeq = await runCli(['convert', '--expr', 'Hex2Dec;LeftPadding(0,10)', '0A0B']);
    expect(safeq.code, safeq.stderr).toBe(0);
    expect(safeq.stdout).toBe('0000002571\n');
    const ours = await runCli([
      'convert',
      '--explain',
      '--expr',
      'reverse-bytes | hex-to-dec',
      '04A1B2C3',
    ]);
    expect(ours.stdout).toBe('3283263748\n');
    expect(ours.stderr).toContain('dialect cardbind');
  });

  it('points at the offending rule of an invalid expression', async () => {
    const result = await runCli(['convert', '--expr', 'hex2dec|hex2decc', '04']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'rule 2 "hex2decc": unknown operation; did you mean "hex2dec"?',
    );
  });

  it('infers a pipeline from examples, or says none was found', async () => {
    const found = await runCli([
      'convert',
      '--infer',
      '04A1B2C3=3283263748',
      '0A0B0C0D=218893066',
      '01020304=67305985',
    ]);
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toBe('reverse-bytes | hex-to-dec\n');
    const none = await runCli(['convert', '--infer', '01=zebra', '02=apple', '03=mango']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No conversion of up to 4 steps maps every example');
  });
});

describe('cardbind readers', () => {
  it('lists attached devices without crashing on a machine with no readers', async () => {
    const result = await runCli(['readers', 'list', '--json']);
    expect(result.code, result.stderr).toBe(0);
    for (const line of result.stdout.split('\n').filter(Boolean)) {
      expect(JSON.parse(line)).toMatchObject({
        transport: expect.stringMatching(/^(serial|hid)$/),
        path: expect.any(String),
      });
    }
  });
});

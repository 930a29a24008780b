import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, type LongRunning } from '../support/processes.ts';

/** The README's first command: the whole system in one process, with instructions. */
describe('cardbind demo', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-demo-'));
  let demo: LongRunning | undefined;
  afterAll(async () => {
    await demo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs server, simulated reader and kiosk, and says what to do next', async () => {
    const [serverPort, readerPort, kioskPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const data = path.join(dir, 'data');
    demo = await startCli(
      [
        'demo',
        '--data',
        data,
        '--server-port',
        String(serverPort),
        '--reader-port',
        String(readerPort),
        '--kiosk-port',
        String(kioskPort),
      ],
      /Press Ctrl-C to stop/,
    );
    const output = demo.output();
    expect(output).toContain(`Kiosk   http://127.0.0.1:${kioskPort}`);
    expect(output).toContain('no default ones');
    expect(output).toContain(`npx cardbind swipe 04A1B2C3D4 --port ${readerPort}`);
    expect(output).toContain(`npx cardbind admin --data ${data} token add`);

    expect((await fetch(`http://127.0.0.1:${serverPort}/healthz`)).status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${kioskPort}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<!doctype html>');
    const swipe = await runCli(['swipe', '04A1B2C3D4', '--port', String(readerPort)]);
    expect(swipe.code, swipe.stderr).toBe(0);
  });
});

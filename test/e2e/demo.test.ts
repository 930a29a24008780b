import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
        '--language',
        'de',
        '--panel',
        'generic-7in-800x480',
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
    const html = await page.text();
    expect(html).toContain('<!doctype html>');
    expect(html).toContain('<html lang="de">');
    const config = (await (
      await fetch(`http://127.0.0.1:${kioskPort}/kiosk/v1/config`)
    ).json()) as {
      language: string;
      panel: { id: string; width: number; height: number };
    };
    expect(config).toMatchObject({
      language: 'de',
      panel: { id: 'generic-7in-800x480', width: 800, height: 480 },
    });

    // The reader daemon runs with a token: swipes and the event stream need it ...
    const tokenFile = path.join(data, 'demo-reader-token');
    expect(statSync(tokenFile).mode & 0o077).toBe(0);
    const readerToken = readFileSync(tokenFile, 'utf8').trim();
    expect(readerToken).toMatch(/^cbr_\S{20,}$/);
    expect(output).not.toContain(readerToken);
    const refused = await runCli(['swipe', '04A1B2C3D4', '--port', String(readerPort)]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('token');

    // ... and the kiosk host has it: its page sees the reader link connected and the swipe.
    const feed = await fetch(`http://127.0.0.1:${kioskPort}/kiosk/v1/events`);
    const reader = feed.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const waitFor = async (text: string) => {
      while (!received.includes(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the kiosk feed ended before ${text}: ${received}`);
        received += decoder.decode(value, { stream: true });
      }
    };
    await waitFor('"status":"connected"');
    const swipe = await runCli([
      'swipe',
      '04A1B2C3D4',
      '--port',
      String(readerPort),
      '--reader-token',
      readerToken,
    ]);
    expect(swipe.code, swipe.stderr).toBe(0);
    await waitFor('"cardId":"04A1B2C3D4"');
    await reader.cancel();
  });
});

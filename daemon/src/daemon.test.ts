import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startReaderDaemon, type ReaderDaemon } from './daemon.ts';
import { simulateSwipe } from './simulate.ts';
import { subscribe } from './sse-test-client.ts';

/** A socat pseudo-terminal pair: the daemon opens one end, the test writes into the other. */
async function ptyPair(dir: string) {
  const readerEnd = path.join(dir, 'reader');
  const deviceEnd = path.join(dir, 'device');
  const socat = spawn('socat', [
    `pty,raw,echo=0,link=${readerEnd}`,
    `pty,raw,echo=0,link=${deviceEnd}`,
  ]);
  const deadline = Date.now() + 5000;
  while (!(existsSync(readerEnd) && existsSync(deviceEnd))) {
    if (socat.exitCode !== null || Date.now() > deadline) throw new Error('socat did not start');
    await sleep(20);
  }
  return { readerEnd, deviceEnd, socat };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

describe('reader daemon', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const start = async (options: Parameters<typeof startReaderDaemon>[0]) => {
    const daemon = await startReaderDaemon(options);
    cleanups.push(() => daemon.close());
    return daemon;
  };
  const events = async (daemon: ReaderDaemon) => {
    const stream = await subscribe(`${daemon.url}/v1/events`);
    cleanups.push(() => stream.close());
    return stream;
  };

  it('publishes simulated swipes, normalized, on loopback SSE', async () => {
    const daemon = await start({ repeatWindowMs: 0 });
    expect(daemon.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const stream = await events(daemon);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    await simulateSwipe({ port: daemon.port, cardId: ' 04a1b2c3d4 ' });
    const { data } = await stream.next('card');
    expect(data).toEqual({
      cardId: '04A1B2C3D4',
      readerId: 'simulated',
      profile: 'simulated',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('refuses bad simulate requests in the API error shape', async () => {
    const daemon = await start({});
    const post = (body: string, type = 'application/json') =>
      request(`${daemon.url}/v1/simulate`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
    const cases: Array<[Promise<Awaited<ReturnType<typeof post>>>, number, string]> = [
      [post('{"cardId":"AB CD"}'), 400, 'invalid_request'],
      [post('{"cardId":'), 400, 'invalid_request'],
      [post('{"cardId":"AB","x":1}'), 400, 'invalid_request'],
      [post('{"cardId":"AB"}', 'text/plain'), 415, 'invalid_request'],
      [post(JSON.stringify({ cardId: 'A'.repeat(5000) })), 413, 'payload_too_large'],
    ];
    for (const [pending, status, code] of cases) {
      const response = await pending;
      expect(response.statusCode).toBe(status);
      expect(((await response.body.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    const missing = await request(`${daemon.url}/nope`);
    expect(missing.statusCode).toBe(404);
    await missing.body.dump();
  });

  it('tells `cardbind swipe` users when no daemon listens', async () => {
    const daemon = await start({});
    const port = daemon.port;
    await daemon.close();
    cleanups.pop();
    await expect(simulateSwipe({ port, cardId: 'AB' })).rejects.toThrow(
      /No reader daemon on 127\.0\.0\.1:\d+.*cardbind reader/,
    );
  });

  it('reads a real PTY with serialport, suppresses repeats, and reopens a port that comes back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-daemon-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let pty = await ptyPair(dir);
    cleanups.push(() => stop(pty.socat));

    const daemon = await start({
      readers: [{ path: pty.readerEnd, profile: 'generic-serial', readerId: 'front' }],
      repeatWindowMs: 60_000,
    });
    const stream = await events(daemon);
    expect((await stream.next('reader')).data).toMatchObject({
      readerId: 'front',
      status: 'connected',
    });

    writeFileSync(pty.deviceEnd, '04a1b2c3d4\r\n');
    expect((await stream.next('card')).data).toMatchObject({
      cardId: '04A1B2C3D4',
      readerId: 'front',
      profile: 'generic-serial',
    });
    writeFileSync(pty.deviceEnd, '04A1B2C3D4\r\n'); // held in the field: suppressed
    writeFileSync(pty.deviceEnd, '\x00\xff\x13garbage\r\n' + 'X'.repeat(500) + '\r\n'); // dropped
    writeFileSync(pty.deviceEnd, '0000112233\n');
    expect((await stream.next('card')).data).toMatchObject({ cardId: '0000112233' });
    expect(stream.events.filter((e) => e.event === 'card')).toEqual([]);

    // Unplug: the PTY vanishes. Plug back in: a new PTY appears at the same path.
    await stop(pty.socat);
    // socat may leave its links behind; a stale link must not be mistaken for the new device.
    rmSync(pty.readerEnd, { force: true });
    rmSync(pty.deviceEnd, { force: true });
    expect((await stream.next('reader')).data).toMatchObject({
      readerId: 'front',
      status: 'disconnected',
    });
    pty = await ptyPair(dir);
    expect((await stream.next('reader', 5000)).data).toMatchObject({ status: 'connected' });
    writeFileSync(pty.deviceEnd, 'AABBCCDD\r');
    expect((await stream.next('card')).data).toMatchObject({ cardId: 'AABBCCDD' });

    const health = await request(`${daemon.url}/healthz`);
    expect(await health.body.json()).toMatchObject({
      status: 'ok',
      readers: [{ readerId: 'front', status: 'connected' }],
    });
    // A cap, not a speed goal: reconnecting waits up to 2 s between attempts by design.
  }, 20_000);

  it('fails at start on an unknown profile', async () => {
    await expect(
      startReaderDaemon({ readers: [{ path: '/dev/null', profile: 'nope' }] }),
    ).rejects.toThrow(/Unknown reader profile "nope"/);
  });
});

describe('reader daemon with a token', () => {
  it('refuses the stream and simulated swipes without the token, and serves them with it', async () => {
    const daemon = await startReaderDaemon({ token: 'kiosk-secret', repeatWindowMs: 0 });
    try {
      const anonymous = await request(`${daemon.url}/v1/events`);
      expect(anonymous.statusCode).toBe(401);
      expect(((await anonymous.body.json()) as { error: { code: string } }).error.code).toBe(
        'unauthorized',
      );
      await expect(simulateSwipe({ port: daemon.port, cardId: 'AB12' })).rejects.toThrow(
        /needs its token/,
      );
      await expect(
        simulateSwipe({ port: daemon.port, cardId: 'AB12', token: 'wrong' }),
      ).rejects.toThrow(/needs its token/);
      await simulateSwipe({ port: daemon.port, cardId: 'AB12', token: 'kiosk-secret' });
      const health = await request(`${daemon.url}/healthz`);
      expect(health.statusCode).toBe(200);
      await health.body.dump();
    } finally {
      await daemon.close();
    }
  });
});

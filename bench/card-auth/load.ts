/** Load on loopback: swipes of random known cards (closed or open loop), and enrollments. */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { cardOf, ENROLLER_PASSWORD } from './seed.ts';

export interface LoadOptions {
  url: string;
  token: string;
  users: number;
  seconds: number;
}

/** One run's raw outcome: the latency in ms of every swipe answered 200, and the rest. */
export interface Sample {
  latencies: number[];
  /** Answers other than 200, socket errors and timeouts. */
  errors: number;
  seconds: number;
}

export interface Measured {
  /** Swipes answered 200. */
  requests: number;
  requestsPerSecond: number;
  /** Latency percentiles of the 200 answers in ms, to the microsecond (autocannon's are whole ms). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Answers other than 200, socket errors and timeouts. */
  errors: number;
}

const PATH = '/api/v1/terminal/card-auth';
const swipeBody = (users: number) =>
  JSON.stringify({ cardId: cardOf(1 + Math.floor(Math.random() * users)) });

/** Closed loop (autocannon): each connection sends its next swipe when the last is answered. */
export function saturate(options: LoadOptions & { connections: number }): Promise<Sample> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url + PATH,
        method: 'POST',
        connections: options.connections,
        duration: options.seconds,
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, body: swipeBody(options.users) }) }],
      },
      (error, result) => {
        if (error) reject(error as Error);
        else
          resolve({
            latencies,
            errors: result.errors + result.timeouts + result.non2xx,
            seconds: options.seconds,
          });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) latencies.push(ms);
    });
  });
}

/**
 * Open loop: `rate` swipes a second, each sent on schedule whether or not earlier ones were
 * answered, over as many keep-alive connections as that takes. (autocannon's rate limit sends
 * each second's requests in one burst at the start of the second: that measures queueing.)
 */
export async function paced(options: LoadOptions & { rate: number }): Promise<Sample> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let errors = 0;
  const send = () =>
    new Promise<void>((resolve) => {
      const body = swipeBody(options.users);
      const sent = performance.now();
      const headers = {
        authorization: `Bearer ${options.token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      };
      const request = http.request(
        options.url + PATH,
        { agent, method: 'POST', headers },
        (res) => {
          res.resume().on('end', () => {
            if (res.statusCode === 200) latencies.push(performance.now() - sent);
            else errors++;
            resolve();
          });
        },
      );
      request.on('error', () => resolve(void errors++));
      request.end(body);
    });
  const answered: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < options.rate * options.seconds; i++) {
    const wait = start + (i * 1000) / options.rate - performance.now();
    if (wait > 0) await sleep(wait);
    answered.push(send());
  }
  await Promise.all(answered);
  agent.destroy();
  return { latencies, errors, seconds: options.seconds };
}

/**
 * Percentiles over all the samples' swipes together: three 10 s runs at 200/s put 60 swipes
 * above the p99 instead of 20, so one stall moves it less.
 */
export function summarize(samples: Sample[]): Measured {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  const errors = samples.reduce((sum, s) => sum + s.errors, 0);
  const at = (p: number) => latencies[Math.floor(p * (latencies.length - 1))] ?? NaN;
  return {
    requests: latencies.length,
    requestsPerSecond: latencies.length / seconds,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: at(1),
    errors,
  };
}

/**
 * `workers` terminals, each swiping an unknown card then enrolling it with the password of its
 * account (argon2id verification), back to back until `stop` settles. Returns the enrollments.
 */
export async function enrollContinuously(
  url: string,
  token: string,
  workers: number,
  stop: Promise<unknown>,
): Promise<number> {
  let stopped = false;
  void stop.finally(() => (stopped = true));
  const post = async (endpoint: string, body: object) => {
    const response = await fetch(`${url}/api/v1/terminal/${endpoint}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, string>;
  };
  let enrolled = 0;
  const worker = async (w: number) => {
    while (!stopped) {
      const swiped = await post('card-auth', { cardId: `NEW${randomBytes(6).toString('hex')}` });
      const result = await post('enroll', {
        enrollmentToken: swiped.enrollmentToken,
        username: `enroller${w}`,
        secret: ENROLLER_PASSWORD,
        method: 'password',
      });
      if (result.result !== 'enrolled') throw new Error(`enrollment: ${JSON.stringify(result)}`);
      enrolled++;
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return enrolled;
}

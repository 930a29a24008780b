/**
 * Enrolling terminals in a process of their own, so that their HTTP client does not share an
 * event loop with the swipes being timed. Runs until SIGTERM, then prints the enrollments made.
 *
 *   node --import tsx bench/card-auth/enroll.ts URL TERMINAL_TOKEN WORKERS
 */
import { enrollContinuously } from './load.ts';

const [url, token, workers] = process.argv.slice(2) as [string, string, string];
const stop = new Promise((resolve) => process.once('SIGTERM', resolve));
console.log('enrolling');
const enrolled = await enrollContinuously(url, token, Number(workers), stop);
console.log(JSON.stringify({ enrolled }));

import { text } from 'node:stream/consumers';

/**
 * Reads a secret without echoing it: piped stdin as-is (minus one trailing newline), or a
 * hidden prompt on an interactive terminal. Never from argv, which other users can read in `ps`.
 */
export async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return (await text(stdin)).replace(/\r?\n$/, '');
  process.stderr.write(`${prompt}: `);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let secret = '';
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === '\r' || char === '\n') {
            stdin.off('data', onData);
            resolve(secret);
            return;
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            reject(new Error('cancelled'));
            return;
          }
          secret = char === '\u007f' ? secret.slice(0, -1) : secret + char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

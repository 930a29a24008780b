/**
 * The floor for the card-auth benchmark: a bare node:http server answering
 * POST /api/v1/terminal/card-auth with the same indexed queries the real endpoint must make
 * (terminal by token hash, card joined with its user) and the same JSON, and nothing else:
 * no validation, no audit record, no last-seen update, no framework.
 *
 *   node --import tsx bench/card-auth-floor.ts PORT (sqlite DIR | postgres URL)
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

const [port, backend, where] = process.argv.slice(2) as [string, 'sqlite' | 'postgres', string];
const TERMINAL = 'SELECT id FROM terminals WHERE token_hash = $1';
const CARD =
  'SELECT users.username, users.full_name FROM cards JOIN users ON users.id = cards.user_id WHERE cards.card_id = $1';

type Lookup = (
  tokenHash: string,
  cardId: string,
) => Promise<{ username: string; full_name: string } | undefined | null>;
let lookup: Lookup;
if (backend === 'sqlite') {
  const db = new Database(path.join(where, 'cardbind.sqlite'), { readonly: true });
  const terminal = db.prepare(TERMINAL.replace('$1', '?'));
  const card = db.prepare(CARD.replace('$1', '?'));
  lookup = async (tokenHash, cardId) =>
    terminal.get(tokenHash)
      ? (card.get(cardId) as { username: string; full_name: string } | undefined)
      : null;
} else {
  const pool = new pg.Pool({ connectionString: where, max: 10 });
  lookup = async (tokenHash, cardId) => {
    if ((await pool.query(TERMINAL, [tokenHash])).rowCount === 0) return null;
    return (await pool.query(CARD, [cardId])).rows[0];
  };
}

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', async () => {
    const token = (request.headers.authorization ?? '').slice('Bearer '.length);
    const { cardId } = JSON.parse(Buffer.concat(chunks).toString()) as { cardId: string };
    const user = await lookup(createHash('sha256').update(token).digest('base64url'), cardId);
    response.writeHead(user === null ? 401 : 200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        user
          ? { result: 'known', user: { username: user.username, fullName: user.full_name } }
          : { result: 'unknown' },
      ),
    );
  });
}).listen(Number(port), '127.0.0.1', () => console.log(`floor listening on ${port}`));

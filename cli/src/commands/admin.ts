import { withAdmin } from '@cardbind/server';
import { Command } from 'commander';
import { storageFrom, withStorageOptions } from '../options.ts';
import { readSecret } from '../secret-input.ts';

export function adminCommand(): Command {
  const admin = withStorageOptions(
    new Command('admin').description(
      "Manage users, terminals and admin tokens directly in the server's database",
    ),
  );
  const storage = (command: Command) =>
    storageFrom(command.optsWithGlobals() as { data?: string; databaseUrl?: string });

  const user = admin.command('user').description('Manage user accounts');
  user
    .command('add <username>')
    .description('Create a local user account')
    .requiredOption('--full-name <name>', 'full name shown at the panel')
    .option('--email <address>', 'e-mail address')
    .option('--password-stdin', 'read the password from standard input (prompts on a terminal)')
    .action(
      async (
        username: string,
        options: { fullName: string; email?: string; passwordStdin?: boolean },
        command: Command,
      ) => {
        const password = options.passwordStdin
          ? await readSecret('Password for ' + username)
          : null;
        const created = await withAdmin(storage(command), (ops) =>
          ops.addUser({
            username,
            fullName: options.fullName,
            email: options.email ?? null,
            password,
          }),
        );
        console.error(`Created user ${created.username} (${created.fullName}).`);
      },
    );
  user
    .command('list')
    .description('List user accounts')
    .action(async (_options: unknown, command: Command) => {
      const users = await withAdmin(storage(command), (_ops, store) => store.listUsers());
      for (const u of users) console.log([u.username, u.fullName, u.email ?? ''].join('\t'));
    });

  const terminal = admin.command('terminal').description('Manage terminals (kiosks, MFD panels)');
  terminal
    .command('add <name>')
    .description('Register a terminal and print its token (shown only this once)')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { token } = await withAdmin(storage(command), (ops) => ops.addTerminal(name));
      console.log(token);
      console.error(
        `Registered terminal "${name}". Configure the kiosk with the token above; it is not stored in readable form.`,
      );
    });
  terminal
    .command('list')
    .description('List terminals')
    .action(async (_options: unknown, command: Command) => {
      const terminals = await withAdmin(storage(command), (_ops, store) => store.listTerminals());
      for (const t of terminals)
        console.log([t.name, t.createdAt, t.lastSeenAt ?? 'never'].join('\t'));
    });

  admin
    .command('token')
    .description('Manage admin API tokens')
    .command('add <name>')
    .description('Create an admin API token and print it (shown only this once)')
    .action(async (name: string, _options: unknown, command: Command) => {
      const token = await withAdmin(storage(command), (ops) => ops.addAdminToken(name));
      console.log(token);
      console.error('Send it as "Authorization: Bearer <token>", e.g. to GET /api/v1/cards.');
    });

  admin
    .command('card')
    .description('Inspect enrolled cards')
    .command('list')
    .description('List enrolled cards, newest first')
    .action(async (_options: unknown, command: Command) => {
      const cards = await withAdmin(storage(command), (_ops, store) =>
        store.listCards({ limit: 1_000_000, offset: 0 }),
      );
      for (const c of cards) {
        console.log([c.cardId, c.username, c.createdAt, c.terminal ?? ''].join('\t'));
      }
    });
  return admin;
}

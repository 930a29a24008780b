import {
  withAdmin as openAdmin,
  type PasswordHashingOptions,
  type ServerContext,
} from '@cardbind/server';
import { Command } from 'commander';
import { userInfo } from 'node:os';
import {
  mailFrom,
  passwordHashingOption,
  storageFrom,
  withMailOptions,
  withStorageOptions,
} from '../options.ts';
import { readSecret } from '../secret-input.ts';

export function adminCommand(): Command {
  const admin = withMailOptions(
    withStorageOptions(
      new Command('admin').description(
        "Manage users, terminals and admin tokens directly in the server's database",
      ),
    ),
  );
  const storage = (command: Command) =>
    storageFrom(command.optsWithGlobals() as { data?: string; databaseUrl?: string });
  admin.addOption(passwordHashingOption());
  const adminOptions = (command: Command) => {
    const options = command.optsWithGlobals() as {
      smtpUrl?: string;
      mailFrom: string;
      timeZone: string;
      passwordHashing?: PasswordHashingOptions;
    };
    return {
      ...mailFrom(options),
      ...(options.passwordHashing ? { passwordHashing: options.passwordHashing } : {}),
    };
  };
  const withAdmin = <T>(command: Command, task: Parameters<typeof openAdmin<T>>[1]) =>
    openAdmin(storage(command), task, adminOptions(command));

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
        const created = await withAdmin(command, (ops) =>
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
      const users = await withAdmin(command, (_ops, { store }) => store.listUsers());
      for (const u of users) console.log([u.username, u.fullName, u.email ?? ''].join('\t'));
    });

  user
    .command('otp <username>')
    .description('Generate a one-time password for the user (printed once)')
    .action(async (username: string, _options: unknown, command: Command) => {
      const otp = await withAdmin(command, (ops) => ops.generateOtp(username));
      console.log(otp.otp);
      console.error(
        `Valid until ${otp.expiresAt}, for one use (e.g. to enroll a card at a panel).`,
      );
    });
  user
    .command('pin <username>')
    .description('Generate a new PIN (short ID) for the user, replacing the old one (printed once)')
    .action(async (username: string, _options: unknown, command: Command) => {
      const pin = await withAdmin(command, (ops) => ops.generatePin(username));
      console.log(pin.pin);
      console.error(
        pin.expiresAt ? `Temporary PIN, valid until ${pin.expiresAt}.` : 'The PIN does not expire.',
      );
    });
  user
    .command('unlock <username>')
    .description('Clear the failed-attempt counter of a locked account')
    .action(async (username: string, _options: unknown, command: Command) => {
      await withAdmin(command, (ops) => ops.unlock(username));
      console.error(`Unlocked ${username}.`);
    });

  const terminal = admin.command('terminal').description('Manage terminals (kiosks, MFD panels)');
  terminal
    .command('add <name>')
    .description('Register a terminal and print its token (shown only this once)')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { token } = await withAdmin(command, (ops) => ops.addTerminal(name));
      console.log(token);
      console.error(
        `Registered terminal "${name}". Configure the kiosk with the token above; it is not stored in readable form.`,
      );
    });
  terminal
    .command('list')
    .description(
      'List terminals, revoked ones too: name, created, last seen, state (active or revoked)',
    )
    .action(async (_options: unknown, command: Command) => {
      const terminals = await withAdmin(command, (_ops, { store }) =>
        store.listTerminalsForAdmin(),
      );
      for (const line of terminals.map(terminalListLine)) console.log(line);
    });
  terminal
    .command('rename <name> <new-name>')
    .description('Rename a terminal; its token keeps working')
    .action(async (name: string, newName: string, _options: unknown, command: Command) => {
      const renamed = await withAdmin(command, async (ops, context) => {
        const result = await ops.renameTerminal(name, newName);
        if (result.name !== name) {
          await recordCliAction(context, 'terminal.rename', `terminal:${result.name}`, {
            detail: `was "${name}"`,
          });
        }
        return result;
      });
      console.error(`Renamed terminal "${name}" to "${renamed.name}". Its token still works.`);
    });
  terminal
    .command('revoke <name>')
    .description('Revoke a terminal: its token stops working')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { terminal: revoked, revoked: changed } = await withAdmin(
        command,
        async (ops, context) => {
          const result = await ops.revokeTerminal(name);
          // Revoking twice changes nothing, so it is recorded once (as the API does).
          if (result.revoked) {
            await recordCliAction(context, 'terminal.revoke', `terminal:${name}`);
          }
          return result;
        },
      );
      console.error(
        changed
          ? `Revoked terminal "${name}": its token no longer works (a running server stops accepting it within seconds). Register a new terminal to replace it.`
          : `Terminal "${name}" was already revoked on ${revoked.revokedAt ?? 'an earlier date'}; nothing changed.`,
      );
    });

  admin
    .command('token')
    .description('Manage admin API tokens')
    .command('add <name>')
    .description('Create an admin API token and print it (shown only this once)')
    .action(async (name: string, _options: unknown, command: Command) => {
      const token = await withAdmin(command, (ops) => ops.addAdminToken(name));
      console.log(token);
      console.error('Send it as "Authorization: Bearer <token>", e.g. to GET /api/v1/cards.');
    });

  admin
    .command('card')
    .description('Inspect enrolled cards')
    .command('list')
    .description('List enrolled cards, newest first')
    .action(async (_options: unknown, command: Command) => {
      await withAdmin(command, async (_ops, { store }) => {
        const limit = 1000;
        for (let offset = 0; ; offset += limit) {
          const cards = await store.listCards({ limit, offset });
          for (const c of cards) {
            console.log([c.cardId, c.username, c.createdAt, c.terminal ?? ''].join('\t'));
          }
          if (cards.length < limit) break;
        }
      });
    });
  return admin;
}

/** One tab-separated line of `terminal list`: name, created, last seen, state. */
export function terminalListLine(terminal: {
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}): string {
  const state = terminal.revokedAt ? `revoked ${terminal.revokedAt}` : 'active';
  return [terminal.name, terminal.createdAt, terminal.lastSeenAt ?? 'never', state].join('\t');
}

/**
 * The CLI acts on the database directly, with no signed-in user: the audit log names the
 * operating-system account that ran it, so a revocation is traceable like one made in the portal.
 */
async function recordCliAction(
  context: ServerContext,
  action: string,
  subject: string,
  details: { detail?: string } = {},
): Promise<void> {
  await context.store.audit.record({
    at: context.now().toISOString(),
    action,
    outcome: 'success',
    actor: `cli:${operatingSystemUser()}`,
    subject,
    terminal: null,
    card: null,
    detail: details.detail ?? null,
  });
}

function operatingSystemUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): still say it came from the CLI.
    return 'unknown';
  }
}

import type { MailOptions, PasswordHashingOptions, StorageLocation } from '@cardbind/server';
import { InvalidArgumentError, Option, type Command } from 'commander';

export const DEFAULT_PORTS = { server: 7390, reader: 7391, kiosk: 7392 } as const;

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be a TCP port number (0-65535).');
  }
  return port;
}

export function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0.');
  return n;
}

/** Resolves when the process is asked to stop (Ctrl-C, systemd stop). */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => resolve(signal);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** `--data DIR` (SQLite) or `--database-url URL` / `DATABASE_URL` (PostgreSQL). */
export function withStorageOptions(command: Command): Command {
  return command
    .option('--data <dir>', 'data directory for the embedded SQLite database')
    .addOption(
      new Option('--database-url <url>', 'PostgreSQL connection URL instead of --data').env(
        'DATABASE_URL',
      ),
    );
}

export function storageFrom(options: { data?: string; databaseUrl?: string }): StorageLocation {
  if (options.data && options.databaseUrl) {
    throw new Error(
      'Give either --data (SQLite) or --database-url / DATABASE_URL (PostgreSQL), not both.',
    );
  }
  if (options.databaseUrl) return { databaseUrl: options.databaseUrl };
  if (options.data) return { dataDir: options.data };
  throw new Error(
    'Say where the data lives: --data DIR (SQLite) or --database-url URL (PostgreSQL).',
  );
}

/** Where e-mails to users go (new PINs, OTPs, enrolled cards). */
export function withMailOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--smtp-url <url>', 'SMTP server, e.g. smtp://user:pass@mail.example.org:587').env(
        'CARDBIND_SMTP_URL',
      ),
    )
    .addOption(
      new Option('--mail-from <address>', 'sender of e-mails to users')
        .env('CARDBIND_MAIL_FROM')
        .default('Cardbind <cardbind@localhost>'),
    )
    .addOption(
      new Option('--time-zone <zone>', 'IANA time zone of dates in e-mails')
        .env('TZ')
        .default('UTC'),
    );
}

export function mailFrom(options: {
  smtpUrl?: string;
  mailFrom: string;
  timeZone: string;
}): MailOptions {
  return {
    timeZone: options.timeZone,
    ...(options.smtpUrl ? { smtp: { url: options.smtpUrl, from: options.mailFrom } } : {}),
  };
}

/** `m=19456,t=2,p=1`: argon2id memory (KiB), passes and lanes for new password hashes. */
export function parsePasswordHashing(value: string): PasswordHashingOptions {
  const fields = Object.fromEntries(
    value.split(',').map((part) => part.trim().split('=') as [string, string | undefined]),
  );
  const number = (key: string, min: number) => {
    const n = Number(fields[key]);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(
        `expected m=KiB,t=passes,p=lanes with ${key} ≥ ${min}, e.g. m=19456,t=2,p=1.`,
      );
    }
    return n;
  };
  return { memoryCost: number('m', 1024), timeCost: number('t', 1), parallelism: number('p', 1) };
}

export function passwordHashingOption(): Option {
  return new Option(
    '--password-hashing <params>',
    'argon2id parameters for new password hashes, m=KiB,t=passes,p=lanes (default m=19456,t=2,p=1); older hashes are upgraded at login',
  )
    .env('CARDBIND_PASSWORD_HASHING')
    .argParser(parsePasswordHashing);
}

/** The reader daemon's shared secret with its kiosk. */
export function readerTokenOption(): Option {
  return new Option(
    '--reader-token <token>',
    'shared secret protecting the reader event stream (better: set CARDBIND_READER_TOKEN)',
  ).env('CARDBIND_READER_TOKEN');
}

import { chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** The gateway's embedded store: one SQLite file, shared by the adapters that keep state (no card data). */
export type StateDatabase = Database.Database;

/**
 * Opens (or creates) the state database: its folder 0700, the file 0600, write-ahead logging with
 * `synchronous=FULL` (a committed write survives a power cut, not only a crash), a busy timeout for
 * the CLI reading beside the gateway. Each adapter creates its own tables (`CREATE TABLE IF NOT
 * EXISTS`) when it is constructed; the composition root opens the file once and closes it last.
 */
export async function openStateDatabase(file: string): Promise<StateDatabase> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 2000');
  db.pragma('foreign_keys = ON');
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    await chmod(path, 0o600).catch(() => undefined);
  }
  return db;
}

import { DataSource } from 'typeorm';
import { type CliCommand, printJson } from '../run.js';

/** Booting already ran every pending migration; report what the database now has applied. */
export const migrate: CliCommand = async (app) => {
  const dataSource = app.get(DataSource);
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const rows: Array<{ name: string }> = await dataSource.query(`SELECT name FROM "${table}" ORDER BY id`);
  printJson({ ok: true, applied: rows.map((r) => r.name) });
  return 0;
};

import postgres from 'postgres';

/** Runs `statement` on the `postgres` database of the server behind `url` (creating and dropping databases). */
async function onServer(url: string, statement: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

/** Drops the database `name` on the server behind `url`, even with connections open. */
export async function dropDatabase(url: string, name: string): Promise<void> {
  await onServer(url, `drop database if exists "${name}" with (force)`);
}

/** A new, empty database `name` on the server behind `url` (any old one of that name dropped first); its URL. */
export async function recreateDatabase(url: string, name: string): Promise<string> {
  await dropDatabase(url, name);
  await onServer(url, `create database "${name}"`);
  const created = new URL(url);
  created.pathname = `/${name}`;
  return created.toString();
}

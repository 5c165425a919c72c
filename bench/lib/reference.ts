/** Starts bench/reference/hold-server.ts as a child process of its own (so /proc gives its CPU like the app's). */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { stopProcess } from '../../tests/support/app-server';

export type ReferenceServer = {
  url: string;
  port: number;
  pid: number;
  stats: () => Promise<Record<string, number>>;
  stop: () => Promise<void>;
  output: () => string;
};

const root = resolve(__dirname, '../..');

export async function startReferenceServer(port: number, env: Record<string, string>): Promise<ReferenceServer> {
  let log = '';
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', resolve(root, 'bench/reference/hold-server.ts')],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const listening = new Promise<void>((ok, fail) => {
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes('listening on')) ok();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.once('exit', (code) => fail(new Error(`reference hold server exited (${code}):\n${log}`)));
    setTimeout(() => fail(new Error(`reference hold server did not start within 30 s:\n${log}`)), 30_000).unref();
  });
  await listening;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    pid: child.pid!,
    output: () => log,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as Record<string, number>,
    stop: () => stopProcess(child),
  };
}

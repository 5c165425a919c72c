/**
 * nginx in front of the app, run from deploy/nginx.conf itself (the file self-hosters include), on a given port
 * with its own prefix under /tmp. Lines of that file adapted here: where it listens and where the app is; and, for
 * the load harness only (`forwardClientAddress`), X-Forwarded-For is passed on from the client instead of set to its
 * address (every simulated buyer has an address of its own there, while all of them connect from 127.0.0.1).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';
export const DEPLOY_CONF = resolve(__dirname, '../../deploy/nginx.conf');

export type NginxOptions = { forwardClientAddress?: boolean };

/**
 * deploy/nginx.conf listening on `port` in front of `appPort` (several: one upstream server line each, which nginx
 * takes in turn). Throws if a line it adapts has moved.
 */
export function ownedConfig(appPort: number | number[], port: number, options: NginxOptions = {}): string {
  const source = readFileSync(DEPLOY_CONF, 'utf8');
  const upstreams = [appPort].flat();
  const swaps: [from: RegExp, to: string][] = [
    [/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port} backlog=4096;`],
    [/^(\s*)server 127\.0\.0\.1:3000;$/m, upstreams.map((p) => `$1server 127.0.0.1:${p};`).join('\n')],
    [
      /^(\s*)proxy_set_header X-Forwarded-For \$remote_addr;$/m,
      options.forwardClientAddress ? '$1proxy_set_header X-Forwarded-For $http_x_forwarded_for;' : '$&',
    ],
  ];
  return swaps.reduce((conf, [from, to]) => {
    if (!from.test(conf)) throw new Error(`deploy/nginx.conf has no line matching ${from}`);
    return conf.replace(from, to);
  }, source);
}

export class OwnedNginx {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'admitone-nginx-'));
  private log = '';

  constructor(
    readonly port: number,
    private readonly appPort: number | number[],
    private readonly options: NginxOptions = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The pids of nginx's master and worker (for their CPU time). */
  pids(): number[] {
    const master = this.child?.pid;
    if (!master) return [];
    const children = (spawnSync('pgrep', ['-P', String(master)], { encoding: 'utf8' }).stdout ?? '')
      .split('\n')
      .filter(Boolean)
      .map(Number);
    return [master, ...children];
  }

  static available(): boolean {
    return spawnSync(NGINX, ['-v'], { stdio: 'ignore' }).status === 0;
  }

  /** Starts nginx and waits until it answers `readyPath` (through to the app). */
  async start(readyPath = '/api/health/live'): Promise<void> {
    for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(this.dir, d));
    writeFileSync(join(this.dir, 'admitone.conf'), ownedConfig(this.appPort, this.port, this.options));
    writeFileSync(
      join(this.dir, 'nginx.conf'),
      [
        // As root, nginx's worker would run as nobody and could not use this private directory.
        process.getuid?.() === 0 ? 'user root;' : '',
        'worker_processes 1;',
        `pid ${this.dir}/nginx.pid;`,
        `error_log ${this.dir}/error.log warn;`,
        'events { worker_connections 8192; }',
        'http {',
        '  access_log off;',
        ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (d) => `  ${d === 'body' ? 'client_body' : d}_temp_path ${this.dir}/${d};`,
        ),
        `  include ${this.dir}/admitone.conf;`,
        '}',
      ].join('\n'),
    );
    const child = spawn(NGINX, ['-p', this.dir, '-c', join(this.dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null)
        throw new Error(`nginx exited: ${this.log}${readFileSafe(join(this.dir, 'error.log'))}`);
      try {
        if ((await fetch(`${this.url}${readyPath}`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nginx did not answer on ${this.port}: ${this.log}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && !child.signalCode) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
      if (child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

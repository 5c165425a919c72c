import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import type { ClusterNodes } from '@/lib/env';
import { freePort, hasRedisServer } from './redis-process';

export { hasRedisServer };

type Node = { port: number; busPort: number; dir: string; child: ChildProcess };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` on a short-lived connection to one node; undefined when the node does not answer. */
async function onNode<T>(port: number, fn: (client: IORedis) => Promise<T>): Promise<T | undefined> {
  const client = new IORedis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await fn(client);
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

/** One command to one node, its reply as text. */
const ask = (port: number, ...command: string[]) =>
  onNode(port, async (client) => String(await client.call(command[0]!, ...command.slice(1))));

const field = (info: string | undefined, name: string) => info?.match(new RegExp(`^${name}:(\\S+)`, 'm'))?.[1];

/**
 * A Redis Cluster a test owns: `masters` redis-servers with `--cluster-enabled yes` on spare ports (data and bus port
 * both from freePort, `cluster-port` since Redis 7), joined with `redis-cli --cluster create`, optionally with one
 * replica per master (started once every replica has synced). `cluster-node-timeout` is 1 s, so a killed master's
 * replica takes over within seconds.
 * `stop()` kills every server and removes their directories.
 */
export class OwnedRedisCluster {
  private readonly nodes: Node[] = [];
  private readonly killed = new Set<number>();

  private constructor() {}

  static async start(options: { masters?: number; replicasPerMaster?: 0 | 1 } = {}): Promise<OwnedRedisCluster> {
    const cluster = new OwnedRedisCluster();
    try {
      await cluster.launch(options.masters ?? 3, options.replicasPerMaster ?? 0);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** REDIS_CLUSTER_NODES for this cluster (every node; the client needs only one that answers). */
  get nodesSetting(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  get seeds(): ClusterNodes {
    return { nodes: this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })), tls: false };
  }

  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  private async launch(masters: number, replicas: number): Promise<void> {
    const total = masters * (1 + replicas);
    const taken = new Set<number>();
    const spare = async () => {
      let port = await freePort();
      while (taken.has(port)) port = await freePort();
      taken.add(port);
      return port;
    };
    for (let i = 0; i < total; i++) {
      const [port, busPort] = [await spare(), await spare()];
      const dir = mkdtempSync(join(tmpdir(), `admitone-cluster-${port}-`));
      const child = spawn(
        'redis-server',
        [
          ...['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1'],
          ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1000'],
          ...['--dir', dir, '--save', '', '--appendonly', 'no'],
          // A replica's first sync starts at once (the default waits 5 s for more replicas to share it).
          ...['--repl-diskless-sync-delay', '0'],
        ],
        { stdio: 'ignore' },
      );
      this.nodes.push({ port, busPort, dir, child });
    }
    for (const node of this.nodes) await this.waitFor(() => ask(node.port, 'PING'), `node ${node.port} to start`);
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...this.nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
    await this.waitUntilOk();
    // A replica that never synced with its master is not allowed to replace it: wait until every one has.
    for (const node of this.nodes) {
      await this.waitFor(async () => {
        const info = await ask(node.port, 'INFO', 'replication');
        return field(info, 'role') === 'master' || field(info, 'master_link_status') === 'up' ? true : undefined;
      }, `node ${node.port} to be a master or a synced replica`);
    }
  }

  private async waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  /**
   * Until every live node says cluster_state:ok, sees every slot served, and serves none from a killed node (after a
   * create, or after a master was killed and its replica took over). Returns how long that took.
   */
  async waitUntilOk(timeoutMs = 30_000): Promise<number> {
    const started = Date.now();
    const live = this.nodes.filter((n) => !this.killed.has(n.port));
    await this.waitFor(
      async () => {
        for (const node of live) {
          const info = await ask(node.port, 'CLUSTER', 'INFO');
          if (field(info, 'cluster_state') !== 'ok' || field(info, 'cluster_slots_ok') !== '16384') return undefined;
          const ranges = await this.slots(node.port);
          if (!ranges || ranges.some(([, , master]) => this.killed.has(master))) return undefined;
        }
        return true;
      },
      'cluster_state:ok on every node, no slot on a killed one',
      timeoutMs,
    );
    return Date.now() - started;
  }

  /** The port of the master that serves `key`'s slot now. */
  async masterOf(key: string): Promise<number> {
    const live = this.nodes.find((n) => !this.killed.has(n.port))!;
    const slot = Number(await ask(live.port, 'CLUSTER', 'KEYSLOT', key));
    const ranges = (await this.slots(live.port)) ?? [];
    const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
    if (!owner) throw new Error(`no master serves slot ${slot}`);
    return owner[2];
  }

  private async slots(port: number): Promise<[number, number, number][] | undefined> {
    return onNode(port, async (client) => {
      const reply = (await client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      return reply.map(([from, to, master]): [number, number, number] => [from, to, Number(master[1])]);
    });
  }

  /** Whether the node at `port` is a master now (a replica becomes one when its master fails). */
  async isMaster(port: number): Promise<boolean> {
    return field(await ask(port, 'INFO', 'replication'), 'role') === 'master';
  }

  /** The port of a live replica of the master on `masterPort`. */
  async replicaOf(masterPort: number): Promise<number> {
    for (const node of this.nodes) {
      if (this.killed.has(node.port)) continue;
      const info = await ask(node.port, 'INFO', 'replication');
      if (field(info, 'role') === 'slave' && Number(field(info, 'master_port')) === masterPort) return node.port;
    }
    throw new Error(`no replica of ${masterPort}`);
  }

  /** Empties every master (the test's own cluster, so nothing else is lost). */
  async flush(): Promise<void> {
    for (const node of this.nodes)
      if (!this.killed.has(node.port) && (await this.isMaster(node.port))) await ask(node.port, 'FLUSHALL');
  }

  /** SIGKILL one node, as a crashed machine would stop. */
  async kill(port: number): Promise<void> {
    const node = this.nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no node on port ${port}`);
    this.killed.add(port);
    await killChild(node.child);
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) {
      await killChild(node.child);
      rmSync(node.dir, { recursive: true, force: true });
    }
  }
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

import { createRequire } from 'node:module';

/** One autocannon run, in a child process (see read.bench.ts): `node load-worker.js '<job json>'`. */
export interface LoadJob {
  url: string;
  connections: number;
  duration: number;
  token?: string;
  /** When given, each request picks one of these paths at random. */
  paths?: string[];
}

// autocannon ships no type declarations: the part used here.
export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { average: number; p50: number; p99: number; max: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  '4xx': number;
  '5xx': number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;

// autocannon must run on a main thread (in a worker thread it answers raw histograms), hence a process.
if (process.send && process.argv[2]) {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const job = JSON.parse(process.argv[2]) as LoadJob;
  const paths = job.paths;
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.duration,
    headers: job.token ? { authorization: `Bearer ${job.token}` } : undefined,
    requests: paths
      ? [{ method: 'GET', setupRequest: (r) => ({ ...r, path: paths[Math.floor(Math.random() * paths.length)] }) }]
      : undefined,
  });
  process.send(JSON.parse(JSON.stringify(result)), () => process.exit(0));
}

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '@harbour/kernel';

const DIR = fileURLToPath(new URL('../../infra/k8s/', import.meta.url));

/** The built-in kinds the manifests use, each validated against Kubernetes' own OpenAPI schema. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/CronJob': CronJob,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

const manifests = readdirSync(DIR)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
      return { file, doc: doc.toJS() };
    }),
  );
const byKind = (kind: string) => manifests.filter((m) => m.doc.kind === kind).map((m) => m.doc);

describe('the Kubernetes manifests in infra/k8s', () => {
  it('are valid objects of their kind, by the Kubernetes schemas (the CloudNativePG cluster aside)', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(8);
    for (const { file, doc } of manifests) {
      const key = `${doc.apiVersion}/${doc.kind}`;
      if (key === 'postgresql.cnpg.io/v1/Cluster') continue;
      const Model = MODELS[key];
      expect([file, key, Boolean(Model)]).toEqual([file, key, true]);
      expect(() => new Model(doc).validate()).not.toThrow();
    }
  });

  it('configure only settings Harbour knows, with values it accepts, and commit no secret', () => {
    const [config] = byKind('ConfigMap');
    const [secret] = byKind('Secret');
    for (const value of Object.values(secret.stringData)) expect(value).toBe('');
    // Fill the template as an operator would; Harbour's own loader must accept every key and value.
    const env: Record<string, string> = {
      ...config.data,
      DATABASE_URL: 'postgres://harbour:secret@harbour-db-rw:5432/harbour',
      HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
      HARBOUR_NOTARY_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'der' })
        .toString('base64'),
      HARBOUR_SHARE_CODE_PEPPER: randomBytes(32).toString('base64'),
    };
    expect(Object.keys(env).sort()).toEqual([...Object.keys(config.data), ...Object.keys(secret.stringData)].sort());
    const loaded = loadConfig(env) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(env)) expect([key, String(loaded[key])]).toEqual([key, value]);
    expect(loaded.HARBOUR_JOB_LEADERSHIP).toBe('advisory-lock');
    expect(loaded.HARBOUR_DEV_KEYS).toBe(false);
  });

  it('run several non-root replicas, ready on /health, kept through disruptions, with secrets from the Secret', () => {
    const [deployment] = byKind('Deployment');
    const pod = deployment.spec.template.spec;
    const [api] = pod.containers;
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(api.readinessProbe.httpGet.path).toBe('/health');
    expect(api.livenessProbe.httpGet).toBeUndefined(); // a database outage must not restart the process
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(api.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(api.envFrom).toEqual([
      { configMapRef: { name: byKind('ConfigMap')[0].metadata.name } },
      { secretRef: { name: byKind('Secret')[0].metadata.name } },
    ]);
    expect(JSON.stringify(deployment)).not.toMatch(/HARBOUR_MASTER_KEY|HARBOUR_NOTARY_KEY/); // never inline

    const [pdb] = byKind('PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    const labels = deployment.spec.template.metadata.labels;
    for (const selector of [pdb.spec.selector.matchLabels, deployment.spec.selector.matchLabels])
      expect(labels).toMatchObject(selector);
    expect(labels).toMatchObject(byKind('Service')[0].spec.selector);
  });

  it('verify the log every night, and ask PostgreSQL for synchronous replication', () => {
    const [verify] = byKind('CronJob');
    expect(verify.spec.jobTemplate.spec.template.spec.containers[0].command).toEqual([
      'node',
      'dist/apps/cli/src/main.js',
      'verify',
    ]);
    const [cluster] = byKind('Cluster');
    expect(cluster.spec.instances).toBe(3);
    expect(cluster.spec.postgresql.synchronous).toMatchObject({ number: 1, dataDurability: 'required' });
    expect(cluster.spec.postgresql.parameters).toMatchObject({ synchronous_commit: 'on', fsync: 'on' });
  });
});

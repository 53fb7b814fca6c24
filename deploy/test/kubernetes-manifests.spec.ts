/**
 * The Kubernetes manifests of deploy/k8s are valid, strictly, offline: deploy/k8s/validate.mjs renders each
 * overlay with `kubectl kustomize` and checks every object against kubernetes-models, the KEDA and Prometheus
 * Operator models and the RabbitMQ and CloudNativePG CRDs (../shared/k8s-crds). The validator itself is tested
 * on small YAML files: it rejects unknown fields, wrong types, unknown kinds and duplicates, and accepts valid ones.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '@platform/workspace';

const run = promisify(execFile);
const script = join(repositoryRoot, 'deploy/k8s/validate.mjs');

interface Outcome {
  code: number;
  output: string;
}

async function validate(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], { cwd: repositoryRoot });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof code !== 'number') throw error;
    return { code, output: `${stdout ?? ''}${stderr ?? ''}` };
  }
}

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, labels: { app: api } }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: platform/api:1
          imagePullPolicyy: IfNotPresent
          resources: { limits: { cpu: 1, memory: 256Mi } }
`;

const rabbitmqCluster = (replicas: string) => `
apiVersion: rabbitmq.com/v1beta1
kind: RabbitmqCluster
metadata: { name: rabbitmq }
spec:
  replicas: ${replicas}
`;

const postgresCluster = (extra = '') => `
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: postgres }
spec:
  instances: 3
  storage: { size: 1Gi }${extra}
`;

const validSet = [
  `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, labels: { app: api } }
data: { LOG_LEVEL: info }
`,
  `
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: worker }
spec:
  scaleTargetRef: { name: worker }
  minReplicaCount: 1
  maxReplicaCount: 5
  triggers:
    - type: rabbitmq
      metadata: { protocol: amqp, queueName: orders, mode: QueueLength, value: '20' }
      authenticationRef: { name: rabbitmq }
`,
  `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: api }
spec:
  selector: { matchLabels: { app: api } }
  endpoints: [{ port: metrics, path: /metrics, interval: 15s }]
`,
  rabbitmqCluster('3'),
  postgresCluster(),
  `
apiVersion: rabbitmq.com/v1beta1
kind: Vhost
metadata: { name: platform }
spec: { name: platform, rabbitmqClusterReference: { name: rabbitmq } }
`,
  `
apiVersion: rabbitmq.com/v1beta1
kind: User
metadata: { name: orders }
spec:
  rabbitmqClusterReference: { name: rabbitmq }
  importCredentialsSecret: { name: orders-rabbitmq }
`,
].join('---');

describe('Kubernetes manifests', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'kubernetes-manifests-'));
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  function file(name: string, yaml: string): string {
    const path = join(folder, name);
    writeFileSync(path, yaml);
    return path;
  }

  it('of every overlay are valid, dev and prod among them', async () => {
    const { code, output } = await validate();

    expect(output).toMatch(/^dev: \d+ objects valid/m);
    expect(output).toMatch(/^prod: \d+ objects valid/m);
    expect(code).toBe(0);
  });

  describe('validator', () => {
    it('rejects an unknown field of a core kind, naming its path', async () => {
      const path = file('deployment.yaml', deployment);

      expect(await validate(path)).toEqual({
        code: 1,
        output: `${path}: Deployment/api: spec.template.spec.containers[0].imagePullPolicyy unknown field\n`,
      });
    });

    it('rejects a wrong type in a RabbitmqCluster', async () => {
      const path = file('rabbitmq.yaml', rabbitmqCluster('three'));

      const { code, output } = await validate(path);

      expect(code).toBe(1);
      expect(output).toContain(`${path}: RabbitmqCluster/rabbitmq: spec.replicas must be integer`);
    });

    it('rejects an unknown field of a CloudNativePG Cluster', async () => {
      const path = file('postgres.yaml', postgresCluster('\n  instancesPerZone: 1'));

      expect(await validate(path)).toEqual({
        code: 1,
        output: `${path}: Cluster/postgres: spec.instancesPerZone unknown field\n`,
      });
    });

    it('rejects an apiVersion or a kind it has no schema for', async () => {
      const path = file(
        'unknown.yaml',
        `apiVersion: app/v1\nkind: Deployment\nmetadata: { name: api }\n---\n` +
          `apiVersion: rabbitmq.com/v1beta1\nkind: Rabbitmq\nmetadata: { name: rabbitmq }\n`,
      );

      const { code, output } = await validate(path);

      expect(code).toBe(1);
      expect(output).toContain(`${path}: Deployment/api: no schema for app/v1 Deployment`);
      expect(output).toContain(`${path}: Rabbitmq/rabbitmq: no schema for rabbitmq.com/v1beta1 Rabbitmq`);
    });

    it('accepts valid core, KEDA, Prometheus Operator, RabbitMQ and CloudNativePG objects', async () => {
      const path = file('valid.yaml', validSet);

      expect(await validate(path)).toEqual({
        code: 0,
        output:
          `${path}: 7 objects valid (1 Cluster, 1 ConfigMap, 1 RabbitmqCluster, 1 ScaledObject, ` +
          `1 ServiceMonitor, 1 User, 1 Vhost)\n`,
      });
    });

    it('rejects two objects of the same kind, namespace and name, and an object without a name', async () => {
      const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\n';
      const path = file(
        'duplicates.yaml',
        `${configMap}---\n${configMap}---\napiVersion: v1\nkind: Secret\n`,
      );

      const { code, output } = await validate(path);

      expect(code).toBe(1);
      expect(output).toContain(`${path}: ConfigMap/settings: defined more than once`);
      expect(output).toContain(`${path}: Secret/?: metadata.name is required`);
    });

    it('renders a kustomization folder and reports a failing one', async () => {
      const valid = join(folder, 'valid-overlay');
      const broken = join(folder, 'broken-overlay');
      mkdirSync(valid);
      mkdirSync(broken);
      writeFileSync(join(valid, 'objects.yaml'), validSet);
      writeFileSync(join(valid, 'kustomization.yaml'), 'namespace: platform\nresources: [objects.yaml]\n');
      writeFileSync(join(broken, 'kustomization.yaml'), 'resources: [missing.yaml]\n');

      expect(await validate(valid)).toEqual({
        code: 0,
        output: expect.stringMatching(`^${valid}: 7 objects valid`),
      });
      const { code, output } = await validate(valid, broken);
      expect(code).toBe(1);
      expect(output).toContain(`${broken}: kubectl kustomize ${broken} failed:`);
      expect(output).toContain('missing.yaml');
    });

    it('exits 2 with its usage on a bad argument', async () => {
      const { code, output } = await validate(join(folder, 'nowhere.yaml'));

      expect(code).toBe(2);
      expect(output).toContain('usage: node deploy/k8s/validate.mjs');
    });
  });
});

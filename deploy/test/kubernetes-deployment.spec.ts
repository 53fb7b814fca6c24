/**
 * What deploy/k8s promises beyond its schemas (kubernetes-manifests.spec.ts), checked on every overlay as
 * `kubectl kustomize` renders it: every service has its Deployment, Service, PodDisruptionBudget, ScaledObject
 * and ServiceMonitor; pods are probed on /health/live and /health/ready, sized, non-root on a read-only root
 * filesystem, and given longer to stop than SHUTDOWN_TIMEOUT_MS; every Secret anything reads is one the
 * credentials Job makes (none is in git), and every name one object gives another resolves.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { listServices, repositoryRoot } from '@platform/workspace';

const run = promisify(execFile);

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; data?: any };

/** Secrets a person creates (deploy/k8s/README.md), by overlay; everything else comes from the Job. */
const secretsYouCreate: Record<string, string[]> = { dev: [], prod: ['notification-smtp'] };

const overlays = readdirSync(join(repositoryRoot, 'deploy/k8s/overlays'));

describe.each(overlays)('the %s overlay', (overlay) => {
  let objects: K8sObject[];
  const all = (kind: string) => objects.filter((object) => object.kind === kind);
  const one = (kind: string, name: string) => {
    const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
    if (!found) throw new Error(`${overlay}: no ${kind} named ${name}`);
    return found;
  };
  const services = listServices();

  beforeAll(async () => {
    const { stdout } = await run(
      'kubectl',
      ['kustomize', join(repositoryRoot, 'deploy/k8s/overlays', overlay)],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    objects = parseAllDocuments(stdout).map((document) => document.toJSON() as K8sObject);
  });

  it('has a Deployment, Service, PodDisruptionBudget, ScaledObject and ServiceMonitor per service', () => {
    for (const service of services) {
      for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'ScaledObject', 'ServiceMonitor']) {
        expect(() => one(kind, service.app)).not.toThrow();
      }
    }
  });

  it.each(listServices().map((service) => service.app))('runs %s safely', (app) => {
    const pod = one('Deployment', app).spec.template.spec;
    const [container] = pod.containers;
    const env = Object.fromEntries(container.env.map((variable: any) => [variable.name, variable]));
    expect(env.APP.value).toBe(app);
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    const shutdownSeconds = Number(env.SHUTDOWN_TIMEOUT_MS.value) / 1000;
    const preStopSeconds = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(shutdownSeconds + preStopSeconds);
  });

  it('connects each service as its own broker user and database roles, which the operators create', () => {
    const roles = new Map<string, string>(
      one('Cluster', 'postgres').spec.managed.roles.map((role: any) => [role.name, role.passwordSecret.name]),
    );
    const users = new Map(
      all('User').map((user) => [user.metadata.name, user.spec.importCredentialsSecret.name]),
    );
    for (const service of services) {
      const env = Object.fromEntries(
        one('Deployment', service.app).spec.template.spec.containers[0].env.map((variable: any) => [
          variable.name,
          variable,
        ]),
      );
      const role = (variable: string) => new URL(env[variable].value.replace(/\$\(\w+\)/, 'x')).username;
      expect(role('DATABASE_URL')).toBe(service.databaseRole);
      expect(role('DATABASE_MIGRATION_URL')).toBe(`${service.databaseRole}_migrator`);
      expect(roles.get(role('DATABASE_URL'))).toBe(env.DATABASE_PASSWORD.valueFrom.secretKeyRef.name);
      expect(roles.get(role('DATABASE_MIGRATION_URL'))).toBe(
        env.DATABASE_MIGRATION_PASSWORD.valueFrom.secretKeyRef.name,
      );
      expect(users.get(`user-${service.brokerUser}`)).toBe(env.RABBITMQ_PASSWORD.valueFrom.secretKeyRef.name);
      const database = all('Database').find((entry) => entry.spec.name === service.database);
      expect(database?.spec.owner).toBe(`${service.databaseRole}_migrator`);
    }
  });

  it('reads only Secrets the credentials Job makes, or that the README asks for, and holds none', () => {
    expect(all('Secret')).toEqual([]);
    const made = JSON.parse(
      objects.find(
        (object) => object.kind === 'ConfigMap' && object.metadata.name === 'platform-credentials',
      )!.data['secrets.json'],
    ).map((entry: { name: string }) => entry.name);
    const read = new Set<string>();
    const collect = (value: unknown, key?: string): void => {
      if (Array.isArray(value)) value.forEach((item) => collect(item));
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (key === 'secretKeyRef' || key === 'passwordSecret' || key === 'importCredentialsSecret')
          read.add(String(record.name));
        for (const [child, inner] of Object.entries(record)) collect(inner, child);
      }
    };
    for (const object of objects) {
      if (object.kind === 'TriggerAuthentication')
        object.spec.secretTargetRef.forEach((ref: any) => read.add(ref.name));
      collect(object.spec);
    }
    expect([...read].filter((name) => !made.includes(name)).sort()).toEqual(secretsYouCreate[overlay] ?? []);
  });

  it('resolves every name one object gives another', () => {
    const names = (kind: string) => new Set(all(kind).map((object) => object.metadata.name));
    const queues = new Set(all('Queue').map((queue) => queue.spec.name));
    for (const scaled of all('ScaledObject')) {
      expect(names('Deployment')).toContain(scaled.spec.scaleTargetRef.name);
      for (const trigger of scaled.spec.triggers.filter((entry: any) => entry.type === 'rabbitmq')) {
        expect(queues).toContain(trigger.metadata.queueName);
        expect(names('TriggerAuthentication')).toContain(trigger.authenticationRef.name);
      }
    }
    for (const permission of [...all('Permission'), ...all('TopicPermission')]) {
      expect(names('User')).toContain(permission.spec.userReference.name);
    }
    const clusters = names('RabbitmqCluster');
    for (const object of objects.filter((entry) => entry.spec?.rabbitmqClusterReference)) {
      expect(clusters).toContain(object.spec.rabbitmqClusterReference.name);
    }
    for (const database of all('Database')) expect(names('Cluster')).toContain(database.spec.cluster.name);
    const configMaps = names('ConfigMap');
    for (const deployment of all('Deployment')) {
      const pod = deployment.spec.template.spec;
      for (const source of pod.containers.flatMap((container: any) => container.envFrom ?? []))
        expect(configMaps).toContain(source.configMapRef.name);
      for (const volume of (pod.volumes ?? []).filter((entry: any) => entry.configMap))
        expect(configMaps).toContain(volume.configMap.name);
    }
  });

  it('scales every service on each queue it consumes', () => {
    for (const service of services) {
      const triggers = one('ScaledObject', service.app).spec.triggers;
      const queueNames = triggers
        .filter((entry: any) => entry.type === 'rabbitmq')
        .map((entry: any) => entry.metadata.queueName);
      const owned = all('Queue')
        .map((queue) => queue.spec.name as string)
        .filter((name) => name.startsWith(`${service.name}.`) && !name.endsWith('.dlq'));
      expect(queueNames.sort()).toEqual(owned.sort());
    }
  });
});

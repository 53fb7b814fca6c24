/**
 * The part of deploy/k8s that depends on which services exist, derived from the same sources as compose: the
 * service manifests (apps/<name>-service/service.json), the consumers registry and the broker topology and
 * permissions in libs/messaging (what deploy/rabbitmq/definitions.json is written from), and the alert rules of
 * deploy/prometheus/alerts.yml. `npm run generate:k8s` writes it to deploy/k8s/base/generated/; a spec fails
 * when the files there differ from what this produces, so Kubernetes and compose cannot drift apart.
 */
import { brokerUserOf, Consumption } from '@platform/contracts';
import {
  brokerDefinitions,
  brokerPermissions,
  DEFAULT_DELIVERY_LIMIT,
  systemTopology,
} from '@platform/messaging';
import { ServiceFacts } from '../services';

/** Where the generated manifests live, relative to the repository's root. */
export const GENERATED_FOLDER = 'deploy/k8s/base/generated';

/** Names the hand-written part of deploy/k8s/base defines, and the generated part refers to. */
export const k8s = {
  /** The RabbitmqCluster (deploy/k8s/base/rabbitmq.yaml); its client Service has the same name. */
  broker: 'rabbitmq',
  /** The virtual host the platform lives in on that cluster. */
  vhost: 'platform',
  /** The CloudNativePG Cluster; services write through its `-rw` Service. */
  database: 'postgres',
  /** The image every service runs (overlays set its registry and tag). */
  image: 'nest-saga-platform',
  /** Settings every service reads (configMapGenerator in the base, merged by overlays). */
  settings: 'platform-settings',
  /** KEDA's TriggerAuthentication for reading queue lengths. */
  queueLengthAuth: 'rabbitmq-queue-length',
  /** The RabbitMQ user KEDA reads queue lengths as (monitoring tag, no rights on messages). */
  queueLengthUser: 'keda',
  /** The services shut down within this (SHUTDOWN_TIMEOUT_MS); the pods' grace period is longer. */
  shutdownTimeoutMs: 20_000,
  /** The pod keeps serving this long after it is told to stop, while it leaves the Service's endpoints. */
  preStopSeconds: 5,
} as const;

/** The Secrets the credentials Job creates when they are missing (deploy/k8s/base/credentials). */
export interface CredentialSecret {
  name: string;
  type?: string;
  username: string;
  /** More keys, with {username}, {password} and {namespace} filled in. */
  extra?: Record<string, string>;
}

export interface ManifestSources {
  services: ServiceFacts[];
  consumers: Readonly<Record<string, Consumption>>;
  /** deploy/prometheus/alerts.yml, parsed. */
  alerts: { groups: unknown[] };
}

type K8sObject = Record<string, unknown>;

/** The generated files (path under deploy/k8s/base/generated → its objects, in order). */
export function kubernetesManifests(sources: ManifestSources): Record<string, K8sObject[]> {
  return {
    'broker-topology.yaml': brokerTopology(sources),
    'postgres.yaml': postgres(sources.services),
    'services.yaml': sources.services.flatMap((service) => serviceObjects(service, sources.consumers)),
    'credentials.yaml': [credentialsList(sources.services)],
    'alerts.yaml': [prometheusRule(sources.alerts)],
  };
}

/** A Kubernetes object name (RFC 1123) from a broker or database name: `order.commands` → `order-commands`. */
export function objectName(...parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
}

const resource = (apiVersion: string, kind: string, name: string, spec: unknown, extra: object = {}) => ({
  apiVersion,
  kind,
  metadata: { name, ...extra },
  ...(spec === undefined ? {} : { spec }),
});

/** Secret names per service: its broker user, its runtime and its migration database roles. */
export const secretNames = (service: ServiceFacts) => ({
  broker: `${service.app}-broker`,
  database: `${service.app}-db`,
  migrator: `${service.app}-db-migrator`,
});
const migrationRole = (service: ServiceFacts) => `${service.databaseRole}_migrator`;

/**
 * The Messaging Topology Operator's resources: the vhost, then exactly the exchanges, queues, bindings and
 * policy of deploy/rabbitmq/definitions.json (same functions, another vhost), each service's user (its
 * password from the Secret the credentials Job made) with the same least-privilege permissions, and KEDA's.
 */
function brokerTopology({ services, consumers }: ManifestSources): K8sObject[] {
  const mto = (kind: string, name: string, spec: object) =>
    resource('rabbitmq.com/v1beta1', kind, name, { ...spec, rabbitmqClusterReference: { name: k8s.broker } });
  const vhost = k8s.vhost;
  const topology = brokerDefinitions(systemTopology(consumers), DEFAULT_DELIVERY_LIMIT, vhost);
  const { permissions, topicPermissions } = brokerPermissions(consumers, brokerUserOf, vhost);
  type Exchange = { name: string; type: string; durable: boolean; auto_delete: boolean; arguments: object };
  type Queue = { name: string; durable: boolean; auto_delete: boolean; arguments: Record<string, unknown> };
  type Binding = { source: string; destination: string; destination_type: string; routing_key: string };
  type Policy = { name: string; pattern: string; 'apply-to': string; definition: object; priority: number };
  const byUser = new Map(services.map((service) => [service.brokerUser, service]));
  const userObject = (user: string) => objectName('user', user);
  return [
    mto('Vhost', objectName('vhost', vhost), { name: vhost, defaultQueueType: 'quorum' }),
    ...(topology.exchanges as Exchange[]).map((exchange) =>
      mto('Exchange', objectName('exchange', exchange.name), {
        name: exchange.name,
        vhost,
        type: exchange.type,
        durable: exchange.durable,
        autoDelete: exchange.auto_delete,
      }),
    ),
    ...(topology.queues as Queue[]).map(({ name, durable, auto_delete, arguments: args }) => {
      const { 'x-queue-type': type, ...rest } = args;
      return mto('Queue', objectName('queue', name), {
        name,
        vhost,
        type,
        durable,
        autoDelete: auto_delete,
        // Kept when the resource is deleted: a queue may hold messages nobody has handled yet.
        deletionPolicy: 'retain',
        ...(Object.keys(rest).length > 0 && { arguments: rest }),
      });
    }),
    ...(topology.bindings as Binding[]).map((binding) =>
      mto('Binding', objectName('binding', binding.source, binding.destination, binding.routing_key), {
        vhost,
        source: binding.source,
        destination: binding.destination,
        destinationType: binding.destination_type,
        routingKey: binding.routing_key,
      }),
    ),
    ...(topology.policies as Policy[]).map((policy) =>
      mto('Policy', objectName('policy', policy.name), {
        name: policy.name,
        vhost,
        pattern: policy.pattern,
        applyTo: policy['apply-to'],
        definition: policy.definition,
        priority: policy.priority,
      }),
    ),
    ...permissions.flatMap((permission) => {
      const service = byUser.get(permission.user);
      if (!service)
        throw new Error(`the consumers registry names ${permission.user}, which has no apps/ folder`);
      return [
        mto('User', userObject(permission.user), {
          tags: [],
          importCredentialsSecret: { name: secretNames(service).broker },
        }),
        mto('Permission', objectName('permission', permission.user), {
          vhost,
          userReference: { name: userObject(permission.user) },
          permissions: { configure: permission.configure, write: permission.write, read: permission.read },
        }),
      ];
    }),
    ...topicPermissions.map((permission) =>
      mto('TopicPermission', objectName('topic-permission', permission.user, permission.exchange), {
        vhost,
        userReference: { name: userObject(permission.user) },
        permissions: { exchange: permission.exchange, write: permission.write, read: permission.read },
      }),
    ),
    mto('User', userObject(k8s.queueLengthUser), {
      tags: ['monitoring'],
      importCredentialsSecret: { name: `${k8s.queueLengthUser}-rabbitmq` },
    }),
    // Access to the vhost (the management API shows its queues), and no right on any exchange or queue.
    mto('Permission', objectName('permission', k8s.queueLengthUser), {
      vhost,
      userReference: { name: userObject(k8s.queueLengthUser) },
      permissions: { configure: '^$', write: '^$', read: '^$' },
    }),
  ];
}

/**
 * The CloudNativePG cluster with two managed roles per service (the migration role owns the service's
 * database; the service grants the runtime role its rows itself after migrating) and one Database each.
 */
function postgres(services: ServiceFacts[]): K8sObject[] {
  const role = (name: string, secret: string) => ({
    name,
    ensure: 'present',
    login: true,
    superuser: false,
    createdb: false,
    createrole: false,
    inherit: true,
    connectionLimit: -1,
    passwordSecret: { name: secret },
  });
  return [
    resource('postgresql.cnpg.io/v1', 'Cluster', k8s.database, {
      instances: 3,
      // The operator's `app` database stays unused; each service has its own (the Database objects below).
      storage: { size: '10Gi' },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } },
      postgresql: { parameters: { max_connections: '300' } },
      managed: {
        roles: services.flatMap((service) => [
          role(migrationRole(service), secretNames(service).migrator),
          role(service.databaseRole, secretNames(service).database),
        ]),
      },
    }),
    ...services.map((service) =>
      resource('postgresql.cnpg.io/v1', 'Database', objectName(service.database), {
        name: service.database,
        owner: migrationRole(service),
        cluster: { name: k8s.database },
        ensure: 'present',
        // Kept when the resource is deleted: the data is the service's, not the manifest's.
        databaseReclaimPolicy: 'retain',
      }),
    ),
  ];
}

/** One service: Deployment, Service, PodDisruptionBudget, KEDA ScaledObject on its queues, ServiceMonitor. */
function serviceObjects(
  service: ServiceFacts,
  consumers: Readonly<Record<string, Consumption>>,
): K8sObject[] {
  const labels = { 'app.kubernetes.io/name': service.app, 'app.kubernetes.io/component': 'service' };
  const secrets = secretNames(service);
  const database = `${k8s.database}-rw:5432/${service.database}`;
  const fromSecret = (name: string, secret: string, key: string) => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key } },
  });
  const probe = (path: string, failureThreshold: number, periodSeconds: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  const queues = systemTopology({ [service.name]: consumers[service.name] ?? {} })[0].workQueues;
  return [
    resource('apps/v1', 'Deployment', service.app, {
      // No `replicas`: the ScaledObject below owns the count.
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: k8s.preStopSeconds + k8s.shutdownTimeoutMs / 1000 + 10,
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: labels },
            },
          ],
          containers: [
            {
              name: 'service',
              image: k8s.image,
              ports: [{ name: 'http', containerPort: service.port }],
              envFrom: [{ configMapRef: { name: k8s.settings } }],
              env: [
                { name: 'APP', value: service.app },
                { name: 'PORT', value: String(service.port) },
                { name: 'OTEL_SERVICE_NAME', value: service.app },
                { name: 'SHUTDOWN_TIMEOUT_MS', value: String(k8s.shutdownTimeoutMs) },
                fromSecret('DATABASE_PASSWORD', secrets.database, 'password'),
                fromSecret('DATABASE_MIGRATION_PASSWORD', secrets.migrator, 'password'),
                fromSecret('RABBITMQ_PASSWORD', secrets.broker, 'password'),
                // The credentials Job makes URL-safe passwords, so they go into the URLs as they are.
                {
                  name: 'DATABASE_URL',
                  value: `postgres://${service.databaseRole}:$(DATABASE_PASSWORD)@${database}`,
                },
                {
                  name: 'DATABASE_MIGRATION_URL',
                  value: `postgres://${migrationRole(service)}:$(DATABASE_MIGRATION_PASSWORD)@${database}`,
                },
                {
                  name: 'RABBITMQ_URL',
                  value: `amqp://${service.brokerUser}:$(RABBITMQ_PASSWORD)@${k8s.broker}:5672/${k8s.vhost}`,
                },
              ],
              startupProbe: probe('/health/live', 30, 2),
              livenessProbe: probe('/health/live', 3, 10),
              readinessProbe: probe('/health/ready', 2, 5),
              lifecycle: { preStop: { sleep: { seconds: k8s.preStopSeconds } } },
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    }),
    resource(
      'v1',
      'Service',
      service.app,
      {
        selector: labels,
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
      { labels },
    ),
    resource('policy/v1', 'PodDisruptionBudget', service.app, {
      maxUnavailable: 1,
      selector: { matchLabels: labels },
    }),
    resource('keda.sh/v1alpha1', 'ScaledObject', service.app, {
      scaleTargetRef: { name: service.app },
      minReplicaCount: 2,
      maxReplicaCount: 10,
      triggers: [
        // Messages waiting per replica; and CPU, for work that arrives over HTTP rather than a queue.
        ...queues.map((queue) => ({
          type: 'rabbitmq',
          name: objectName(queue.name),
          metadata: {
            protocol: 'http',
            queueName: queue.name,
            vhostName: k8s.vhost,
            mode: 'QueueLength',
            value: '100',
          },
          authenticationRef: { name: k8s.queueLengthAuth },
        })),
        { type: 'cpu', name: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
      ],
    }),
    resource('monitoring.coreos.com/v1', 'ServiceMonitor', service.app, {
      selector: { matchLabels: labels },
      // The target's `service` label is the Service's name, as deploy/prometheus/alerts.yml expects.
      endpoints: [{ port: 'http', path: '/metrics', interval: '15s' }],
    }),
  ].map((object) => object as K8sObject);
}

/** What the credentials Job must make: per service its broker user and both database roles; KEDA's user. */
export function credentialSecrets(services: ServiceFacts[]): CredentialSecret[] {
  const basicAuth = 'kubernetes.io/basic-auth';
  return [
    ...services.flatMap((service) => [
      { name: secretNames(service).broker, username: service.brokerUser },
      { name: secretNames(service).database, type: basicAuth, username: service.databaseRole },
      { name: secretNames(service).migrator, type: basicAuth, username: migrationRole(service) },
    ]),
    {
      name: `${k8s.queueLengthUser}-rabbitmq`,
      username: k8s.queueLengthUser,
      // KEDA's rabbitmq scaler reads queue lengths from the management API at this address.
      extra: { host: `http://{username}:{password}@${k8s.broker}.{namespace}.svc:15672/${k8s.vhost}` },
    },
  ];
}

function credentialsList(services: ServiceFacts[]): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'platform-credentials' },
    data: { 'secrets.json': `${JSON.stringify(credentialSecrets(services), null, 2)}\n` },
  };
}

/** deploy/prometheus/alerts.yml as a PrometheusRule, for the Prometheus Operator. */
function prometheusRule(alerts: { groups: unknown[] }): K8sObject {
  return resource('monitoring.coreos.com/v1', 'PrometheusRule', 'platform-alerts', { groups: alerts.groups });
}

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { consumers } from '@platform/contracts';
import { factsOf, listServices, repositoryRoot } from '../services';
import { credentialSecrets, GENERATED_FOLDER, kubernetesManifests, objectName } from './kubernetes-manifests';

describe('deploy/k8s/base/generated', () => {
  // Compared as objects (prettier, which formats the files, cannot run inside Jest; lint checks their format).
  it('is what its sources produce (regenerate: npm run generate:k8s)', () => {
    const folder = join(repositoryRoot, GENERATED_FOLDER);
    const alerts = parse(readFileSync(join(repositoryRoot, 'deploy/prometheus/alerts.yml'), 'utf8'));
    const expected = kubernetesManifests({ services: listServices(), consumers, alerts });
    expect(readdirSync(folder).sort()).toEqual(Object.keys(expected).sort());
    for (const [file, objects] of Object.entries(expected)) {
      const text = readFileSync(join(folder, file), 'utf8');
      expect({ file, header: text.startsWith(`# ${file}: written by`) }).toEqual({ file, header: true });
      const committed = parseAllDocuments(text).map((document) => document.toJSON());
      expect({ file, objects: committed }).toEqual({ file, objects });
    }
  });

  it('holds the same exchanges, queues, bindings and policy as the compose broker definitions', () => {
    const definitions = JSON.parse(
      readFileSync(join(repositoryRoot, 'deploy/rabbitmq/definitions.json'), 'utf8'),
    );
    const alerts = parse(readFileSync(join(repositoryRoot, 'deploy/prometheus/alerts.yml'), 'utf8'));
    const objects = kubernetesManifests({ services: listServices(), consumers, alerts })[
      'broker-topology.yaml'
    ];
    const specs = (kind: string) =>
      objects
        .filter((object) => object.kind === kind)
        .map((object) => object.spec as Record<string, unknown>);
    expect(
      specs('Queue').map(({ name, type, arguments: args }) => ({ name, args: { ...(args ?? {}) }, type })),
    ).toEqual(
      definitions.queues.map(
        ({ name, arguments: args }: { name: string; arguments: Record<string, unknown> }) => {
          const { 'x-queue-type': type, ...rest } = args;
          return { name, args: rest, type };
        },
      ),
    );
    expect(specs('Exchange').map(({ name, type }) => ({ name, type }))).toEqual(
      definitions.exchanges.map(({ name, type }: { name: string; type: string }) => ({ name, type })),
    );
    expect(
      specs('Binding').map(({ source, destination, routingKey }) => [source, destination, routingKey]),
    ).toEqual(
      definitions.bindings.map((binding: Record<string, string>) => [
        binding.source,
        binding.destination,
        binding.routing_key,
      ]),
    );
    expect(specs('Policy').map(({ pattern, definition }) => ({ pattern, definition }))).toEqual(
      definitions.policies.map(({ pattern, definition }: Record<string, unknown>) => ({
        pattern,
        definition,
      })),
    );
    const permissions = specs('Permission').map((spec) => spec.permissions);
    for (const permission of definitions.permissions.filter((entry: { user: string }) =>
      entry.user.endsWith('-service'),
    )) {
      const { configure, write, read } = permission;
      expect(permissions).toContainEqual({ configure, write, read });
    }
  });

  it('names every object as Kubernetes allows', () => {
    expect(objectName('binding', 'events', 'order.events', 'payment.captured')).toBe(
      'binding-events-order-events-payment-captured',
    );
    expect(objectName('Loyalty_Points')).toBe('loyalty-points');
  });

  it('lists per service a broker user and two database roles, with the names compose uses', () => {
    const secrets = credentialSecrets([
      factsOf({ name: 'shipping', port: 3004, database: 'shipping', description: 'x' }),
    ]);
    expect(secrets.map(({ name, username }) => [name, username])).toEqual([
      ['shipping-service-broker', 'shipping-service'],
      ['shipping-service-db', 'shipping_service'],
      ['shipping-service-db-migrator', 'shipping_service_migrator'],
      ['keda-rabbitmq', 'keda'],
    ]);
  });
});

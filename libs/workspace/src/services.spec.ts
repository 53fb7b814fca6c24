import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumers } from '@platform/contracts';
import { listServices, serviceNamed } from './services';

describe('listServices', () => {
  let root: string;
  const manifest = (folder: string, content: object) => {
    mkdirSync(join(root, 'apps', folder), { recursive: true });
    writeFileSync(join(root, 'apps', folder, 'service.json'), JSON.stringify(content));
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'workspace-'));
    mkdirSync(join(root, 'apps'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads the repository: order first, then by name, with the derived names', () => {
    const services = listServices();
    // The saga's services, order first; a generated service sorts in by name beside them.
    const names = services.map((service) => service.name);
    expect(names).toEqual(expect.arrayContaining(['order', 'inventory', 'notification', 'payment']));
    expect(names.slice(1)).toEqual([...names.slice(1)].sort());
    expect(services[0]).toEqual({
      name: 'order',
      port: 3000,
      database: 'orders',
      description: expect.any(String),
      app: 'order-service',
      databaseRole: 'order_service',
      brokerUser: 'order-service',
      environmentPrefix: 'ORDER_SERVICE',
    });
  });

  it('derives names of a hyphenated service', () => {
    manifest('loyalty-points-service', {
      name: 'loyalty-points',
      port: 3004,
      database: 'loyalty_points',
      description: 'x',
    });
    expect(listServices(root)[0]).toMatchObject({
      app: 'loyalty-points-service',
      databaseRole: 'loyalty_points_service',
      environmentPrefix: 'LOYALTY_POINTS_SERVICE',
    });
  });

  it('skips folders without a manifest', () => {
    mkdirSync(join(root, 'apps', 'half-done-service'));
    expect(listServices(root)).toEqual([]);
  });

  it('names the file and the field of a bad manifest', () => {
    manifest('billing-service', { name: 'billing', port: 80, database: 'billing', description: 'x' });
    expect(() => listServices(root)).toThrow(/billing-service\/service\.json: port: /);
  });

  it('refuses a manifest whose name is not its folder', () => {
    manifest('billing-service', { name: 'invoicing', port: 3005, database: 'billing', description: 'x' });
    expect(() => listServices(root)).toThrow('name "invoicing" does not match its folder billing-service');
  });

  it('refuses two services on one port', () => {
    manifest('billing-service', { name: 'billing', port: 3005, database: 'billing', description: 'x' });
    manifest('shipping-service', { name: 'shipping', port: 3005, database: 'shipping', description: 'x' });
    expect(() => listServices(root)).toThrow('billing-service and shipping-service both use port 3005');
  });

  it('finds one service by short or folder name, and lists the others when it does not exist', () => {
    expect(serviceNamed('payment-service').port).toBe(3002);
    expect(() => serviceNamed('no-such')).toThrow(/^no service "no-such"; there are order, inventory, /);
  });
});

describe('the services and the consumers registry of libs/contracts', () => {
  it('name the same services: each service in apps/ has an entry, each entry a service', () => {
    const apps = listServices().map((service) => service.name);
    expect(Object.keys(consumers).sort()).toEqual([...apps].sort());
  });
});

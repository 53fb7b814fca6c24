// `npm run seed`: demo products and customer accounts through the public REST API of running services, as an
// operator with a development token (`npm run token -- seed --admin`; SEED_TOKEN gives another one).
// INVENTORY_URL and PAYMENT_URL override the default local addresses (ports 3001 and 3002).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './services.mjs';

const inventory = process.env.INVENTORY_URL ?? 'http://127.0.0.1:3001';
const payment = process.env.PAYMENT_URL ?? 'http://127.0.0.1:3002';

const products = [
  ['KEYBOARD-01', 'Mechanical keyboard', 49.9, 100],
  ['MOUSE-01', 'Wireless mouse', 19.99, 200],
  ['MONITOR-27', '27-inch monitor', 189.0, 20],
  ['CABLE-USB-C', 'USB-C cable', 4.5, 500],
  ['LAMP-LIMITED', 'Limited edition desk lamp', 99.0, 1],
];
const accounts = [
  ['alice', 1000],
  ['bob', 50],
];

const token =
  process.env.SEED_TOKEN ??
  execFileSync(process.execPath, [join(root, 'scripts', 'token.mjs'), 'seed', '--admin'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop();

async function put(url, body) {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  }).catch((error) => {
    throw new Error(`${url}: ${error.cause?.code ?? error.message} (is the service running? try npm start)`);
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

try {
  for (const [sku, name, price, stock] of products) {
    const product = await put(`${inventory}/products/${sku}`, { name, price, stock });
    console.log(
      `product  ${product.sku.padEnd(14)} ${String(product.price).padStart(7)}  available ${product.available}`,
    );
  }
  for (const [customerId, credit] of accounts) {
    const account = await put(`${payment}/accounts/${customerId}`, { credit });
    console.log(`account  ${account.customerId.padEnd(14)} credit ${account.credit}`);
  }
} catch (error) {
  console.error(`seed failed: ${error.message}`);
  process.exit(1);
}

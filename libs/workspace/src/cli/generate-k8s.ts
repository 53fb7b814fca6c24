/**
 * `npm run generate:k8s`: writes deploy/k8s/base/generated/ (the broker topology as Messaging Topology Operator
 * resources, the CloudNativePG cluster's roles and databases, each service's Deployment, Service, PDB,
 * ScaledObject and ServiceMonitor, the credentials the Job creates, the alerts as a PrometheusRule) from the
 * same sources compose uses. `npm run generate:service` runs it for a new service.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_FOLDER, renderKubernetesManifests } from '../kubernetes/render';
import { repositoryRoot } from '../services';

async function main(): Promise<void> {
  const folder = join(repositoryRoot, GENERATED_FOLDER);
  const files = await renderKubernetesManifests();
  mkdirSync(folder, { recursive: true });
  for (const stale of readdirSync(folder).filter((file) => !(file in files))) rmSync(join(folder, stale));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
  console.log(`generate:k8s: wrote ${Object.keys(files).join(', ')} into ${GENERATED_FOLDER}`);
}

main().catch((error: Error) => {
  console.error(`generate:k8s: ${error.message}`);
  process.exit(1);
});

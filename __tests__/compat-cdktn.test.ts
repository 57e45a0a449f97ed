/**
 * `npm run compat:cdktn`'s own parts (test/compat/cdktn.ts): the seam switched to CDK Terrain, a
 * bypass found, and two synth outputs compared with only the listed differences explained. The
 * whole check (installs, Node 22, both synths) runs in `.ci/run`, not here.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bypasses, compareOutputs, explain, switchSeam } from '../test/compat/cdktn';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');

describe('compat:cdktn', () => {
  test('the seam switched: cdktn and @cdktn/provider-aws, no cdktf import left; tfe stubbed (none is published)', () => {
    const seam = join(tempDir('compat-seam'), 'framework');
    cpSync(join(ROOT, 'lib', 'framework'), seam, { recursive: true });
    switchSeam(seam);
    const text = (file: string) => readFileSync(join(seam, file), 'utf8');
    expect(text('cdktf.ts')).toContain("from 'cdktn';");
    expect(text('aws.ts')).toContain("export { VpcEndpoint } from '@cdktn/provider-aws/lib/vpc-endpoint';");
    expect(text('jest-matchers.ts')).toContain("import 'cdktn/lib/testing/adapters/jest';");
    expect(text('tfe.ts')).toMatch(/export const Workspace: any = class/);
    for (const file of ['cdktf.ts', 'aws.ts', 'jest-matchers.ts', 'tfe.ts']) {
      expect({ file, cdktf: /'(?:cdktf|@cdktf\/)/.test(text(file)) }).toEqual({ file, cdktf: false });
    }
  });

  test('a construct that imports cdktf directly is the seam bypassed; lib/framework/ is not', () => {
    const copy = tempDir('compat-bypass');
    mkdirSync(join(copy, 'lib', 'constructs'), { recursive: true });
    mkdirSync(join(copy, 'lib', 'framework'), { recursive: true });
    writeFileSync(join(copy, 'main.ts'), "import { buildStacks } from './lib/stacks/build-stacks';\n");
    writeFileSync(join(copy, 'lib', 'framework', 'cdktf.ts'), "export { App } from 'cdktn';\n");
    writeFileSync(join(copy, 'lib', 'constructs', 'good.ts'), "import { App } from '../framework/cdktf';\n");
    writeFileSync(join(copy, 'lib', 'constructs', 'bad.ts'), "import { Fn } from 'cdktf';\n");
    writeFileSync(
      join(copy, 'lib', 'constructs', 'worse.ts'),
      "import {\n  Route53Zone,\n} from '@cdktf/provider-aws/lib/route53-zone';\n",
    );
    expect(
      bypasses(copy)
        .map((f) => f.slice(copy.length + 1))
        .sort(),
    ).toEqual(['lib/constructs/bad.ts', 'lib/constructs/worse.ts']);
  });

  test('outputs compared stack by stack: the framework version explained, a changed attribute not', () => {
    const work = tempDir('compat-compare');
    const write = (dir: string, stack: string, json: unknown) => {
      mkdirSync(join(work, dir, 'stacks', stack), { recursive: true });
      writeFileSync(join(work, dir, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json));
    };
    const hub = (version: string, source: string, name: string) => ({
      '//': { metadata: { version, stackName: 'hub' } },
      terraform: { required_providers: { aws: { source, version: '6.25.0' } } },
      resource: { aws_route53_zone: { z: { name } } },
    });
    write('a', 'hub', hub('0.21.0', 'aws', 'logs.eu-west-1.amazonaws.com'));
    write('b', 'hub', hub('0.24.0', 'hashicorp/aws', 'logs.eu-west-1.amazonaws.com'));
    write('b', 'spoke-200000000001', { resource: {} });
    const differences = compareOutputs(join(work, 'a'), join(work, 'b'));
    expect(differences.map((d) => `${d.stack} ${d.path} ${explain(d) ? 'listed' : 'unexplained'}`).sort()).toEqual([
      'hub //.metadata.version listed',
      'hub terraform.required_providers.aws.source listed',
      'spoke-200000000001 resource unexplained',
    ]);
    write('b', 'hub', hub('0.24.0', 'hashicorp/aws', 'logs.eu-west-2.amazonaws.com'));
    const changed = compareOutputs(join(work, 'a'), join(work, 'b')).filter((d) => !explain(d));
    expect(changed.map((d) => d.path)).toContain('resource.aws_route53_zone.z.name');
  });
});

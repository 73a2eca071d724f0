import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app.js';
test('dump', () => {
  const built = buildApp(new App({ outdir: mkdtempSync(join(tmpdir(), 'fp-nag-')), context: { stage: 'test' } }));
  built.app.synth();
  writeFileSync('/tmp/fpx/template.json', JSON.stringify(Template.fromStack(built.stack).toJSON(), null, 1));
}, 300000);

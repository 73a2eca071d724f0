import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app.js';
test('nag', () => {
  const built = buildApp(new App({ outdir: mkdtempSync(join(tmpdir(), 'fp-nag-')), context: { stage: 'test' } }));
  built.app.synth();
  const a = Annotations.fromStack(built.stack);
  const all = [...a.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')), ...a.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))];
  console.log(all.map((e) => `${e.id} ${String(e.entry.data).split(':')[0]} ${String(e.entry.data).slice(0, 60)}`).join('\n'));
}, 300000);

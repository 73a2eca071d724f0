/**
 * `npm run draw:dashboard`: draws docs/dashboard.svg, the layout of the stage dashboard,
 * from the widget definitions in the synthesized template (the default app, stage dev,
 * bundling skipped): one box per widget at its grid position, with its title and the
 * metrics it plots. test/infra/stack.test.ts checks the picture matches the template.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A CloudFormation intrinsic (Ref, Fn::GetAtt…) that stood inside the dashboard body. */
export interface TokenValue {
  token: unknown;
}

export interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: {
    title?: string;
    markdown?: string;
    alarms?: (string | TokenValue)[];
    metrics?: (string | TokenValue | Record<string, unknown>)[][];
  };
}

const placeholder = (index: number) => `@@token${index}@@`;

/** Puts each token back where its placeholder stands alone; leaves strings with embedded placeholders as text. */
function restore(value: unknown, tokens: unknown[]): unknown {
  if (typeof value === 'string') {
    const whole = /^@@token(\d+)@@$/.exec(value);
    return whole ? { token: tokens[Number(whole[1])] } : value;
  }
  if (Array.isArray(value)) return value.map((item) => restore(item, tokens));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, restore(item, tokens)]));
  return value;
}

/** The widgets of the (only) dashboard in a template, with intrinsics as `{ token }` values. */
export function dashboardWidgets(template: {
  Resources: Record<string, { Type: string; Properties?: Record<string, any> }>;
}): Widget[] {
  const dashboards = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::CloudWatch::Dashboard',
  );
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, found ${dashboards.length}`);
  const body = dashboards[0].Properties!.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const tokens: unknown[] = [];
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1]
          .map((part) => (typeof part === 'string' ? part : placeholder(tokens.push(part) - 1)))
          .join(body['Fn::Join'][0]);
  return restore(JSON.parse(text).widgets, tokens) as Widget[];
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const column = 56;
const row = 22;
const fill: Record<string, string> = { text: '#f2f2f2', alarm: '#fde8e8', metric: '#e8f0fd' };

/** What a metric line says in the picture: its label, else its name. */
function metricCaption(metric: Widget['properties']['metrics'] extends (infer M)[] | undefined ? M : never): string {
  const options = metric[metric.length - 1];
  if (options && typeof options === 'object' && !('token' in options) && typeof options.label === 'string')
    return options.label;
  return typeof metric[1] === 'string' ? metric[1] : JSON.stringify(metric[1]);
}

/**
 * The dashboard as an SVG: a 24-column grid, one box per widget. `stage` is written as
 * ‹stage›, so the picture is the layout of every stage.
 */
export function drawDashboard(widgets: Widget[], stage: string): string {
  const width = 24 * column;
  const height = Math.max(...widgets.map((w) => w.y + w.height)) * row;
  const boxes = widgets.map((widget) => {
    const [x, y, w, h] = [widget.x * column, widget.y * row, widget.width * column, widget.height * row];
    const title =
      widget.type === 'text'
        ? (widget.properties.markdown ?? '')
            .split('\n')[0]
            .replace(/^#+\s*/, '')
            .replace(`flowplane ${stage}`, 'flowplane ‹stage›')
        : (widget.properties.title ?? '');
    const lines =
      widget.type === 'alarm'
        ? [`${widget.properties.alarms?.length ?? 0} alarms, by state`]
        : widget.type === 'metric'
          ? [(widget.properties.metrics ?? []).map(metricCaption).join(' · ')]
          : [];
    return [
      `  <g>`,
      `    <rect x="${x + 2}" y="${y + 2}" width="${w - 4}" height="${h - 4}" rx="4" fill="${fill[widget.type] ?? '#ffffff'}" stroke="#8a8a8a"/>`,
      `    <text x="${x + 10}" y="${y + 20}" font-size="11" font-weight="bold">${escape(title)}</text>`,
      ...lines.map(
        (line, index) =>
          `    <text x="${x + 10}" y="${y + 38 + 16 * index}" font-size="10" fill="#444">${escape(line)}</text>`,
      ),
      `  </g>`,
    ].join('\n');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `  <rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...boxes,
    `</svg>`,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { App } = await import('aws-cdk-lib');
  const { buildApp } = await import('../infra/app.js');
  const stage = 'dev';
  const { app, stack } = buildApp(
    new App({
      outdir: mkdtempSync(join(tmpdir(), 'flowplane-dashboard-')),
      context: { stage, 'aws:cdk:bundling-stacks': [] },
    }),
  );
  const template = app.synth().getStackByName(stack.stackName).template;
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'dashboard.svg');
  const widgets = dashboardWidgets(template);
  writeFileSync(file, drawDashboard(widgets, stage));
  console.log(`docs/dashboard.svg: ${widgets.length} widgets`);
}

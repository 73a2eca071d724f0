/**
 * How a team embeds flowplane in its own CDK app: its own stack, its own hosted zone and
 * certificate, its own WAF web ACL, and flowplane as one construct among its resources,
 * set up from typed props. Synthesizes offline with no lookups (the zone and certificate
 * are imported by attributes):
 *
 *   npx cdk synth --app "npx tsx infra/examples/team-app.ts"
 */
import { App, Aspects, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { buildFunctionsIfStale } from '../build-if-stale.js';
import { Flowplane } from '../index.js';

/** A team's platform stack: a regional web ACL with AWS managed rules, and flowplane behind it on api.example.com. */
export class TeamPlatformStack extends Stack {
  readonly flowplane: Flowplane;
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: 'Z0123456789EXAMPLE',
      zoneName: 'example.com',
    });
    const certificate = acm.Certificate.fromCertificateArn(
      this,
      'Certificate',
      'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    );
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'team-platform', sampledRequestsEnabled: true },
      rules: [
        {
          name: 'aws-common',
          priority: 0,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'aws-common', sampledRequestsEnabled: true },
        },
      ],
    });

    this.flowplane = new Flowplane(this, 'Flowplane', {
      stage: 'prod',
      customDomain: { domainName: 'api.example.com', certificate, hostedZone },
      webAclArn: this.webAcl.attrArn,
      alarmEmails: ['oncall@example.com'],
      throttling: { rateLimit: 500, burstLimit: 1000 },
      memorySize: 1024,
      routes: {
        updateWorkflow: { memorySize: 1536, throttling: { rateLimit: 50, burstLimit: 100 } },
        testExecutorConfiguration: { throttling: { rateLimit: 5, burstLimit: 10 } },
      },
      logRetention: logs.RetentionDays.SIX_MONTHS,
      dataKeyGeneration: 2,
      gradualDeployment: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
      backup: { deleteAfter: Duration.days(365) },
    });
    new CfnOutput(this, 'ApiUrl', { value: this.flowplane.apiUrl });
    new CfnOutput(this, 'TableName', { value: this.flowplane.table.tableName });
  }
}

/** The team's app; tests call this too. */
export function buildTeamApp(app = new App()) {
  const stack = new TeamPlatformStack(app, 'TeamPlatform', { env: { account: '123456789012', region: 'eu-west-1' } });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  buildFunctionsIfStale();
  buildTeamApp().app.synth();
}

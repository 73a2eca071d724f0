/**
 * The Lambda side of the local server: an HTTP request becomes the API Gateway REST API
 * (v1) proxy event and the context Lambda would pass, and the handler's proxy result
 * becomes the HTTP response.
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { APIGatewayEventIdentity, APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/** API Gateway's integration timeout: the longest a REST API waits for a function. */
const integrationTimeoutMillis = 29_000;

/**
 * Bodies of these types reach the function as UTF-8 text; any other body arrives base64
 * with `isBase64Encoded`, as API Gateway sends binary media types.
 */
const textContentType =
  /^(text\/|application\/([\w.+-]*\+)?(json|xml)\b|application\/(x-www-form-urlencoded|javascript)\b)/i;

export interface IncomingRequest {
  method: string;
  url: URL;
  /** Node's `rawHeaders`: names as sent, alternating with values, repeats kept. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
}

const anonymousIdentity: APIGatewayEventIdentity = {
  accessKey: null,
  accountId: null,
  apiKey: null,
  apiKeyId: null,
  caller: null,
  clientCert: null,
  cognitoAuthenticationProvider: null,
  cognitoAuthenticationType: null,
  cognitoIdentityId: null,
  cognitoIdentityPoolId: null,
  principalOrgId: null,
  sourceIp: '127.0.0.1',
  user: null,
  userAgent: null,
  userArn: null,
};

function lastHeader(rawHeaders: string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) value = rawHeaders[i + 1];
  return value;
}

function nullWhenEmpty<T extends object>(value: T): T | null {
  return Object.keys(value).length > 0 ? value : null;
}

/**
 * The REST API proxy event for a request matched to `resource` (the route's path
 * template). Like API Gateway, `headers` and `queryStringParameters` hold the last
 * value of a repeated name and the `multiValue` maps hold them all.
 */
export function toRestEvent(
  request: IncomingRequest,
  resource: string,
  pathParameters: Record<string, string>,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const [name, value] = [request.rawHeaders[i], request.rawHeaders[i + 1]];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of request.url.searchParams) {
    query[name] = value;
    (multiValueQuery[name] ??= []).push(value);
  }
  const contentType = lastHeader(request.rawHeaders, 'content-type');
  // A text body that is not UTF-8 travels base64, so the function sees its bytes, not U+FFFD.
  const isText = (contentType === undefined || textContentType.test(contentType)) && isUtf8(request.body);
  const hasBody = request.body.length > 0;
  return {
    resource,
    path: request.url.pathname,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: nullWhenEmpty(query),
    multiValueQueryStringParameters: nullWhenEmpty(multiValueQuery),
    pathParameters: nullWhenEmpty(pathParameters),
    stageVariables: null,
    body: hasBody ? request.body.toString(isText ? 'utf8' : 'base64') : null,
    isBase64Encoded: hasBody && !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: undefined,
      httpMethod: request.method,
      identity: {
        ...anonymousIdentity,
        sourceIp: request.sourceIp,
        userAgent: lastHeader(request.rawHeaders, 'user-agent') ?? null,
      },
      path: request.url.pathname,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: resource,
      stage: 'local',
    },
  };
}

/** A context like Lambda's for one invocation of the function `functionName`. */
export function lambdaContext(functionName: string, timeoutMillis = integrationTimeoutMillis): Context {
  const deadline = Date.now() + timeoutMillis;
  return {
    awsRequestId: randomUUID(),
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Writes a proxy result: status, `headers` overlaid by `multiValueHeaders`, body (base64-decoded when flagged). */
export function writeProxyResult(response: ServerResponse, result: APIGatewayProxyResult): void {
  if (!result || !Number.isInteger(result.statusCode))
    throw new Error('the function returned no proxy result (statusCode missing)');
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, String(value));
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    response.setHeader(name, values.map(String));
  response.statusCode = result.statusCode;
  response.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
}

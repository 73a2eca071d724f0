/**
 * API Gateway adapters: REST API (v1) and HTTP API (v2) proxy events become one
 * `HttpRequest`; a use case's `Result` becomes the proxy response both accept.
 */
import { isUtf8 } from 'node:buffer';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult } from 'aws-lambda';

export type ApiGatewayEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

export interface HttpRequest {
  method: string;
  path: string;
  pathParameters: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string | undefined>;
  /** The body as text (base64 bodies decoded), or undefined when there is none or it is not UTF-8. */
  body: string | undefined;
  /** Size of the body in bytes as received. */
  bodyBytes: number;
  /** False when the body's bytes are not UTF-8 (then `body` is undefined: nothing is guessed). */
  bodyIsUtf8: boolean;
  requestId: string;
}

function isV2(event: ApiGatewayEvent): event is APIGatewayProxyEventV2 {
  return (event as APIGatewayProxyEventV2).version === '2.0';
}

function lowerCaseHeaders(
  single: Record<string, string | undefined> | null | undefined,
  multi?: Record<string, string[] | undefined> | null,
): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(single ?? {})) headers[name.toLowerCase()] = value;
  for (const [name, values] of Object.entries(multi ?? {})) {
    if (values && values.length > 0) headers[name.toLowerCase()] = values.join(', ');
  }
  return headers;
}

function decodeBody(
  body: string | null | undefined,
  isBase64: boolean,
): { text: string | undefined; bytes: number; utf8: boolean } {
  if (body === null || body === undefined) return { text: undefined, bytes: 0, utf8: true };
  if (isBase64) {
    const buffer = Buffer.from(body, 'base64');
    // Invalid bytes are never replaced with U+FFFD: a body that is not UTF-8 is refused, not guessed at.
    return isUtf8(buffer)
      ? { text: buffer.toString('utf8'), bytes: buffer.length, utf8: true }
      : { text: undefined, bytes: buffer.length, utf8: false };
  }
  return { text: body, bytes: Buffer.byteLength(body, 'utf8'), utf8: true };
}

/** Reads either API Gateway event version into one request shape. */
export function toHttpRequest(event: ApiGatewayEvent): HttpRequest {
  if (isV2(event)) {
    const { text, bytes, utf8 } = decodeBody(event.body, event.isBase64Encoded);
    const headers = lowerCaseHeaders(event.headers);
    if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
    return {
      method: event.requestContext.http.method.toUpperCase(),
      path: event.rawPath,
      pathParameters: event.pathParameters ?? {},
      query: { ...(event.queryStringParameters ?? {}) },
      headers,
      body: text,
      bodyBytes: bytes,
      bodyIsUtf8: utf8,
      requestId: event.requestContext.requestId,
    };
  }
  const { text, bytes, utf8 } = decodeBody(event.body, event.isBase64Encoded);
  const query: Record<string, string | undefined> = { ...(event.queryStringParameters ?? {}) };
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values && values.length > 0) query[name] = values[values.length - 1];
  }
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path,
    pathParameters: event.pathParameters ?? {},
    query,
    headers: lowerCaseHeaders(event.headers, event.multiValueHeaders),
    body: text,
    bodyBytes: bytes,
    bodyIsUtf8: utf8,
    requestId: event.requestContext?.requestId ?? 'unknown',
  };
}

/** A JSON proxy response, understood by both REST and HTTP APIs. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'cache-control': 'no-store',
      ...headers,
    },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

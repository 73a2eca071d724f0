/**
 * An HTTP body as a JSON value: size checked before anything reads it, a JSON media type
 * (when one is named) in UTF-8, blank meaning none, text that is not JSON refused with
 * where parsing stopped.
 */
import { MalformedBodyError } from '../errors.js';
import { assertBodySize } from '../pipeline/pipeline.js';
import type { RouteDefinition } from '../pipeline/route.js';
import type { HttpRequest } from './event.js';

function jsonErrorPosition(error: unknown): number {
  const match = /position (\d+)/.exec((error as Error).message);
  return match ? Number(match[1]) : 0;
}

/**
 * True when a `Content-Type` names JSON in UTF-8: `application/json` or
 * `application/<anything>+json`, with no charset or `utf-8` (RFC 8259: JSON is UTF-8).
 */
export function isJsonMediaType(contentType: string): boolean {
  const [essence, ...parameters] = contentType.split(';').map((part) => part.trim());
  if (!/^application\/(?:[\w.+-]+\+)?json$/i.test(essence)) return false;
  return parameters.every((parameter) => {
    const [name, value = ''] = parameter.split('=').map((part) => part.trim());
    return name.toLowerCase() !== 'charset' || /^"?utf-8"?$/i.test(value);
  });
}

/** The request body for a route that takes one (undefined when none was sent); no body is read for other routes. */
export function readJsonBody(route: RouteDefinition, request: HttpRequest): unknown {
  if (!route.request.body) return undefined;
  assertBodySize(route, request.bodyBytes);
  if (request.bodyBytes === 0 || (request.body !== undefined && request.body.trim() === '')) return undefined;
  const contentType = request.headers['content-type'];
  // No Content-Type is read as JSON (as FastAPI does); a named one must be JSON.
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    throw new MalformedBodyError('media_type');
  }
  if (!request.bodyIsUtf8 || request.body === undefined) throw new MalformedBodyError('not_utf8');
  try {
    return JSON.parse(request.body);
  } catch (error) {
    throw new MalformedBodyError('not_json', undefined, jsonErrorPosition(error));
  }
}

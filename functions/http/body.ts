/**
 * An HTTP body as a JSON value: size checked before anything reads it, blank meaning
 * none, text that is not JSON refused with where parsing stopped.
 */
import { MalformedBodyError } from '../errors.js';
import { assertBodySize } from '../core/pipeline.js';
import type { RouteDefinition } from '../core/route.js';
import type { HttpRequest } from './event.js';

function jsonErrorPosition(error: unknown): number {
  const match = /position (\d+)/.exec((error as Error).message);
  return match ? Number(match[1]) : 0;
}

/** The request body for a route that takes one (undefined when none was sent); no body is read for other routes. */
export function readJsonBody(route: RouteDefinition, request: HttpRequest): unknown {
  if (!route.request.body) return undefined;
  assertBodySize(route, request.bodyBytes);
  if (request.body === undefined || request.body.trim() === '') return undefined;
  try {
    return JSON.parse(request.body);
  } catch (error) {
    throw new MalformedBodyError('not_json', 'Request body is not valid JSON', jsonErrorPosition(error));
  }
}

/**
 * Every request schema that is compiled into standalone validator code at build time.
 * Each needs a unique `$id`; the generated module exports `validators[$id]`.
 */
import { commandEnvelope } from './command.js';
import { createExecutorInput, executorIdParams, listExecutorsQuery, updateExecutorInput } from './executor.js';

export const requestSchemas = [updateExecutorInput, createExecutorInput, executorIdParams, listExecutorsQuery, commandEnvelope];

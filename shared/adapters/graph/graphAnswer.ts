import type { z } from 'zod';
import { RolloutError } from '../../errors/RolloutError.js';
import type { GraphAnswer } from './graphGateway.js';

/**
 * Validates a Graph answer body against the shape the rollout relies on. Graph answers are input like any
 * other: a missing field or a wrong type is GRAPH_MALFORMED_RESPONSE naming the call and the field,
 * never a crash deeper in.
 */
export function readAnswer<T extends z.ZodType>(operation: string, answer: GraphAnswer | { body: unknown; requestId: string | null }, schema: T): z.output<T> {
  const parsed = schema.safeParse(answer.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
  return (() => {
    throw new RolloutError('GRAPH_MALFORMED_RESPONSE', `${operation}: Graph's answer has an unexpected '${field}' (${issue?.message ?? 'invalid'})`, {
      ...(answer.requestId === null ? {} : { requestId: answer.requestId }),
      retryable: true,
    });
  })();
}

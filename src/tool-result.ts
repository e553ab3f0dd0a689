/**
 * What a handler returns, made into the call's result: invisible characters stripped, checked against the
 * tool's output schema, secrets redacted (except those shown once in this call), fitted to the result budget
 * (src/budget.ts) and fenced (src/fence.ts). Also the two ends of a call that are not a handler's result: the
 * arguments' validation issues, and a paused result given back as it was first shown.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { fitToBudget } from './budget.js';
import { InputError, SERVICE_LABEL, SynError } from './errors.js';
import { presentResult, stripInvisibleDeep } from './fence.js';
import { containsSecret, redact } from './http/redact.js';
import type { Logger } from './log.js';
import type { AnyToolDef } from './tool.js';

/** Where a result stands: the page it came from and how far into it a budget cursor resumed. */
export interface ResultPlace {
  maxChars: number;
  page: string | undefined;
  offset: number;
  /** Secrets the handler showed once (ToolContext.secret): not redacted from this result. */
  shown: ReadonlySet<string>;
  log: Logger;
  correlationId: string;
}

/** The label of a tool's third-party content, for its fence. */
export function sourceOf(tool: AnyToolDef): string {
  return tool.services.map((s) => SERVICE_LABEL[s]).join('/');
}

/** The arguments' validation issues, as the InputError the model reads. */
export function issuesOf(error: z.ZodError): InputError {
  const issues = error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message:
      i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}; remove them` : i.message,
  }));
  return new InputError('Nothing was sent; correct the arguments and call again.', issues);
}

/** A handler's value as the call's result; throws SynError when it does not fit the output schema. */
export function toolResult(tool: AnyToolDef, value: unknown, place: ResultPlace): CallToolResult {
  const { name } = tool;
  // Invisible characters out of every upstream string, before the output check and redaction (fence.ts).
  const checked = tool.output.safeParse(stripInvisibleDeep(value));
  if (!checked.success) {
    place.log.error(
      `tool ${name}: result does not match its output schema: ${checked.error.message}`,
      undefined,
      {
        tool: name,
        correlationId: place.correlationId,
      },
    );
    throw new SynError(`${tool.title}: the API answered in a shape syn-mcp does not understand.`);
  }
  let structured = checked.data as Record<string, unknown>;
  let serialised: string | undefined = JSON.stringify(structured);
  if (containsSecret(serialised, place.shown)) {
    structured = JSON.parse(redact(serialised, place.shown)) as Record<string, unknown>;
    serialised = undefined;
  }
  const fitted = fitToBudget(structured, {
    tool: name,
    maxChars: place.maxChars,
    pageable: 'cursor' in tool.input.shape && 'nextCursor' in tool.output.shape,
    page: place.page,
    offset: place.offset,
    text: serialised,
  });
  // Guidance outside the untrusted-data fence, everything from the upstream inside it (fence.ts).
  const out = presentResult(fitted, sourceOf(tool));
  return { content: [{ type: 'text', text: out.text }], structuredContent: out.data };
}

/** A paused result kept between rounds, given back as it was first shown. */
export function keptResult(tool: AnyToolDef | undefined, kept: Record<string, unknown>): CallToolResult {
  const out = presentResult(
    { data: kept, text: JSON.stringify(kept), note: undefined },
    tool ? sourceOf(tool) : 'Synapse',
  );
  return { content: [{ type: 'text', text: out.text }], structuredContent: out.data };
}

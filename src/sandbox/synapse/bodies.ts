/**
 * Synapse's request models as FastAPI validates them (`V1ChatRequest`, `V1OrchestrationRunRequest`,
 * `V1ResumeRequest`): 422 with pydantic's error list, and the `{detail}` error every route throws.
 */
import { isRecord } from '../../json.js';

/** `{detail}` error as FastAPI's HTTPException renders it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : 'validation error');
  }
}

interface PydanticIssue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
}

const MISSING = (loc: Array<string | number>, input: unknown): PydanticIssue => ({
  type: 'missing',
  loc,
  msg: 'Field required',
  input,
});

function stringIssue(loc: Array<string | number>, input: unknown): PydanticIssue {
  return { type: 'string_type', loc, msg: 'Input should be a valid string', input };
}

/** The body of a pydantic model parameter: absent → 422 missing, not an object → 422 model_attributes_type. */
function modelBody(body: unknown): Record<string, unknown> {
  if (body === undefined) throw new HttpError(422, [MISSING(['body'], null)]);
  if (!isRecord(body)) {
    throw new HttpError(422, [
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: body,
      },
    ]);
  }
  return body;
}

function optionalStr(body: Record<string, unknown>, key: string, issues: PydanticIssue[]): string | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    issues.push(stringIssue(['body', key], v));
    return null;
  }
  return v;
}

/** `V1ChatRequest` once validated. */
export interface ChatBody {
  message: string;
  agent: string | null;
  session_id: string | null;
  images: string[];
}

/** `V1ChatRequest`. */
export function chatBody(raw: unknown): ChatBody {
  const body = modelBody(raw);
  const issues: PydanticIssue[] = [];
  let message = '';
  if (body.message === undefined) issues.push(MISSING(['body', 'message'], body));
  else if (typeof body.message !== 'string') issues.push(stringIssue(['body', 'message'], body.message));
  else message = body.message;
  const agent = optionalStr(body, 'agent', issues);
  const session_id = optionalStr(body, 'session_id', issues);
  const images: string[] = [];
  if (body.images !== undefined) {
    if (!Array.isArray(body.images)) {
      issues.push({
        type: 'list_type',
        loc: ['body', 'images'],
        msg: 'Input should be a valid list',
        input: body.images,
      });
    } else {
      body.images.forEach((img, i) => {
        if (typeof img === 'string') images.push(img);
        else issues.push(stringIssue(['body', 'images', i], img));
      });
    }
  }
  if (issues.length > 0) throw new HttpError(422, issues);
  return { message, agent, session_id, images };
}

/** `V1OrchestrationRunRequest`: `message: str = ""`. */
export function runBody(raw: unknown): string {
  const body = modelBody(raw);
  if (body.message === undefined) return '';
  if (typeof body.message !== 'string')
    throw new HttpError(422, [stringIssue(['body', 'message'], body.message)]);
  return body.message;
}

/** `V1ResumeRequest`: `response: dict | str = {}`; a string is normalised to `{"response": <string>}`. */
export function resumeBody(raw: unknown): Record<string, unknown> {
  const body = modelBody(raw);
  const r = body.response;
  if (r === undefined) return {};
  if (typeof r === 'string') return { response: r };
  if (isRecord(r)) return r;
  throw new HttpError(422, [
    {
      type: 'dict_type',
      loc: ['body', 'response', 'dict[any,any]'],
      msg: 'Input should be a valid dictionary',
      input: r,
    },
    stringIssue(['body', 'response', 'str'], r),
  ]);
}

/** JSON Patch (RFC 6902) for Synqly's PATCH bodies, with the fields a patch may not touch. */
import type { Obj } from './model.js';
import { badRequest } from './problem.js';

function pointer(path: unknown, id: string): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
    throw badRequest(`Invalid JSON Pointer in ${id}`, { id, location: 'body', value: path });
  }
  return path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Obj, tokens: string[], id: string): { parent: Obj | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (typeof cur === 'object' && cur !== null) cur = (cur as Obj)[t];
    else cur = undefined;
    if (cur === undefined) throw badRequest(`Path not found: ${id}`, { id, location: 'body' });
  }
  const key = tokens.at(-1);
  if (key === undefined || typeof cur !== 'object' || cur === null) {
    throw badRequest(`Path not found: ${id}`, { id, location: 'body' });
  }
  return { parent: cur as Obj | unknown[], key };
}

function getAt(doc: Obj, tokens: string[], id: string): unknown {
  const { parent, key } = parentOf(doc, tokens, id);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw badRequest(`Path not found: ${id}`, { id, location: 'body' });
  return value;
}

function removeAt(doc: Obj, tokens: string[], id: string): unknown {
  const value = getAt(doc, tokens, id);
  const { parent, key } = parentOf(doc, tokens, id);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return value;
}

function addAt(doc: Obj, tokens: string[], value: unknown, id: string, replace: boolean): void {
  const { parent, key } = parentOf(doc, tokens, id);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) {
      throw badRequest(`Invalid array index in ${id}`, { id, location: 'body' });
    }
    if (replace) parent[index] = value;
    else parent.splice(index, 0, value);
  } else {
    if (replace && !(key in parent)) throw badRequest(`Path not found: ${id}`, { id, location: 'body' });
    parent[key] = value;
  }
}

/** Applies JSON Patch operations to a copy of `doc`; fields in `readOnly` cannot change. */
export function applyPatch(doc: Obj, ops: unknown, readOnly: readonly string[]): Obj {
  if (!Array.isArray(ops) || ops.length === 0) {
    throw badRequest('The body must be a non-empty array of JSON Patch operations', {
      id: 'body',
      location: 'body',
    });
  }
  const out = structuredClone(doc);
  ops.forEach((raw, i) => {
    const id = `[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw badRequest(`Operation ${id} is not an object`, { id, location: 'body' });
    }
    const op = raw as Obj;
    const tokens = pointer(op.path, `${id}.path`);
    if (tokens.length === 0 || readOnly.includes(tokens[0] ?? '')) {
      throw badRequest(`Field ${String(op.path)} cannot be changed`, {
        id: `${id}.path`,
        location: 'body',
        value: op.path,
      });
    }
    switch (op.op) {
      case 'add':
      case 'replace':
        if (!('value' in op)) throw badRequest(`Operation ${id} needs a value`, { id, location: 'body' });
        addAt(out, tokens, op.value, `${id}.path`, op.op === 'replace');
        break;
      case 'remove':
        removeAt(out, tokens, `${id}.path`);
        break;
      case 'copy':
      case 'move': {
        const from = pointer(op.from, `${id}.from`);
        const value =
          op.op === 'move'
            ? removeAt(out, from, `${id}.from`)
            : structuredClone(getAt(out, from, `${id}.from`));
        addAt(out, tokens, value, `${id}.path`, false);
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(out, tokens, `${id}.path`)) !== JSON.stringify(op.value)) {
          throw badRequest(`Test operation ${id} failed`, { id, location: 'body', value: op.value });
        }
        break;
      default:
        throw badRequest(`Unknown JSON Patch op in ${id}`, {
          id: `${id}.op`,
          location: 'body',
          value: op.op,
        });
    }
  });
  return out;
}

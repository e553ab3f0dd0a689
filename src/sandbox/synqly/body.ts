/** Reading a Synqly request body: capped, then parsed as JSON or multipart (storage uploads). */
import type { IncomingMessage } from 'node:http';
import type { BodyKind } from './route.js';

/** Reads a request body, keeping at most `cap` bytes (the rest is drained). */
export async function readBody(
  req: IncomingMessage,
  cap: number,
): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= cap) chunks.push(buffer);
  }
  return { bytes: Buffer.concat(chunks), tooLarge: size > cap };
}

/** Parses a body by its content type: multipart form, JSON, or kept as text (`other`, `malformed`). */
export async function parseBody(
  bytes: Buffer,
  contentType: string,
): Promise<{ kind: BodyKind; json?: unknown; form?: FormData; recorded: unknown }> {
  if (bytes.length === 0) return { kind: 'empty', recorded: undefined };
  const text = bytes.toString('utf8');
  if (/multipart\/form-data/i.test(contentType)) {
    try {
      const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      const parts: unknown[] = [];
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') parts.push({ name, value });
        else {
          const content = Buffer.from(await value.arrayBuffer());
          parts.push({ name, filename: value.name, type: value.type, size: content.length, content });
        }
      }
      return { kind: 'multipart', form, recorded: { form: parts } };
    } catch {
      return { kind: 'malformed', recorded: text };
    }
  }
  if (/json/i.test(contentType)) {
    try {
      const json: unknown = JSON.parse(text);
      return { kind: 'json', json, recorded: json };
    } catch {
      return { kind: 'malformed', recorded: text };
    }
  }
  return { kind: 'other', recorded: text };
}

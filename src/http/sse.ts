/** One Server-Sent Event as read from the wire. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Reads a `text/event-stream` body into events, following the WHATWG parsing rules that matter here:
 * CRLF/LF/CR line ends, `data:` lines joined with `\n`, comments ignored, one event per blank line.
 * An event still pending when the stream ends is dropped, as the standard says.
 */
export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let pendingCr = false;

  const line = (text: string): SseEvent | undefined => {
    if (text === '') {
      if (data.length === 0) {
        event = '';
        return undefined;
      }
      const out: SseEvent = { event: event || 'message', data: data.join('\n') };
      if (id !== undefined) out.id = id;
      data = [];
      event = '';
      return out;
    }
    if (text.startsWith(':')) return undefined;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    return undefined;
  };

  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const ch = buffer.charCodeAt(i);
      if (ch === 10 && pendingCr) {
        pendingCr = false;
        start = i + 1;
        continue;
      }
      pendingCr = false;
      if (ch === 10 || ch === 13) {
        pendingCr = ch === 13;
        const ev = line(buffer.slice(start, i));
        start = i + 1;
        if (ev) yield ev;
      }
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  if (buffer !== '') {
    const ev = line(buffer);
    if (ev) yield ev;
  }
}

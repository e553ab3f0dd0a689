import { InputError } from '../errors.js';

/** A value that may fill one `{placeholder}` of a path template. */
export type PathValue = string | number;

/**
 * Builds a request path from a template such as `/incidents/{id}/resolve`. Each value is one path segment:
 * it is percent-encoded, and empty, `.` and `..` values are refused so no id can walk the path. A
 * placeholder written `{path*}` takes a multi-segment value (storage paths): each of its segments is
 * checked and encoded on its own.
 */
export function buildPath(
  template: string,
  params: Readonly<Record<string, PathValue | undefined>> = {},
): string {
  return template.replace(/\{([A-Za-z0-9_]+)(\*?)\}/g, (_, name: string, multi: string) => {
    const raw = params[name];
    if (raw === undefined)
      throw new InputError(`${name} is required.`, [{ path: name, message: 'required' }]);
    const value = String(raw);
    const segments = multi
      ? value.split('/').filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1))
      : [value];
    if (segments.length === 0) throw badSegment(name, value);
    return segments
      .map((segment) => {
        if (segment === '' || segment === '.' || segment === '..') throw badSegment(name, value);
        // encodeURIComponent throws a URIError on a lone surrogate (text that is not valid Unicode).
        if (LONE_SURROGATE.test(segment)) {
          throw new InputError(`${name} is not valid Unicode text.`, [
            {
              path: name,
              message: 'holds a lone surrogate (half of a UTF-16 pair); send the id as it was given',
            },
          ]);
        }
        return encodeURIComponent(segment);
      })
      .join('/');
  });
}

const LONE_SURROGATE = /\p{Cs}/u;

function badSegment(name: string, value: string): InputError {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return new InputError(`${name} "${shown}" is not a valid id.`, [
    { path: name, message: 'must be a non-empty id, not "." or ".." or an empty segment' },
  ]);
}

/**
 * What counts as an identifier-shaped text: no spaces, no markup, at most 80 characters. Such a value cannot
 * carry an instruction, so syn-mcp's guidance may quote it (a run id, a field name, an option); the fence
 * (fence.ts) leaves it alone. No imports: the browser views use it too.
 */
const ID_SHAPED = /^[\w.:@/+#-]{1,80}$/;

/** True for an identifier-shaped text. */
export function isIdShaped(text: string): boolean {
  return ID_SHAPED.test(text);
}

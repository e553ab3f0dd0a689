/**
 * The host's look applied to a view: light or dark (`data-theme`, `color-scheme`), its CSS variables
 * (colours, fonts, radii) on the document, and its font CSS (`@font-face`) in a style element of its own.
 */
import type { McpUiHostContext } from '@modelcontextprotocol/ext-apps';

/** Applies a host context's theme, style variables and fonts to the document. */
export function applyHostLook(context: McpUiHostContext): void {
  const root = document.documentElement;
  const theme =
    context.theme ?? (window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
  const variables = context.styles?.variables ?? {};
  for (const [name, value] of Object.entries(variables)) {
    if (name.startsWith('--') && typeof value === 'string') root.style.setProperty(name, value);
  }
  const fonts = context.styles?.css?.fonts;
  if (typeof fonts === 'string') {
    let style = document.getElementById('host-fonts');
    if (!style) {
      style = document.createElement('style');
      style.id = 'host-fonts';
      document.head.append(style);
    }
    style.textContent = fonts;
  }
}

const replacements: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe for HTML element content and for quoted attribute values (and so for inline SVG): the five
 * characters that can end a text run or an attribute become character references. Every value the report
 * shows (UPNs, error messages, reasons, wave ids) goes through here.
 */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (character) => replacements[character] ?? character);
}

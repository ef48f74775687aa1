/** A message body as the function receives it. */
export type DecodedMessage =
  | { readonly ok: true; readonly text: string; readonly value: unknown }
  /** The body is not valid base64 while host.json says base64: the host moves such a message to poison unrun. */
  | { readonly ok: false };

/**
 * Decodes a message body the way the host and the Node.js worker do: base64 (strict, as .NET's decoder: the alphabet,
 * padding, a length a multiple of 4; whitespace ignored) to UTF-8 text when `messageEncoding` is base64, then the text
 * parsed as JSON when it parses (the worker's tryJsonParse: `{"a":1}` an object, `42` a number, `hello` the string).
 */
export function decodeQueueMessage(body: string, messageEncoding: 'base64' | 'none'): DecodedMessage {
  let text = body;
  if (messageEncoding === 'base64') {
    const compact = body.replace(/\s+/g, '');
    if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return { ok: false };
    text = Buffer.from(compact, 'base64').toString('utf8');
  }
  return { ok: true, text, value: tryJsonParse(text) };
}

function tryJsonParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

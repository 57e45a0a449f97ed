/**
 * Text from files we did not write (synth output, git refs, config values) on its way to a
 * terminal: control characters shown, never obeyed.
 */

/** Control characters (C0, DEL, C1: ESC, CSI, ...) and Unicode bidirectional overrides. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The part of {@link CONTROL} that JSON.stringify leaves raw (it escapes U+0000-U+001F itself). */
const CONTROL_AFTER_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Replaces control characters and bidirectional overrides with JSON-style `\uXXXX` escapes, so a
 * crafted name cannot move the cursor, recolour or rewrite the terminal, or reorder what is shown.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

/** JSON text with the characters JSON.stringify leaves raw escaped too (still the same JSON value). */
export function escapeJsonText(json: string): string {
  return json.replace(CONTROL_AFTER_JSON, escapeChar);
}

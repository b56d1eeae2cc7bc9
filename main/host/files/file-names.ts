/**
 * File names as people send them, made safe to show and to save. The host never uses a name as a
 * path (files are stored by content, see blob-store.ts), but the people who download a file save
 * it under this name on Windows, macOS and Linux, so it must mean one plain file there too: no
 * folders (`../`, `C:\`, `/etc/`), nothing a shell or Explorer treats specially, no device names.
 */

/** Longest name, in code points (what most file systems allow, in bytes or UTF-16 units). */
export const MAX_FILE_NAME_LENGTH = 255;
/** The name of a file whose sender gave none that survives the rules below. */
export const FALLBACK_FILE_NAME = 'file';
/** Extensions kept when a long name is shortened, up to this many code points (dot included). */
const MAX_KEPT_EXTENSION = 16;

// C0 and C1 controls (NUL included), lone surrogates (no file system can store them), and the
// bidirectional controls that make `txt.exe` look like `exe.txt` (U+202E and its relatives).
const INVISIBLE = /[\p{Cc}\p{Cs}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// Characters Windows refuses in names.
const WINDOWS_RESERVED_CHARACTERS = /[<>:"|?*]/g;
// Device names Windows opens instead of a file, with any extension (`con.txt` is the console).
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:\..*)?$/i;
// Leading dots hide a file (and make `..`); trailing dots and spaces are dropped by Windows.
const EDGE_DOTS_AND_SPACES = /^[\s.]+|[\s.]+$/gu;

/**
 * The last segment of `given` (split at `/` and `\`), without controls, characters Windows
 * refuses, leading dots and trailing dots or spaces; a Windows device name gets a `_` in front;
 * at most MAX_FILE_NAME_LENGTH code points, keeping a short extension; never empty.
 */
export function safeFileName(given: string): string {
  const segments = given.split(/[/\\]/);
  let name = (segments[segments.length - 1] ?? '')
    .replace(INVISIBLE, '')
    .replace(WINDOWS_RESERVED_CHARACTERS, '_')
    .replace(EDGE_DOTS_AND_SPACES, '');
  name = shorten(name).replace(EDGE_DOTS_AND_SPACES, '');
  if (name === '') return FALLBACK_FILE_NAME;
  return WINDOWS_DEVICE.test(name) ? `_${name}` : name;
}

function shorten(name: string): string {
  const points = [...name];
  if (points.length <= MAX_FILE_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? [...name.slice(dot)] : [];
  const kept = extension.length <= MAX_KEPT_EXTENSION ? extension : [];
  return points.slice(0, MAX_FILE_NAME_LENGTH - kept.length).join('') + kept.join('');
}

/** The name without its extension (`photo.jpg` -> `photo`). */
export function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * A Content-Disposition value (RFC 6266) naming `name`: an ASCII fallback for old clients and the
 * exact name as UTF-8 (RFC 8187) for every current one.
 */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

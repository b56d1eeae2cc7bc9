/** How files are described to people: sizes, kinds, and the box an image preview takes. */
import type { FileInfo } from '../../protocol/wire/entries';

const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** `532 bytes`, `1.4 MB`, `12 GB` (powers of 1,024, as file managers show them). */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A speed such as `3.2 MB/s`. */
export function formatSpeed(bytesPerSecond: number): string {
  return `${formatSize(bytesPerSecond)}/s`;
}

/** Time left as people say it: `12 s left`, `3 min left`, `1 h 5 min left`. */
export function formatTimeLeft(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  if (whole < 60) return `${whole} s left`;
  const minutes = Math.ceil(whole / 60);
  if (minutes < 60) return `${minutes} min left`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** What kind of file it is, from its MIME type: `PDF`, `PNG image`, `ZIP archive`… */
export function describeType(mime: string): string {
  const [type = '', subtype = ''] = mime.toLowerCase().split(';')[0]!.trim().split('/');
  const short = subtype
    .replace(/^(x-|vnd\.)/, '')
    .split(/[.+]/)[0]!
    .toUpperCase();
  if (type === 'image') return `${short} image`;
  if (type === 'video') return `${short} video`;
  if (type === 'audio') return `${short} audio`;
  if (subtype === 'pdf') return 'PDF';
  if (/zip|tar|gzip|7z|rar|bzip/.test(subtype)) return `${short} archive`;
  if (type === 'text') return subtype === 'plain' ? 'Text' : `${short} text`;
  return short || 'File';
}

/** An image the host made a thumbnail of, shown as a picture in the stream. */
export function isPreviewable(file: FileInfo): boolean {
  return (
    file.thumb !== undefined &&
    file.width !== undefined &&
    file.height !== undefined &&
    file.mime.startsWith('image/')
  );
}

/** The largest box of the image's shape within `maxWidth` × `maxHeight`, never enlarged. */
export function fitWithin(
  width: number,
  height: number,
  maxWidth: number,
  maxHeight: number,
): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

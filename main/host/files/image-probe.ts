/**
 * What an image is: its size, and a thumbnail (WebP, at most 320x320) for the stream, made with
 * sharp (libvips). Only PNG, JPEG, GIF and WebP, as their bytes say (never SVG or anything a
 * browser would run). An image sharp cannot read (corrupt, truncated, larger than
 * MAX_INPUT_PIXELS) simply gets neither: it stays a file like any other.
 */
import { rm } from 'node:fs/promises';
import type { Sharp, SharpOptions } from 'sharp';

/** Images shown inline and given thumbnails, as detected from their bytes. */
export const RASTER_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
]);

export const THUMBNAIL_SIZE = 320;
/**
 * Larger images are not decoded at all: a 10 KB PNG can claim 50,000 x 50,000 pixels, and
 * decoding it would take gigabytes (a decompression bomb). 100 megapixels covers every camera.
 */
export const MAX_INPUT_PIXELS = 100_000_000;

type SharpFactory = (input: string, options: SharpOptions) => Sharp;
let sharpLoading: Promise<SharpFactory | undefined> | undefined;

/**
 * sharp, loaded on the first image: a host whose libvips cannot load (a missing prebuilt binary,
 * a sandbox without it) still starts and serves every file, with no thumbnails.
 */
function loadSharp(): Promise<SharpFactory | undefined> {
  sharpLoading ??= import('sharp').then(
    ({ default: sharp }) => {
      // Decoded images are not worth keeping between uploads: each is thumbnailed once.
      sharp.cache(false);
      return sharp;
    },
    () => undefined,
  );
  return sharpLoading;
}

export interface ImageFacts {
  width: number;
  height: number;
  thumb: { width: number; height: number; size: number };
}

const inputOptions = { limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true } as const;

/**
 * Width and height as shown (EXIF orientation applied), with the thumbnail written to
 * `thumbPath`; undefined (and no thumbnail file) when the image cannot be read whole.
 */
export async function probeImage(path: string, thumbPath: string): Promise<ImageFacts | undefined> {
  const sharp = await loadSharp();
  if (!sharp) return undefined;
  try {
    const { autoOrient } = await sharp(path, inputOptions).metadata();
    const written = await sharp(path, inputOptions)
      .autoOrient()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75, effort: 2 })
      .toFile(thumbPath);
    return {
      width: autoOrient.width,
      height: autoOrient.height,
      thumb: { width: written.width, height: written.height, size: written.size },
    };
  } catch {
    // Corrupt or refused input: no facts, and no half-written thumbnail left behind.
    await rm(thumbPath, { force: true });
    return undefined;
  }
}

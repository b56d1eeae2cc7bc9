/**
 * A message's files: images as thumbnails that open full size (their box reserved from the width
 * and height the host measured, so nothing jumps when they load), other files as a card with
 * name, size and kind and a download. The desktop downloads through the app (into Downloads,
 * resumable, "show in folder"); a browser guest through its own downloader (`<a download>`).
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { FileInfo } from '../../../protocol/wire/entries';
import { describeType, fitWithin, formatSize, isPreviewable } from '../../files/file-format';

/** The largest box a thumbnail takes in the stream. */
export const THUMB_BOX = { width: 320, height: 240 };

export interface FileLinks {
  /** The address the page loads a file's `url` or `thumb` path from. */
  href(path: string): string;
  /** Desktop: a Download button the app answers; browser: a link its downloader follows. */
  appDownloads: boolean;
}

export function filesTemplate(
  files: readonly FileInfo[] | undefined,
  links: FileLinks,
): TemplateResult | typeof nothing {
  if (!files || files.length === 0) return nothing;
  return html`<div class="files">
    ${files.map((file, index) =>
      isPreviewable(file) ? imageTemplate(file, index, links) : cardTemplate(file, index, links),
    )}
  </div>`;
}

function imageTemplate(file: FileInfo, index: number, links: FileLinks): TemplateResult {
  const box = fitWithin(file.width!, file.height!, THUMB_BOX.width, THUMB_BOX.height);
  return html`<button
    class="image"
    data-action="view-image"
    data-file=${index}
    aria-label=${`View ${file.name} full size`}
    title=${file.name}
    style=${styleMap({ width: `${box.width}px`, height: `${box.height}px` })}
  >
    <img
      src=${links.href(file.thumb!)}
      alt=${file.name}
      width=${box.width}
      height=${box.height}
      loading="lazy"
      decoding="async"
      draggable="false"
    />
  </button>`;
}

function cardTemplate(file: FileInfo, index: number, links: FileLinks): TemplateResult {
  const about = `${formatSize(file.size)} · ${describeType(file.mime)}`;
  return html`<div class="file" data-file=${index}>
    <svg class="file-icon" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M6 2h8l5 5v15H6z M14 2v5h5" />
    </svg>
    <div class="file-about">
      <span class="file-name" title=${file.name} dir="auto">${file.name}</span>
      <span class="file-meta">${about}</span>
    </div>
    ${
      links.appDownloads
        ? html`<button
            class="small"
            data-action="download"
            data-file=${index}
            aria-label=${`Download ${file.name}`}
          >
            Download
          </button>`
        : html`<a
            class="download small"
            href=${links.href(file.url)}
            download=${file.name}
            data-action="browser-download"
            aria-label=${`Download ${file.name}`}
            >Download</a
          >`
    }
  </div>`;
}

/**
 * QR codes for invites, drawn by the `qrcode` package: an SVG string (sharp at any size, for the
 * invite panel) and a PNG data URL (for places that want a bitmap, such as the tray or a copy
 * to the clipboard). Phones have no Parley app, so for them the shell encodes the guest page
 * URL (`guestUrl(invite)`); desktop-to-desktop it encodes the `parley://` invite.
 */
import QRCode from 'qrcode';
import * as v from 'valibot';

/** Each option left out or undefined takes its default. */
export interface QrOptions {
  /** Error correction: M (15 %) survives a glare or a smudge on a screen. Default 'M'. */
  errorCorrection?: 'L' | 'M' | 'Q' | 'H' | undefined;
  /** Quiet zone around the code, in modules. Default 2. */
  margin?: number | undefined;
  /** Colours as #rrggbb or #rrggbbaa. Defaults black on white (scanners want dark on light). */
  dark?: string | undefined;
  light?: string | undefined;
}

export interface QrPngOptions extends QrOptions {
  /** Width (and height) of the PNG in pixels. Default 256. */
  width?: number | undefined;
}

export type QrErrorCode = 'bad_invite' | 'invite_too_long' | 'bad_options';

export class QrError extends Error {
  readonly code: QrErrorCode;
  constructor(code: QrErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QrError';
    this.code = code;
  }
}

/** Far below the QR limit (2331 bytes at level M), and far above any real invite. */
const MAX_INVITE_LENGTH = 1024;

const colour = v.pipe(v.string(), v.regex(/^#(?:[0-9a-f]{6}|[0-9a-f]{8})$/i));
const optionsSchema = v.object({
  errorCorrection: v.optional(v.picklist(['L', 'M', 'Q', 'H']), 'M'),
  margin: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(16)), 2),
  dark: v.optional(colour, '#000000'),
  light: v.optional(colour, '#ffffff'),
  width: v.optional(v.pipe(v.number(), v.integer(), v.minValue(64), v.maxValue(4096)), 256),
});
const inviteSchema = v.pipe(
  v.string('The invite must be text.'),
  v.trim(),
  v.minLength(1, 'The invite is empty.'),
);

function check(invite: string, options: QrPngOptions | undefined) {
  const text = v.safeParse(inviteSchema, invite);
  if (!text.success) throw new QrError('bad_invite', text.issues[0].message);
  if (new TextEncoder().encode(text.output).length > MAX_INVITE_LENGTH) {
    throw new QrError('invite_too_long', `An invite longer than ${MAX_INVITE_LENGTH} bytes.`);
  }
  // Explicit undefined values mean "the default", like omitted ones.
  const given = Object.fromEntries(
    Object.entries(options ?? {}).filter(([, value]) => value !== undefined),
  );
  const settings = v.safeParse(optionsSchema, given);
  if (!settings.success) {
    const key = settings.issues[0].path?.[0]?.key;
    throw new QrError('bad_options', `Bad QR option ${String(key)}: ${settings.issues[0].message}`);
  }
  return { text: text.output, settings: settings.output };
}

/** The invite as a QR code in an SVG document (scales with its container). */
export async function inviteQrSvg(invite: string, options?: QrOptions): Promise<string> {
  const { text, settings } = check(invite, options);
  return QRCode.toString(text, {
    type: 'svg',
    errorCorrectionLevel: settings.errorCorrection,
    margin: settings.margin,
    color: { dark: settings.dark, light: settings.light },
  });
}

/** The invite as a QR code in a `data:image/png;base64,…` URL. */
export async function inviteQrPngDataUrl(invite: string, options?: QrPngOptions): Promise<string> {
  const { text, settings } = check(invite, options);
  return QRCode.toDataURL(text, {
    type: 'image/png',
    errorCorrectionLevel: settings.errorCorrection,
    margin: settings.margin,
    width: settings.width,
    color: { dark: settings.dark, light: settings.light },
  });
}

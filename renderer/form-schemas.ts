/**
 * What the app's forms accept, with a sentence for every way a field can be wrong: the start
 * screen's (exactly the bridge's HostRequest and JoinRequest) and the channel forms'.
 */
import * as v from 'valibot';
import type { CreateChannelRequest, HostRequest, JoinRequest } from '../protocol/bridge';
import { DEFAULT_LIMITS } from '../protocol/wire/limits';
import { checkName, codePointLength } from '../protocol/wire/text';

const MAX_NAME = DEFAULT_LIMITS.maxNameLength;
const MAX_TOPIC = DEFAULT_LIMITS.maxTopicLength;
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

const nameField = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'Type your name so others know who you are.'),
  v.check(
    (name) => codePointLength(name) <= MAX_NAME,
    `Keep your name to ${MAX_NAME} characters or fewer.`,
  ),
  v.check(
    (name) => checkName(name, Number.MAX_SAFE_INTEGER).ok || name.length === 0,
    'Your name cannot contain control characters or line breaks.',
  ),
);

const passwordField = v.pipe(
  v.string(),
  v.maxLength(1024, 'Keep the password to 1024 characters or fewer.'),
  // An empty password field means an open room.
  v.transform((password) => (password === '' ? undefined : password)),
);

const portField = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d{1,5}$/, 'Use a port number from 1 to 65535.'),
  v.transform(Number),
  v.minValue(1, 'Use a port number from 1 to 65535.'),
  v.maxValue(65535, 'Use a port number from 1 to 65535.'),
);

export const hostFormSchema = v.object({
  roomName: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'Give the room a name.'),
    v.maxLength(64, 'Keep the room name to 64 characters or fewer.'),
  ),
  name: nameField,
  password: passwordField,
  port: portField,
});

export const joinFormSchema = v.object({
  address: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'Type the address of the room, such as 192.168.1.20:7420.'),
    v.maxLength(512, 'That address is too long.'),
    v.regex(/^\S+$/, 'An address has no spaces, such as 192.168.1.20:7420.'),
  ),
  name: nameField,
  password: passwordField,
});

/** A channel's name follows the name rule; people often type the `#`, which is not part of it. */
export const channelNameField = v.pipe(
  v.string(),
  v.trim(),
  v.transform((name) => name.replace(/^#+/u, '').trim()),
  v.minLength(1, 'Give the channel a name.'),
  v.check(
    (name) => codePointLength(name) <= MAX_NAME,
    `Keep the channel name to ${MAX_NAME} characters or fewer.`,
  ),
  v.check((name) => !CONTROL.test(name), 'A channel name cannot contain line breaks.'),
);

/** A topic: up to the limit, on one line; empty clears it. */
export const topicField = v.pipe(
  v.string(),
  v.trim(),
  v.check(
    (topic) => codePointLength(topic) <= MAX_TOPIC,
    `Keep the topic to ${MAX_TOPIC} characters or fewer.`,
  ),
  v.check((topic) => !CONTROL.test(topic), 'A topic cannot contain line breaks.'),
);

export const channelFormSchema = v.object({ name: channelNameField, topic: topicField });

export type HostFormInput = v.InferInput<typeof hostFormSchema>;
export type JoinFormInput = v.InferInput<typeof joinFormSchema>;
export type ChannelFormInput = v.InferInput<typeof channelFormSchema>;
export type FieldErrors = Partial<Record<string, string>>;

export type FormResult<T> = { ok: true; request: T } | { ok: false; errors: FieldErrors };

export function parseHostForm(input: HostFormInput): FormResult<HostRequest> {
  return toResult(v.safeParse(hostFormSchema, input), (output) => ({
    roomName: output.roomName,
    name: output.name,
    port: output.port,
    ...(output.password === undefined ? {} : { password: output.password }),
  }));
}

export function parseJoinForm(input: JoinFormInput): FormResult<JoinRequest> {
  return toResult(v.safeParse(joinFormSchema, input), (output) => ({
    address: output.address,
    name: output.name,
    ...(output.password === undefined ? {} : { password: output.password }),
  }));
}

export function parseChannelForm(input: ChannelFormInput): FormResult<CreateChannelRequest> {
  return toResult(v.safeParse(channelFormSchema, input), (output) => ({
    name: output.name,
    ...(output.topic === '' ? {} : { topic: output.topic }),
  }));
}

/** A single field's value, or the sentence saying what is wrong with it. */
export function parseField<TSchema extends v.GenericSchema<string, string>>(
  schema: TSchema,
  input: string,
): { ok: true; value: string } | { ok: false; error: string } {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, error: result.issues[0].message };
}

function toResult<TSchema extends v.GenericSchema, T>(
  result: v.SafeParseResult<TSchema>,
  build: (output: v.InferOutput<TSchema>) => T,
): FormResult<T> {
  if (result.success) return { ok: true, request: build(result.output) };
  const errors: FieldErrors = {};
  for (const issue of result.issues) {
    const field = issue.path?.[0]?.key;
    // The first problem of each field is the one worth telling.
    if (typeof field === 'string' && errors[field] === undefined && issue.message) {
      errors[field] = issue.message;
    }
  }
  return { ok: false, errors };
}

/**
 * The guest page asks the host that served it which room it runs (`GET /api/info`), so the join
 * form can name the room and leave out the password field for an open room.
 */
import * as v from 'valibot';

const roomInfoSchema = v.object({
  app: v.literal('parley'),
  protocol: v.number(),
  room: v.object({ id: v.string(), name: v.string() }),
  peers: v.pipe(v.number(), v.integer(), v.minValue(0)),
  password: v.boolean(),
});

export type HostInfo = v.InferOutput<typeof roomInfoSchema>;

/** The host's public room info, or undefined when it cannot be had (the form then asks for everything). */
export async function fetchHostInfo(
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 4000,
): Promise<HostInfo | undefined> {
  try {
    const response = await fetchImpl('./api/info', {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return undefined;
    const parsed = v.safeParse(roomInfoSchema, await response.json());
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

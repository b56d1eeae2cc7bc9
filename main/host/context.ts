import type { createClientFrameSchema } from '../../protocol/wire/frames';
import type { createClientFrameV2Schema } from '../../protocol/wire/frames-v2';
import type { Limits } from '../../protocol/wire/limits';
import type { Heartbeat } from './heartbeat';
import type { PasswordGate } from './password-gate';
import type { Room } from './room';
import type { RoomStore } from './store/room-store';

export type ClientFrameSchema = ReturnType<typeof createClientFrameSchema>;
export type ClientFrameV2Schema = ReturnType<typeof createClientFrameV2Schema>;

/** What every connection of one host shares. */
export interface HostContext {
  readonly room: Room;
  readonly store: RoomStore;
  readonly limits: Limits;
  /** Undefined for an open room. */
  readonly password: string | undefined;
  /** Checks passwords: transport rule, per-address throttle, constant-time comparison. */
  readonly passwords: PasswordGate;
  /** Built once per host from its limits. */
  readonly frameSchema: ClientFrameSchema;
  /** The same, for parley.v2. */
  readonly frameSchemaV2: ClientFrameV2Schema;
  readonly heartbeat: Heartbeat;
  /** A bug in the host's own code: logged, and the host carries on. */
  reportBug(error: unknown): void;
}

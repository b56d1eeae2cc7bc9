/**
 * A child's side of the IPC channel: validated commands in, events out. The child exits when the
 * orchestrator goes away, so an interrupted run never leaves servers or generators behind.
 */
import * as v from 'valibot';

export interface ParentLink<Event> {
  tell(event: Event): void;
}

export function linkToParent<Command, Event extends { type: string }>(
  schema: v.GenericSchema<unknown, Command>,
  handle: (command: Command, link: ParentLink<Event>) => void | Promise<void>,
  failed: (message: string) => Event,
  /** Last words when the orchestrator is gone (Ctrl-C, crash): clean up, then the child exits. */
  beforeExit: () => Promise<void> = async () => {},
): ParentLink<Event> {
  if (!process.send) {
    console.error('this is a benchmark child process: start it through `npm run bench`');
    process.exit(2);
  }
  const link: ParentLink<Event> = {
    tell(event) {
      if (process.connected) process.send?.(event);
    },
  };
  process.on('message', (raw) => {
    const parsed = v.safeParse(schema, raw);
    if (!parsed.success) {
      link.tell(failed(`invalid command: ${v.summarize(parsed.issues)}`));
      return;
    }
    Promise.resolve()
      .then(() => handle(parsed.output, link))
      .catch((error: unknown) => {
        link.tell(failed(error instanceof Error ? error.message : String(error)));
      });
  });
  process.on('disconnect', () => {
    beforeExit()
      .catch((error: unknown) => console.error('benchmark child: clean-up failed', error))
      .finally(() => process.exit(0));
  });
  return link;
}

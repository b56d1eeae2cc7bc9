import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../protocol/client/emitter';

type Events = { said: [who: string, text: string]; done: [] };

describe('Emitter', () => {
  it('delivers typed arguments and stops after unsubscribe', () => {
    const emitter = new Emitter<Events>();
    const heard: string[] = [];
    const off = emitter.on('said', (who, text) => heard.push(`${who}: ${text}`));
    emitter.emit('said', 'bob', 'hi');
    off();
    emitter.emit('said', 'bob', 'bye');
    expect(heard).toEqual(['bob: hi']);
  });

  it('lets a listener unsubscribe another during delivery without skipping the rest', () => {
    const emitter = new Emitter<Events>();
    const calls: string[] = [];
    const offs: (() => void)[] = [];
    offs.push(emitter.on('done', () => (calls.push('first'), offs[1]?.())));
    offs.push(emitter.on('done', () => calls.push('second')));
    emitter.emit('done');
    emitter.emit('done');
    expect(calls).toEqual(['first', 'second', 'first']);
  });

  it('keeps delivering when a listener throws, and reports the error asynchronously', async () => {
    const emitter = new Emitter<Events>();
    const calls: string[] = [];
    emitter.on('done', () => {
      throw new Error('listener bug');
    });
    emitter.on('done', () => calls.push('after'));
    const reported = new Promise<unknown>((resolve) => {
      const original = globalThis.queueMicrotask;
      globalThis.queueMicrotask = (task) => {
        globalThis.queueMicrotask = original;
        try {
          task();
        } catch (error) {
          resolve(error);
        }
      };
    });
    emitter.emit('done');
    expect(calls).toEqual(['after']);
    expect(await reported).toMatchObject({ message: 'listener bug' });
  });

  it('resolves once() with the next event', async () => {
    const emitter = new Emitter<Events>();
    const next = emitter.once('said');
    emitter.emit('said', 'ann', 'first');
    emitter.emit('said', 'ann', 'second');
    expect(await next).toEqual(['ann', 'first']);
  });
});

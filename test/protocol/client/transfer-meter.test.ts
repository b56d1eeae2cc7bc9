import { describe, expect, it } from 'vitest';
import { TransferMeter } from '../../../protocol/client/transfer-meter';

describe('TransferMeter', () => {
  it('measures speed over the recent window and the time left at that speed', () => {
    const meter = new TransferMeter();
    expect(meter.bytesPerSecond()).toBe(0);
    expect(meter.etaSeconds(1000)).toBeUndefined();
    meter.sample(0, 0);
    meter.sample(100, 1000);
    expect(meter.bytesPerSecond()).toBe(100);
    expect(meter.etaSeconds(1000)).toBe(9);
  });

  it('forgets old samples, so a stall shows at once', () => {
    const meter = new TransferMeter();
    meter.sample(0, 0);
    meter.sample(10_000, 1000);
    meter.sample(10_000, 5000);
    meter.sample(10_000, 8000);
    expect(meter.bytesPerSecond()).toBe(0);
  });

  it('starts over when the bytes go back (a resume from the host offset) or after reset', () => {
    const meter = new TransferMeter();
    meter.sample(500, 0);
    meter.sample(900, 1000);
    meter.sample(400, 1500);
    expect(meter.bytesPerSecond()).toBe(0);
    meter.sample(600, 2500);
    expect(meter.bytesPerSecond()).toBe(200);
    meter.reset();
    expect(meter.bytesPerSecond()).toBe(0);
  });
});

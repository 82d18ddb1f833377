import { LogThrottle } from './throttled-log.js';

describe('LogThrottle', () => {
  it('admits one line per class per interval and counts the rest', () => {
    let now = 0;
    const throttle = new LogThrottle(10_000, () => now);
    expect(throttle.admit('db')).toEqual({ suppressed: 0 });
    for (let i = 0; i < 500; i++) expect(throttle.admit('db')).toBeNull();
    expect(throttle.admit('other')).toEqual({ suppressed: 0 }); // another class has its own interval
    now = 9_999;
    expect(throttle.admit('db')).toBeNull();
    now = 10_000;
    expect(throttle.admit('db')).toEqual({ suppressed: 501 });
    expect(throttle.admit('db')).toBeNull();
  });
});

// The bench's stand-in for a Workers Rate Limiting binding (`[[ratelimits]]`), served by workerd alone
// as a wrapped binding: `limit({ key })` counts in memory, in the Worker's own isolate, per fixed
// window, as the deployed binding answers from a cache on the same machine. The bench sets a limit it
// never reaches (every request is measured with the same answer: allowed); what it measures is the
// Worker's call and its await, which the deployed binding costs too.
class RateLimit {
  constructor(limit, period) {
    this.limitPerPeriod = limit;
    this.periodMs = period * 1000;
    this.counts = new Map();
  }
  async limit({ key }) {
    const window = Math.floor(Date.now() / this.periodMs);
    const entry = this.counts.get(key);
    const count = entry && entry.window === window ? entry.count + 1 : 1;
    this.counts.set(key, { window, count });
    return { success: count <= this.limitPerPeriod };
  }
}

export default function makeBinding(env) {
  return new RateLimit(env.limit, env.period);
}

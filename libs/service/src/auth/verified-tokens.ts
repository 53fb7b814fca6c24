import { Caller } from './caller';

/**
 * Bearer tokens whose signature and claims were checked, with the caller each names, so a client that sends
 * the same token with every request pays for one signature check, not one per request. An entry lasts until
 * the token expires or `ttlMs` has passed, whichever is first; the oldest entry makes room for a new one.
 * Only tokens that passed every check are kept.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { caller: Caller; until: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 60_000,
  ) {}

  /** The caller a token was verified for, unless it was not, or its entry ran out at `now`. */
  get(token: string, now: number): Caller | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (now >= entry.until) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.caller;
  }

  /** Remembers a verified token; `expiresAt` is its `exp` claim (seconds since the epoch). */
  add(token: string, caller: Caller, expiresAt: number, now: number): void {
    const until = Math.min(expiresAt * 1000, now + this.ttlMs);
    if (until <= now) return;
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { caller, until });
  }

  /** Forgets every token, e.g. when the key they were verified with is replaced. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

import { VerifiedTokens } from './verified-tokens';

describe('verified tokens', () => {
  const caller = { subject: 'customer-1', admin: false };
  const now = 1_800_000_000_000;
  const inSeconds = (seconds: number) => now / 1000 + seconds;

  it('answers the caller of a token it was given, and nothing for another', () => {
    const tokens = new VerifiedTokens();
    tokens.add('token-a', caller, inSeconds(3600), now);
    expect(tokens.get('token-a', now + 1)).toEqual(caller);
    expect(tokens.get('token-b', now + 1)).toBeUndefined();
  });

  it('forgets a token once it expires, even within its time to live', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.add('token-a', caller, inSeconds(5), now);
    expect(tokens.get('token-a', now + 4_999)).toEqual(caller);
    expect(tokens.get('token-a', now + 5_000)).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it('forgets a token after its time to live, even if it expires later', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.add('token-a', caller, inSeconds(3600), now);
    expect(tokens.get('token-a', now + 59_999)).toEqual(caller);
    expect(tokens.get('token-a', now + 60_000)).toBeUndefined();
  });

  it('keeps nothing for a token already expired', () => {
    const tokens = new VerifiedTokens();
    tokens.add('token-a', caller, inSeconds(0), now);
    expect(tokens.size).toBe(0);
  });

  it('makes room by dropping the oldest token, and never holds more than its bound', () => {
    const tokens = new VerifiedTokens(2);
    tokens.add('token-a', caller, inSeconds(3600), now);
    tokens.add('token-b', caller, inSeconds(3600), now);
    tokens.add('token-c', caller, inSeconds(3600), now);
    expect(tokens.size).toBe(2);
    expect(tokens.get('token-a', now)).toBeUndefined();
    expect(tokens.get('token-b', now)).toEqual(caller);
    expect(tokens.get('token-c', now)).toEqual(caller);
  });

  it('forgets everything when cleared', () => {
    const tokens = new VerifiedTokens();
    tokens.add('token-a', caller, inSeconds(3600), now);
    tokens.clear();
    expect(tokens.get('token-a', now)).toBeUndefined();
  });
});

/** Bearer-token authentication of the public API (SPEC section 8): the guard, the caller, the decorators. */
export * from './auth.guard';
export * from './caller';
export * from './token-verifier';

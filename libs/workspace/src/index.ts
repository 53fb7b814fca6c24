/** The repository as data: which services exist and the names derived from them. */
export * from './services';
export * from './dev-token';

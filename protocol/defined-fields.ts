/**
 * Options merged over defaults (`{ ...DEFAULTS, ...definedFields(given) }`): a field given as
 * undefined means "the default", so it is left out instead of overwriting the default with
 * undefined.
 */
export type DefinedFields<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

export function definedFields<T extends object>(value: T): DefinedFields<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as DefinedFields<T>;
}

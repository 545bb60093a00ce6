/**
 * Python's call binding for a converter's `__init__(map, p1=..., p2=...)`: positional arguments
 * fill parameters in order, keywords by name, and the TypeErrors Python raises become errors.
 */

import type { ConverterArg } from "./converter-args.js";
import type { ConverterError } from "./converters.js";
import { suggestName } from "./suggest.js";

/** Arguments by parameter name. */
export type BoundArgs = Map<string, ConverterArg>;

/** Binds `args` to `params` the way Python does, or says which argument it would reject. */
export function bindConverterArgs(converter: string, params: string[], args: ConverterArg[]): BoundArgs | ConverterError {
  const bound: BoundArgs = new Map();
  const positional = args.filter((arg) => arg.name === undefined);
  const expected = `${converter}() takes ${params.join(", ")}`;
  const extra = positional[params.length];
  if (extra !== undefined) {
    return { message: `too many arguments for ${converter}(): it takes at most ${params.length}`, hint: expected, arg: extra };
  }
  positional.forEach((arg, index) => bound.set(params[index] ?? "", arg));
  // Python collects keywords into a dict first, so a repeated keyword keeps its last value.
  const keywords = new Map<string, ConverterArg>();
  for (const arg of args) if (arg.name !== undefined) keywords.set(arg.name, arg);
  for (const [name, arg] of keywords) {
    if (!params.includes(name)) {
      const close = suggestName(name, params);
      const hint = close === undefined ? expected : `did you mean "${close}"? ${expected}`;
      return { message: `unknown argument "${name}" for ${converter}()`, hint, arg };
    }
    if (bound.has(name)) {
      return { message: `${converter}() got two values for "${name}"`, hint: expected, arg };
    }
    bound.set(name, arg);
  }
  return bound;
}

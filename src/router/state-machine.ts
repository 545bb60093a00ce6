/**
 * werkzeug's `StateMachineMatcher`: a tree of states keyed by rule parts. Matching walks the path
 * segments, static transitions before dynamic ones (sorted by weight), and backtracks; a branch rule
 * reached without its trailing slash stops the whole walk with "slash required" (an exception in
 * werkzeug, a flag here).
 */

import { compareWeights, type DynamicPart, type RulePart } from "./rule-parts.js";

/** What the machine needs from a rule. */
export interface MachineRule {
  methods: ReadonlySet<string>;
}

interface State<R> {
  rules: R[];
  static: Map<string, State<R>>;
  dynamic: Array<{ part: DynamicPart; state: State<R> }>;
}

/** A path (already split at `/`) matched to a rule, with its raw converter texts in rule order. */
export interface MachineMatch<R> {
  rule: R;
  texts: string[];
}

/** The walk found a branch rule for the path plus `/`: werkzeug's `SlashRequired`. */
export const SLASH_REQUIRED = "slash-required";

export interface StateMachine<R> {
  /** Collects into `allowed` the methods of rules whose path matched but method did not. */
  match(segments: string[], method: string, allowed: Set<string>): MachineMatch<R> | typeof SLASH_REQUIRED | undefined;
}

const newState = <R>(): State<R> => ({ rules: [], static: new Map(), dynamic: [] });

/** Per-match scratch: the method, the raw converter texts so far, and the 405 methods seen. */
interface Walk {
  method: string;
  texts: string[];
  allowed: Set<string>;
  slashRequired: boolean;
}

function walk<R extends MachineRule>(state: State<R>, parts: string[], index: number, scratch: Walk): R | undefined {
  if (index === parts.length) {
    for (const rule of state.rules) {
      if (rule.methods.has(scratch.method)) return rule;
      for (const method of rule.methods) scratch.allowed.add(method);
    }
    const branch = state.static.get("");
    if (branch !== undefined && branch.rules.some((rule) => rule.methods.has(scratch.method))) scratch.slashRequired = true;
    return undefined;
  }
  const segment = parts[index] as string;
  const next = state.static.get(segment);
  if (next !== undefined) {
    const found = walk(next, parts, index + 1, scratch);
    if (found !== undefined || scratch.slashRequired) return found;
  }
  const { texts } = scratch;
  for (const { part, state: target } of state.dynamic) {
    const m = part.regex.exec(part.isFinal ? parts.slice(index).join("/") : segment);
    if (m === null) continue;
    const mark = texts.length;
    for (const group of part.groupOrder) texts.push(m[group + 1] as string);
    // A suffixed part that matched its optional trailing slash leaves one empty segment to match.
    const found =
      part.isSuffixed && m[m.length - 1] === "/"
        ? walk(target, [""], 0, scratch)
        : walk(target, parts, part.isFinal ? parts.length : index + 1, scratch);
    if (found !== undefined || scratch.slashRequired) return found;
    texts.length = mark;
  }
  return undefined;
}

/** Builds the machine from rules in declaration order. */
export function createStateMachine<R extends MachineRule>(entries: Array<{ parts: RulePart[]; rule: R }>): StateMachine<R> {
  const root = newState<R>();
  for (const { parts, rule } of entries) {
    let state = root;
    for (const part of parts) {
      if (part.isStatic) {
        let next = state.static.get(part.text);
        if (next === undefined) state.static.set(part.text, (next = newState()));
        state = next;
      } else {
        let edge = state.dynamic.find((candidate) => candidate.part.key === part.key);
        if (edge === undefined) state.dynamic.push((edge = { part, state: newState() }));
        state = edge.state;
      }
    }
    state.rules.push(rule);
  }
  const sortState = (state: State<R>): void => {
    state.dynamic.sort((a, b) => compareWeights(a.part.weight, b.part.weight));
    for (const next of state.static.values()) sortState(next);
    for (const edge of state.dynamic) sortState(edge.state);
  };
  sortState(root);

  return {
    match(segments, method, allowed) {
      const scratch: Walk = { method, texts: [], allowed, slashRequired: false };
      const rule = walk(root, segments, 0, scratch);
      if (scratch.slashRequired) return SLASH_REQUIRED;
      return rule === undefined ? undefined : { rule, texts: scratch.texts };
    },
  };
}

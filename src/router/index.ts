/**
 * The router: werkzeug URL rules parsed, checked and matched in pure TypeScript, exactly as Dify's
 * plugin SDK matches an endpoint request. Used by the manifest linter (`parseRule`) and the dev
 * server (`createRouter`, `describeMiss`).
 */

export { parseRule, type ParsedRule, type RuleIssue, type RuleSyntaxError, type RuleVariable } from "./parse-rule.js";
export { createRouter, type MatchResult, type RejectedRule, type RouteMiss, type RouteRule, type Router } from "./match.js";
export { describeMiss, type DescribeMissOptions } from "./describe-miss.js";
export { CONVERTER_NAMES, type Converter, type RouteValue } from "./converters.js";

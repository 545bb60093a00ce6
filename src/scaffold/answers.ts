/**
 * What `init` needs to know to create a plugin or an endpoint: the answers, collected from flags
 * and prompts by `questions.ts`, checked by `names.ts`, and turned into files by `plan.ts`.
 */
import type { HttpMethod } from "../manifest/patterns.js";

export const LANGUAGES = ["python", "typescript"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Setting types `init` can write without more questions (`select` also needs its options). */
export const INIT_SETTING_TYPES = ["secret-input", "text-input", "boolean", "app-selector", "model-selector", "array[tools]"] as const;
export type InitSettingType = (typeof INIT_SETTING_TYPES)[number];

export interface SettingAnswer {
  name: string;
  type: InitSettingType;
  required: boolean;
}

export interface EndpointAnswers {
  name: string;
  /** A werkzeug rule, already checked. */
  path: string;
  method: HttpMethod;
}

export interface PluginAnswers {
  name: string;
  author: string;
  description: string;
  language: Language;
  endpoint: EndpointAnswers;
  settings: SettingAnswer[];
  /** RFC 3339, written into the manifest as a quoted string. */
  createdAt: string;
}

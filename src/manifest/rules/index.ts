/**
 * Every rule, in the order they run. `validate --list-rules` prints this list.
 */
import type { Rule } from "../rule.js";
import { yamlSyntax } from "./yaml-syntax.js";
import { yamlStructure } from "./yaml-structure.js";
import { yamlUnsafe } from "./yaml-unsafe.js";
import { unsafePath } from "./unsafe-path.js";
import { fileReference } from "./file-reference.js";
import { endpointDuplicate } from "./endpoint-duplicate.js";
import { endpointHidden } from "./endpoint-hidden.js";
import { endpointMethod } from "./endpoint-method.js";
import { endpointPath } from "./endpoint-path.js";
import { endpointSource } from "./endpoint-source.js";
import { groupCount } from "./group-count.js";
import { groupEndpoints } from "./group-endpoints.js";
import { groupSettings } from "./group-settings.js";
import { i18n } from "./i18n.js";
import { manifestCreatedAt } from "./manifest-created-at.js";
import { manifestIcon } from "./manifest-icon.js";
import { manifestMeta } from "./manifest-meta.js";
import { manifestName } from "./manifest-name.js";
import { manifestPermission } from "./manifest-permission.js";
import { manifestPlugins } from "./manifest-plugins.js";
import { manifestRequired } from "./manifest-required.js";
import { manifestResource } from "./manifest-resource.js";
import { manifestRunner } from "./manifest-runner.js";
import { manifestTags } from "./manifest-tags.js";
import { manifestType } from "./manifest-type.js";
import { manifestVersion } from "./manifest-version.js";
import { settingDefault } from "./setting-default.js";
import { settingFields } from "./setting-fields.js";
import { settingName } from "./setting-name.js";
import { settingOptions } from "./setting-options.js";
import { settingScope } from "./setting-scope.js";
import { settingSecret } from "./setting-secret.js";
import { settingType } from "./setting-type.js";
import { sourcePython } from "./source-python.js";
import { sourceTypescript } from "./source-typescript.js";
import { targetDify } from "./target-dify.js";
import { unknownKey } from "./unknown-key.js";

export const RULES: readonly Rule[] = [
  yamlSyntax,
  yamlStructure,
  yamlUnsafe,
  unsafePath,
  fileReference,
  endpointDuplicate,
  endpointHidden,
  endpointMethod,
  endpointPath,
  endpointSource,
  groupCount,
  groupEndpoints,
  groupSettings,
  i18n,
  manifestCreatedAt,
  manifestIcon,
  manifestMeta,
  manifestName,
  manifestPermission,
  manifestPlugins,
  manifestRequired,
  manifestResource,
  manifestRunner,
  manifestTags,
  manifestType,
  manifestVersion,
  settingDefault,
  settingFields,
  settingName,
  settingOptions,
  settingScope,
  settingSecret,
  settingType,
  sourcePython,
  sourceTypescript,
  targetDify,
  unknownKey,
];

/** The Python runtime's public surface. */
export { createPythonRuntime } from "./python-runtime.js";
export type { PythonRuntimeOptions } from "./python-runtime.js";
export { choosePython } from "./interpreter.js";

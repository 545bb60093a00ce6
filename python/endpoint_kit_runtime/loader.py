"""Imports a plugin's endpoint sources the way Dify does, and reports each one's outcome.

A source ``endpoints/duck.py`` is imported as the module ``endpoints.duck`` with the plugin root
first on ``sys.path``. Plugin files are always compiled from source (no ``__pycache__`` is read or
written): a timestamp-checked .pyc can be stale after two same-size saves within one second.
Each source must declare exactly one ``Endpoint`` subclass; a source that fails does not stop
the others.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import inspect
import os
import sys
import threading
import traceback
import types
from typing import Any, Dict, List, Optional, Set

_SKIPPED_DIRS = {".venv", "venv", ".endpoint-kit", "site-packages", "dist-packages", "node_modules", ".git"}


class _PluginSourceLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname: str) -> Any:  # type: ignore[override]
        source = self.get_data(self.path)
        return compile(source, self.path, "exec", dont_inherit=True)


class PluginFinder(importlib.abc.MetaPathFinder):
    """Finds modules under the plugin root, loads them without bytecode caches and records them."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self._local = threading.local()

    def owns(self, filename: Optional[str]) -> bool:
        # Not a path ("<frozen importlib._bootstrap>", "<string>"): resolving it against the working
        # directory, which is the plugin root, would wrongly make it a plugin file.
        if not filename or not os.path.isabs(filename):
            return False
        path = os.path.realpath(filename)
        if not path.startswith(self.root + os.sep):
            return False
        parts = os.path.relpath(path, self.root).split(os.sep)
        return not any(part in _SKIPPED_DIRS for part in parts[:-1])

    def relative(self, filename: str) -> str:
        path = os.path.realpath(filename)
        if path.startswith(self.root + os.sep):
            return os.path.relpath(path, self.root).replace(os.sep, "/")
        return filename

    def start_recording(self) -> Set[str]:
        self._local.recorded = set()
        return self._local.recorded

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not self.owns(spec.origin) or not str(spec.origin).endswith(".py"):
            return spec
        recorded = getattr(self._local, "recorded", None)
        if recorded is not None:
            recorded.add(self.relative(str(spec.origin)))
        spec.loader = _PluginSourceLoader(fullname, str(spec.origin))
        spec.cached = None
        return spec


def module_name_for(source: str) -> str:
    """``endpoints/duck.py`` -> ``endpoints.duck`` (as Dify names it)."""
    stem = source[:-3] if source.endswith(".py") else source
    return ".".join(part for part in stem.replace("\\", "/").split("/") if part)


def _position(error: BaseException, finder: PluginFinder) -> Dict[str, Any]:
    if isinstance(error, SyntaxError) and error.filename:
        place: Dict[str, Any] = {"file": finder.relative(error.filename)}
        if error.lineno:
            place["line"] = error.lineno
        if error.offset:
            place["column"] = error.offset
        return place
    frames = traceback.extract_tb(error.__traceback__)
    own = [frame for frame in frames if finder.owns(frame.filename)]
    frame = own[-1] if own else (frames[-1] if frames else None)
    if frame is None or not os.path.isabs(frame.filename):
        return {}
    return {"file": finder.relative(frame.filename), "line": frame.lineno}


def _plugin_traceback(error: BaseException, finder: PluginFinder) -> str:
    """The traceback from the plugin's first frame on, without importlib's machinery.

    A SyntaxError raised while compiling has no plugin frame: it is shown alone (its text already
    names the file and line)."""
    report = traceback.TracebackException(type(error), error, error.__traceback__)
    frames = list(report.stack)
    first = next((i for i, frame in enumerate(frames) if finder.owns(frame.filename)), len(frames))
    kept = [frame for frame in frames[first:] if not frame.filename.startswith("<frozen importlib")]
    report.stack = traceback.StackSummary.from_list(kept)
    return "".join(report.format())


def _message(error: BaseException) -> str:
    text = "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()
    message = text[-1] if text else type(error).__name__
    if isinstance(error, ModuleNotFoundError) and error.name and "." not in error.name:
        message += " (is it installed for " + sys.executable + "?)"
    return message


def _plugin_inputs(module: types.ModuleType, finder: PluginFinder) -> Set[str]:
    """Plugin files a module depends on: itself, and, transitively, plugin modules it refers to."""
    seen: Set[str] = set()
    files: Set[str] = set()
    stack = [module]
    while stack:
        mod = stack.pop()
        if mod.__name__ in seen:
            continue
        seen.add(mod.__name__)
        filename = getattr(mod, "__file__", None)
        if not finder.owns(filename):
            continue
        files.add(finder.relative(str(filename)))
        for value in list(vars(mod).values()):
            target = value if isinstance(value, types.ModuleType) else sys.modules.get(getattr(value, "__module__", "") or "")
            if isinstance(target, types.ModuleType) and target.__name__ not in seen:
                stack.append(target)
    return files


def _find_endpoint_class(module: types.ModuleType, base: type) -> type:
    found = [v for v in vars(module).values() if inspect.isclass(v) and issubclass(v, base) and v is not base]
    own = [cls for cls in found if cls.__module__ == module.__name__]
    candidates = own or found
    if not candidates:
        raise LookupError("declares no subclass of Endpoint")
    if len(candidates) > 1:
        names = ", ".join(sorted(cls.__name__ for cls in candidates))
        raise LookupError("declares more than one subclass of Endpoint (" + names + "): keep exactly one")
    return candidates[0]


def load_source(source: str, finder: PluginFinder, base: type) -> Dict[str, Any]:
    """Imports one source; returns its result and, on success, the Endpoint class under ``cls``."""
    recorded = finder.start_recording()
    path = os.path.join(finder.root, source)
    result: Dict[str, Any] = {"source": source, "ok": False, "inputs": [source]}
    try:
        module = importlib.import_module(module_name_for(source))
        if not finder.owns(getattr(module, "__file__", None)) or os.path.realpath(str(module.__file__)) != os.path.realpath(path):
            raise ImportError("module " + module.__name__ + " resolves to " + str(module.__file__) + ", not " + source)
        try:
            cls = _find_endpoint_class(module, base)
        except LookupError as error:
            result["error"] = {"message": source + " " + str(error), "file": source}
            result["inputs"] = sorted(recorded | {source})
            return result
        if inspect.isabstract(cls):
            line = inspect.getsourcelines(cls)[1] if finder.owns(inspect.getsourcefile(cls)) else None
            result["error"] = {"message": cls.__name__ + " does not implement _invoke", "file": source}
            if line:
                result["error"]["line"] = line
            return result
        result["ok"] = True
        result["inputs"] = sorted(_plugin_inputs(module, finder) | recorded | {source})
        result["cls"] = cls
        return result
    except BaseException as error:  # noqa: BLE001 - user code may raise anything, SystemExit included
        if isinstance(error, KeyboardInterrupt):
            raise
        place = _position(error, finder)
        result["error"] = dict(place, message=_message(error), stack=_plugin_traceback(error, finder))
        inputs = recorded | {source}
        if "file" in place and not os.path.isabs(place["file"]):
            inputs.add(place["file"])
        result["inputs"] = sorted(inputs)
        return result
    finally:
        finder._local.recorded = None


def install_finder(root: str) -> PluginFinder:
    """Puts ``root`` first on ``sys.path`` and plugin-file loading in front (once per worker)."""
    root = os.path.realpath(root)
    if sys.path[:1] != [root]:
        sys.path.insert(0, root)
    finder = PluginFinder(root)
    sys.meta_path.insert(0, finder)
    importlib.invalidate_caches()
    return finder

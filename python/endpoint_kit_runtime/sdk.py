"""Which ``dify_plugin`` the plugin gets: the real SDK when it can be imported, else the bundled stand-in.

The real SDK's ``__init__`` calls gevent's ``monkey.patch_all``, which would turn this worker's
threads into greenlets and make its blocking pipe reads stall every request. Endpoint code does not
need the patching (it is how Dify's own runtime schedules work), so it is skipped while the SDK is
imported here.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback
from typing import Dict, Tuple

STUB_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sdk_stub")


def _import_real_sdk() -> None:
    restore = None
    try:
        import gevent.monkey  # type: ignore

        original = gevent.monkey.patch_all
        gevent.monkey.patch_all = lambda *args, **kwargs: None

        def restore() -> None:
            gevent.monkey.patch_all = original

    except Exception:  # noqa: BLE001 - no gevent: nothing to neutralise
        pass
    try:
        importlib.import_module("dify_plugin")
        importlib.import_module("dify_plugin.interfaces.endpoint")
    finally:
        if restore is not None:
            restore()


def _sdk_version() -> str:
    try:
        from importlib.metadata import version

        return version("dify_plugin")
    except Exception:  # noqa: BLE001 - an unpackaged copy has no metadata
        return ""


def _forget_sdk_modules() -> None:
    for name in [name for name in sys.modules if name == "dify_plugin" or name.startswith("dify_plugin.")]:
        del sys.modules[name]


def select_sdk() -> Tuple[Dict[str, str], type]:
    """Returns what the plugin runs on (plain facts for the banner) and the Endpoint base class.

    Facts: ``sdk`` is "real" or "stub"; ``sdkVersion`` the real SDK's version; ``sdkError`` why an
    installed SDK could not be imported (reported once by the dev server, not printed here, since
    every worker of a session would print it again).
    """
    facts: Dict[str, str] = {"sdk": "stub", "sdkVersion": "", "sdkError": ""}
    if importlib.util.find_spec("dify_plugin") is not None:
        try:
            _import_real_sdk()
            from dify_plugin.interfaces.endpoint import Endpoint  # type: ignore

            facts.update(sdk="real", sdkVersion=_sdk_version())
            return facts, Endpoint
        except Exception as error:  # noqa: BLE001 - a broken install falls back to the stand-in
            facts["sdkVersion"] = _sdk_version()
            facts["sdkError"] = (type(error).__name__ + ": " + str(error)).strip() + "\n" + traceback.format_exc()
            _forget_sdk_modules()
            # First on the path: the broken package must not be found again when the plugin imports it.
            sys.path.insert(0, STUB_DIR)
            importlib.invalidate_caches()
            from dify_plugin.interfaces.endpoint import Endpoint  # type: ignore

            return facts, Endpoint
    # Last on sys.path: a dify_plugin installed later in a plugin's own folder still wins.
    sys.path.append(STUB_DIR)
    importlib.invalidate_caches()
    from dify_plugin.interfaces.endpoint import Endpoint  # type: ignore

    return facts, Endpoint

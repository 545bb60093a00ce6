"""Entry point of the Python worker that the endpoint-kit dev server starts (see endpoint_kit_runtime/framing.py)."""

import os
import sys

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    # The plugin root goes first on sys.path later; this folder must not shadow the plugin's modules.
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != here] + [here]
    from endpoint_kit_runtime.main import main

    main()

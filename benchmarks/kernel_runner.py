"""Run a benchmark's `measure` in a fresh IPython kernel, as a notebook would run it.

Shared by bench_widgets.py and bench_playground.py: their numbers must come from a real kernel
(display(), the kernel's event loop), not from the process that prints the table.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def run_in_kernel(module, call, timeout=1800):
    """Import benchmarks/`module` in a fresh python3 kernel, evaluate `call` there (an expression
    such as ``"measure(60)"`` whose value is JSON-serialisable) and return that value.

    Raises RuntimeError with the kernel's traceback if anything fails or writes to stderr.
    """
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT))
    out = []

    def hook(msg):
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content["name"] == "stdout":
            out.append(content["text"])
        elif kind == "error" or kind == "stream":
            raise RuntimeError("the kernel failed:\n" + "\n".join(
                content.get("traceback", [content.get("text", "")])))

    try:
        code = (f"import sys, json; sys.path[:0] = [{str(HERE)!r}, {str(ROOT)!r}]\n"
                f"import {module}\nprint(json.dumps({module}.{call}))")
        reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kernel failed: {reply['content']}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return json.loads("".join(out))

"""How long a slider move takes to redraw, in the kernel: a table of medians.

    .venv/bin/python benchmarks/bench_widgets.py [--repeats N]

A slider move runs the widget's callback (new line data, rescaled axes) and renders the figure
to the PNG that the notebook shows. Outside a notebook the callback does not display, so here we
render the PNG exactly as the notebook's display does (activations_helpers._png, the PNG
formatter that set_theme() installs).
The peer is redrawing the whole seaborn figure from scratch (plot_activation + PNG), which is
what a naive callback does. The target is 50 ms per move.
"""

import argparse
import contextlib
import io
import platform
import statistics
import time

import matplotlib
import numpy as np

import activations_helpers as ah
from activations_helpers import _png as png_bytes

TARGET_MS = 50.0


def png(fig):
    return png_bytes(fig)  # exactly what a notebook's display does after set_theme()


def time_moves(widget, slider, values, repeats):
    """Median ms of (set the slider value -> callback -> PNG) over `repeats` moves."""
    times = []
    for i in range(repeats):
        # outside a kernel, the widget's clear_output() writes terminal escape codes: hide them
        with contextlib.redirect_stdout(io.StringIO()):
            start = time.perf_counter()
            slider.value = values[i % len(values)]
            png(widget.figure)
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def time_from_scratch(fn, repeats):
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        png(ah.plot_activation(fn, np.linspace(-5 + 0.1 * (i % 3), 5, 401)))
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    ah.set_theme()
    print(f"Python {platform.python_version()}, matplotlib {matplotlib.__version__}, "
          f"backend {matplotlib.get_backend()}, {args.repeats} moves per row, medians\n")

    cases = []
    for fn in [ah.linear, ah.binary_step, ah.sigmoid, ah.tanh, ah.relu, ah.leaky_relu, ah.prelu]:
        cases.append((fn.__name__, lambda fn=fn: ah.interactive_activation(fn), fn))
    cases.append(("softmax", ah.interactive_softmax, None))

    header = f"{'widget':<13}{'slider':<13}{'move+PNG ms':>12}{'scratch ms':>12}{'ratio':>8}  target"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, make, fn in cases:
        widget = make()
        png(widget.figure)  # warm up
        scratch = time_from_scratch(fn, max(5, args.repeats // 3)) if fn else float("nan")
        for slider in widget.children[:-1]:
            if isinstance(slider.value, tuple):
                lo, hi = slider.value
                values = [(lo + d, hi) for d in (slider.step, 2 * slider.step, 0)]
            else:
                values = [slider.value + d * slider.step for d in (1, 2, 0)]
            ms = time_moves(widget, slider, values, args.repeats)
            worst = max(worst, ms)
            ratio = scratch / ms if fn else float("nan")
            print(f"{name:<13}{slider.description:<13}{ms:>12.1f}{scratch:>12.1f}{ratio:>8.1f}  "
                  f"{'ok' if ms <= TARGET_MS else 'MISSED'}")
    print(f"\nslowest slider move: {worst:.1f} ms (target {TARGET_MS:.0f} ms): "
          f"{'met' if worst <= TARGET_MS else 'MISSED'}")
    print("ratio = redrawing from scratch / moving the slider (higher: the slider path is faster)")


if __name__ == "__main__":
    main()

"""How long a slider move takes to redraw, in a real kernel: a table of medians.

    .venv/bin/python benchmarks/bench_widgets.py [--moves N] [--here]

Every slider widget of activations_helpers is built in a fresh IPython kernel, as in a notebook,
and each of its sliders is dragged across its range one step at a time, as a mouse drag does.
A move runs the widget's callback: new line data, axes refitted, the PNG rendered and sent to
the front end with display(). Each move is timed with time.perf_counter inside the kernel.

Peers:
- full redraw: the same drag of the same widget, drawing the whole figure on every move
  (canvas.draw, then the same PNG encoder), which is what the widget did before it cached layers;
- from scratch: build a new seaborn figure (plot_activation) and render it to PNG, which is what
  a naive callback does.
The target is 50 ms per move. --here measures in this process instead (no display).
"""

import argparse
import contextlib
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from kernel_runner import run_in_kernel  # benchmarks/kernel_runner.py, beside this script

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_MS = 50.0


def drag_values(slider, moves):
    """The values a drag across `slider` goes through, one step per move, there and back."""
    if isinstance(slider.value, tuple):  # the range slider: drag its lower handle
        lo, hi = slider.value
        path = [slider.min + i * slider.step for i in range(int(round((hi - slider.min) / slider.step)))]
        path = [v for v in path if v < hi - slider.step]
        path = [(v, hi) for v in path + path[::-1]]
    else:
        n = int(round((slider.max - slider.min) / slider.step))
        path = [slider.min + i * slider.step for i in range(n + 1)]
        path = path + path[::-1]
    return [path[i % len(path)] for i in range(moves)]


def drag(slider, values, layers, in_ipython):
    """Move `slider` through `values`; the time of each move in ms, and how many moves
    changed an axis (and so redrew the ticks and tick labels of the panels concerned)."""
    slider.value = values[0]
    times, full = [], 0
    with contextlib.redirect_stdout(io.StringIO()):  # outside a kernel: escape codes
        for value in values[1:]:
            key = layers.key
            start = time.perf_counter()
            slider.value = value
            if not in_ipython:  # in a kernel the move itself renders and displays
                layers.png()
            times.append((time.perf_counter() - start) * 1e3)
            full += layers.key != key
    return times, full


def measure(moves):
    """One row per (widget, slider): times in ms of every move and of the peers."""
    import numpy as np
    from IPython import get_ipython

    import activations_helpers as ah
    from teaching import plotting, rendering, sliders

    plotting.set_theme()
    in_ipython = get_ipython() is not None
    cases = [(fn.__name__, lambda fn=fn: sliders.interactive_activation(fn), fn) for fn in
             [ah.linear, ah.binary_step, ah.sigmoid, ah.tanh, ah.relu, ah.leaky_relu, ah.prelu]]
    cases.append(("softmax", sliders.interactive_softmax, None))
    rows = []
    for name, make, fn in cases:
        widget = make()
        layers = widget.render.__self__
        canvas = plotting._agg_canvas(widget.figure)

        def whole_figure():  # the peer: draw everything on every move, same PNG encoder
            canvas.draw()
            return rendering.encode_frame(canvas.buffer_rgba())

        for slider in widget.kwargs_widgets:
            values = drag_values(slider, moves)
            times, full = drag(slider, values, layers, in_ipython)
            layers.png = whole_figure  # the same drag again, drawn the naive way
            redraw, _ = drag(slider, values, layers, in_ipython)
            del layers.png
            scratch = []
            for i in range(max(5, moves // 8) if fn else 0):
                start = time.perf_counter()
                plotting._png(plotting.plot_activation(fn, np.linspace(-5 + 0.5 * (i % 3), 5, 401)))
                scratch.append((time.perf_counter() - start) * 1e3)
            rows.append({"widget": name, "slider": slider.description, "times": times,
                         "full": full, "redraw": redraw, "scratch": scratch})
    return rows


def in_kernel(moves):
    """Run `measure` in a fresh IPython kernel from this environment; return its rows."""
    return run_in_kernel("bench_widgets", f"measure({moves})")


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=60, help="moves per slider (default 60)")
    parser.add_argument("--here", action="store_true", help="measure in this process")
    args = parser.parse_args()
    import matplotlib

    rows = measure(args.moves) if args.here else in_kernel(args.moves)
    print(f"Python {platform.python_version()}, matplotlib {matplotlib.__version__}, "
          f"{os.cpu_count()} cores, {'this process' if args.here else 'an IPython kernel'}, "
          f"{args.moves} moves per slider (a drag, one step per move)\n")
    header = (f"{'widget':<12}{'slider':<13}{'median':>7}{'p90':>7}{'max':>7}{'axes%':>7}"
              f"{'redraw':>8}{'scratch':>9}{'speed-up':>9}  target")
    print(header + "\n" + "-" * len(header))
    worst = 0.0
    for row in rows:
        med = statistics.median(row["times"])
        worst = max(worst, med)
        redraw = statistics.median(row["redraw"])
        scratch = statistics.median(row["scratch"]) if row["scratch"] else float("nan")
        print(f"{row['widget']:<12}{row['slider']:<13}{med:>7.1f}{percentile(row['times'], 90):>7.1f}"
              f"{max(row['times']):>7.1f}{100 * row['full'] / len(row['times']):>6.0f}%"
              f"{redraw:>8.1f}{scratch:>9.1f}{redraw / med:>8.1f}x  "
              f"{'ok' if med <= TARGET_MS else 'MISSED'}")
    print(f"\nslowest median move: {worst:.1f} ms (target {TARGET_MS:.0f} ms): "
          f"{'met' if worst <= TARGET_MS else 'MISSED'}")
    print("times in ms; axes% = moves that changed an axis, so that its panel's ticks were redrawn;\n"
          "redraw = the same drag, drawing the whole figure each move; scratch = a new seaborn figure;\n"
          "speed-up = median of redraw / median")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

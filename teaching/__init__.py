"""The teaching machinery beside `activations_helpers`: what draws, moves and checks.

`activations_helpers` holds the math a learner reads. This package holds everything else the
notebooks use, one module per job:

- `teaching.plotting` -- the one plotting style (`set_theme`, `plot_lines`, `plot_activation`,
  `plot_bars`, `plot_grid`) and `show_code`, which shows a helper's source;
- `teaching.sliders`  -- `interactive_plot`, `interactive_activation`, `interactive_softmax`:
  sliders whose plot follows them at once.
- `teaching.descriptions`, `teaching.rendering` -- every figure's description (its alt text),
  generated from its data, and the described PNG output every figure and slider shows.
- `teaching.exercises` -- exercises with automatic feedback, ``q1.check()``, ``q1.hint()``,
  ``q1.solution()``: the problem kinds in `teaching.exercises.core`, one question set per notebook.
- `teaching.network`, `teaching.datasets`, `teaching.playground` -- notebook 05's small NumPy
  network (backprop through the helpers' derivatives), its four datasets, and the playground
  widget (`interactive_playground`) with its pictures.

Notebooks import the math from `activations_helpers` and the pictures from here, e.g.
``from teaching import plot_activation, interactive_activation``.
"""

from teaching.plotting import (FIGSIZE, PALETTE, plot_activation, plot_bars, plot_grid,
                               plot_lines, set_theme, show_code)
from teaching.sliders import (PARAMETER_SLIDERS, interactive_activation, interactive_plot,
                              interactive_softmax)

__all__ = ["FIGSIZE", "PALETTE", "set_theme", "plot_lines", "plot_activation", "plot_bars",
           "plot_grid", "show_code", "PARAMETER_SLIDERS", "interactive_plot",
           "interactive_activation", "interactive_softmax"]

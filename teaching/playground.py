"""The playground: train a small network with any activation and watch what it learns.

After TensorFlow Playground (github.com/tensorflow/playground): pick the data, the activation,
the layers and the learning rate, press Train, and see the decision boundary, the loss curves
and what every hidden unit computes. The network is `teaching.network.MLP` (NumPy, backprop
through `activations_helpers`' derivatives), the data `teaching.datasets`.

`interactive_playground` is the widget; `plot_decision_boundary`, `plot_boundaries`,
`plot_datasets`, `plot_unit_pictures` and `plot_loss_curves` draw the same pictures once, for a
notebook's static cells. Like every slider of the project, the widget prints nothing: it shows
PNG images in an ``Output`` widget, so strict nbval sees the same outputs with or without a
browser (the pattern of `teaching.sliders`).
"""

import ipywidgets as widgets
import numpy as np
import seaborn as sns
from matplotlib.collections import PatchCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from teaching.datasets import DATASETS, make_dataset
from teaching.network import MLP, trainable_activations
from teaching.descriptions import number, set_description
from teaching.plotting import PALETTE, _draw_lines, _figure, plot_lines
from teaching.rendering import DPI, Blitted, image_bundle

__all__ = ["interactive_playground", "Playground", "train_network", "plot_decision_boundary",
           "plot_boundaries", "plot_datasets", "plot_unit_pictures", "plot_loss_curves",
           "boundary_image", "unit_images", "unit_mosaic", "LIMIT", "LEARNING_RATES",
           "BATCH_SIZES", "DEFAULTS"]

LIMIT = 1.35          # the pictures show [-LIMIT, LIMIT]^2: every point of every dataset
RESOLUTION = 80       # the boundary heat map's pixels per side (the Playground uses 100)
UNIT_RESOLUTION = 64  # pixels per side of each hidden unit's picture (shown at 0.8 in)
MAX_UNIT_PICTURES = 32  # draw the units' pictures only for networks this small

LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)  # the Playground's choices
BATCH_SIZES = (4, 8, 16, 32, 64, 128, 200)
DEFAULTS = {"dataset": "spiral", "activation": "tanh", "hidden_layers": 2, "units": 8,
            "learning_rate": 0.3, "batch_size": 32, "noise": 0.05, "epochs": 1000, "seed": 0}


def train_network(data, activation="tanh", hidden=(8, 8), *, learning_rate=0.3, batch_size=32,
                  epochs=1000, l2=0.0, seed=0, callback=None, callback_every=1,
                  **activation_params):
    """Train a fresh `MLP` on a `Dataset` and return it (its ``history`` holds the losses).

    Parameters
    ----------
    data : Dataset
        From `teaching.datasets.make_dataset`.
    activation : str
        A name from `teaching.network.trainable_activations`.
    hidden : sequence of int
        Units per hidden layer.
    learning_rate, batch_size, epochs, l2, seed
        See `MLP` and `MLP.fit`. The same seed gives the same network, bit for bit.
    callback, callback_every
        Passed to `MLP.fit` (e.g. to move a progress bar).
    **activation_params
        Fixed parameters of the activation, e.g. ``alpha=0.25``.

    Returns
    -------
    MLP

    Examples
    --------
    >>> from teaching.datasets import make_dataset
    >>> net = train_network(make_dataset("gaussians", 100), "relu", (4,), epochs=20)
    >>> len(net.history["train_loss"]), len(net.history["test_loss"])
    (20, 20)
    """
    net = MLP(2, tuple(hidden), activation, l2=l2, seed=seed, **activation_params)
    net.fit(data.X_train, data.y_train, epochs=epochs, learning_rate=learning_rate,
            batch_size=batch_size, X_test=data.X_test, y_test=data.y_test, callback=callback,
            callback_every=callback_every)
    return net


# ------------------------------------------------------------------------------------------
# pictures
# ------------------------------------------------------------------------------------------

def _grid(resolution):
    """The (resolution^2, 2) points of a square grid over [-LIMIT, LIMIT]^2, row by row from
    the bottom (the order `imshow(origin="lower")` expects)."""
    ticks = np.linspace(-LIMIT, LIMIT, resolution)
    xx, yy = np.meshgrid(ticks, ticks)
    return np.column_stack([xx.ravel(), yy.ravel()])


_GRID = {}


def _cached_grid(resolution):
    if resolution not in _GRID:
        _GRID[resolution] = _grid(resolution)
    return _GRID[resolution]


def _colours():
    """(class 0, class 1) colours: the palette's orange and blue, as in the Playground."""
    palette = sns.color_palette(PALETTE)
    return palette[1], palette[0]


def _lighter(colour, amount=0.45):
    """`colour` mixed with white (amount 0: unchanged, 1: white)."""
    return tuple(c + (1 - c) * amount for c in colour)


SHADES = 21  # colours of the maps: bands about 0.05 wide, the middle one (around 0.5) white


def _boundary_cmap():
    """P(class 1) from 0 to 1 as light orange -> white -> light blue, in `SHADES` bands: the
    boundary (P = 0.5) is where the white bands meet, and the points (full colours) stand out
    on either side. Bands, like the Playground's shading, also make a PNG several times smaller
    (and quicker to encode) than a smooth gradient."""
    zero, one = _colours()
    colours = sns.blend_palette([_lighter(zero), "white", _lighter(one)], n_colors=SHADES)
    return ListedColormap(colours)


def _unit_cmap():
    """A unit's lowest value -> highest as orange -> white -> blue, in `SHADES` bands."""
    zero, one = _colours()
    return ListedColormap(sns.blend_palette([zero, "white", one], n_colors=SHADES))


def boundary_image(net, resolution=RESOLUTION):
    """P(class 1) on a square grid over [-LIMIT, LIMIT]^2, shape (resolution, resolution)."""
    points = _cached_grid(resolution)
    return net.predict_proba(points).reshape(resolution, resolution)


def unit_images(net, resolution=UNIT_RESOLUTION):
    """Each hidden unit's output over the grid: a list per layer of (units, res, res) arrays."""
    layers = net.hidden_activations(_cached_grid(resolution))
    return [a.T.reshape(-1, resolution, resolution) for a in layers]


def _draw_boundary(ax, net, data, title=None, show_test=True):
    """Heat map of P(class 1), training points (filled) and test points (white edge) on `ax`;
    returns (image, train scatter, test scatter)."""
    image = ax.imshow(boundary_image(net), origin="lower", extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
                      cmap=_boundary_cmap(), vmin=0.0, vmax=1.0, interpolation="bilinear",
                      aspect="equal")
    cmap = _point_colours(data.y_train)
    train = ax.scatter(data.X_train[:, 0], data.X_train[:, 1], c=cmap, s=12, linewidths=0.4,
                       edgecolors="0.15", zorder=3)
    test = ax.scatter(data.X_test[:, 0], data.X_test[:, 1], c=_point_colours(data.y_test), s=12,
                      linewidths=0.6, edgecolors="white", zorder=3, visible=show_test)
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-LIMIT, LIMIT)
    ax.grid(False)
    ax.set_title(title or "", y=1.0)
    return image, train, test


def _point_colours(y):
    zero, one = _colours()
    return np.where(np.asarray(y)[:, None] == 1, np.array(one), np.array(zero))


def _accuracy_title(net, data):
    return (f"{net.activation}: train {net.accuracy(data.X_train, data.y_train):.0%}, "
            f"test {net.accuracy(data.X_test, data.y_test):.0%}")


_REGIONS = {(False, False): "lower left", (True, False): "lower right",
            (False, True): "upper left", (True, True): "upper right"}


def describe_boundary(net, data):
    """A description of `plot_decision_boundary`'s picture, from the network and the data:
    the accuracies, how much of the plane each class gets, and where the misclassified test
    points lie (by quadrant of the plane).

    Returns
    -------
    str
    """
    share = float(np.mean(boundary_image(net) >= 0.5))
    wrong = net.predict(data.X_test) != data.y_test
    counts = {}
    for x1, x2 in data.X_test[wrong]:
        region = _REGIONS[(bool(x1 >= 0), bool(x2 >= 0))]
        counts[region] = counts.get(region, 0) + 1
    where = ", ".join(f"{n} in the {region}" for region, n in
                      sorted(counts.items(), key=lambda item: -item[1]))
    mistakes = (f"{int(wrong.sum())} of {len(wrong)} test points misclassified ({where})"
                if wrong.any() else f"all {len(wrong)} test points classified correctly")
    return (f"Decision boundary of a {net.activation} network on the {data.name} data, "
            f"x1 and x2 from {number(-LIMIT)} to {number(LIMIT)}: train accuracy "
            f"{net.accuracy(data.X_train, data.y_train):.0%}, test accuracy "
            f"{net.accuracy(data.X_test, data.y_test):.0%}; the network predicts class 1 (blue) "
            f"on {share:.0%} of the plane and class 0 (orange) on {1 - share:.0%}; {mistakes}.")


def describe_losses(history):
    """A description of the loss curves of `MLP.history`: start, end, lowest, and the epoch
    from which the training loss stays within 10% of its final value (where it flattens)."""
    parts = []
    for key, name in (("train_loss", "training loss"), ("test_loss", "test loss")):
        losses = np.asarray(history.get(key) or [], dtype=float)
        if losses.size == 0:
            continue
        if not np.all(np.isfinite(losses)):
            parts.append(f"{name} diverges (not finite from epoch "
                         f"{int(np.argmin(np.isfinite(losses))) + 1})")
            continue
        text = (f"{name} goes from {number(losses[0])} at epoch 1 to {number(losses[-1])} at "
                f"epoch {losses.size}, lowest {number(losses.min())} at epoch "
                f"{int(np.argmin(losses)) + 1}")
        if key == "train_loss":
            far = np.abs(losses - losses[-1]) > 0.1 * abs(losses[-1])
            flat = int(np.flatnonzero(far)[-1]) + 2 if far.any() else 1
            text += f", within 10% of its final value from epoch {min(flat, losses.size)}"
        parts.append(text)
    return ("Line plot of the cross-entropy loss per epoch: " + "; ".join(parts) + "."
            if parts else "Loss curves: no epoch trained yet.")


def describe_units(net, resolution=UNIT_RESOLUTION):
    """A description of `plot_unit_pictures`' picture: per hidden layer, how many units, how
    many are constant over the plane (dead), and each unit's range of outputs."""
    layers = unit_images(net, resolution)
    parts = []
    for i, pictures in enumerate(layers, start=1):
        low, high = pictures.min(axis=(1, 2)), pictures.max(axis=(1, 2))
        dead = int(np.sum(high - low <= 1e-9 * np.maximum(1.0, np.abs(low))))
        ranges = ", ".join(f"{number(a)} to {number(b)}" for a, b in zip(low, high))
        parts.append(f"layer {i}: {len(pictures)} units, {dead} constant over the plane; "
                     f"outputs range {ranges}")
    return (f"Pictures of what each hidden unit of a {net.activation} network outputs over the "
            f"plane (x1, x2 from {number(-LIMIT)} to {number(LIMIT)}), its lowest value orange "
            "and its highest blue. " + "; ".join(parts) + ".")


def plot_decision_boundary(net, data, *, title=None):
    """The network's decision boundary over the data, in the project's style.

    The background is P(class 1) (blue) against class 0 (orange); the boundary, P = 0.5, is
    the white band between them. Training points have a dark edge, test points a white one.

    Parameters
    ----------
    net : MLP
        A network with 2 inputs and 2 classes.
    data : Dataset
    title : str, optional
        Defaults to the activation and the train/test accuracy.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (ax,) = _figure(figsize=(4.6, 4.2), tick_axes="xy", nbins=4)
    _draw_boundary(ax, net, data, title=title or _accuracy_title(net, data))
    ax.set(xlabel="$x_1$", ylabel="$x_2$")
    return set_description(fig, describe_boundary(net, data))


def plot_boundaries(nets, data, *, ncols=4):
    """Small multiples: one decision boundary per network of ``{title: net}``, titled with
    its test accuracy, on the same data. Returns a matplotlib Figure."""
    n = len(nets)
    if n == 0:
        raise ValueError("plot_boundaries: nets must hold at least one network")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig = Figure(figsize=(2.5 * ncols + 0.3, 2.6 * nrows + 0.3), layout="constrained", dpi=DPI)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, (title, net) in zip(axes, nets.items()):
        acc = net.accuracy(data.X_test, data.y_test)
        _draw_boundary(ax, net, data, title=f"{title}: {acc:.0%}")
        ax.set(xticks=[], yticks=[])
    for ax in axes[n:]:
        ax.set_visible(False)
    return set_description(fig, f"{n} panels, one decision boundary per network. " + " ".join(
        f"Panel {i} ({title}): {describe_boundary(net, data)}"
        for i, (title, net) in enumerate(nets.items(), start=1)))


def plot_datasets(*, n=400, noise=0.05, seed=0):
    """The four datasets side by side (all points, coloured by class). Returns a Figure."""
    fig = Figure(figsize=(10.0, 2.9), layout="constrained", dpi=DPI)
    axes = fig.subplots(1, len(DATASETS))
    panels = []
    for ax, name in zip(axes, DATASETS):
        data = make_dataset(name, n, noise=noise, seed=seed)
        for X, y in ((data.X_train, data.y_train), (data.X_test, data.y_test)):
            ax.scatter(X[:, 0], X[:, 1], c=_point_colours(y), s=8, linewidths=0)
        ax.set(xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), xticks=[], yticks=[], aspect="equal",
               title=name)
        y = np.concatenate([data.y_train, data.y_test])
        panels.append(f"{name}: {y.size} points, {int(np.sum(y == 0))} of class 0 (orange) and "
                      f"{int(np.sum(y == 1))} of class 1 (blue)")
    return set_description(fig, f"{len(panels)} scatter plots of the datasets, x1 and x2 from "
                           f"{number(-LIMIT)} to {number(LIMIT)}: " + "; ".join(panels) + ".")


def plot_loss_curves(net, *, title="Loss while training"):
    """The training and test loss per epoch of a trained network (`MLP.history`)."""
    history = net.history
    epochs = np.arange(1, len(history["train_loss"]) + 1)
    curves = {"train loss": history["train_loss"]}
    if history["test_loss"]:
        curves["test loss"] = history["test_loss"]
    fig = plot_lines(epochs, curves, title=title, xlabel="epoch", ylabel="cross-entropy")
    fig.axes[0].set_ylim(bottom=0)
    return set_description(fig, describe_losses(history))


def unit_mosaic(net, resolution=UNIT_RESOLUTION):
    """Every hidden unit's picture in one RGBA image: a row per hidden layer, a tile per unit.

    Each tile is the unit's output over the plane (`unit_images`) on its own colour scale,
    from its lowest value (orange) through white to its highest (blue); a unit that is the
    same everywhere (a dead ReLU) is white. Tiles are `resolution` pixels square, with a gap
    of ``resolution // 8`` white pixels; row 0 of the array is the top of the picture.

    Returns
    -------
    ndarray of float64, shape (rows * r + (rows - 1) * g, cols * r + (cols - 1) * g, 4)
    """
    layers = unit_images(net, resolution)
    rows, cols = len(layers), max(len(layer) for layer in layers)
    tile, gap = resolution, resolution // 8
    mosaic = np.ones((rows * tile + (rows - 1) * gap, cols * tile + (cols - 1) * gap, 4))
    cmap = _unit_cmap()
    for r, pictures in enumerate(layers):
        low = pictures.min(axis=(1, 2), keepdims=True)
        span = pictures.max(axis=(1, 2), keepdims=True) - low
        flat = span <= 1e-9 * np.maximum(1.0, np.abs(low))  # constant: the middle, white
        scaled = np.where(flat, 0.5, (pictures - low) / np.where(flat, 1.0, span))
        colours = cmap(scaled[:, ::-1, :])  # the plane's top row first
        for c, colour in enumerate(colours):
            mosaic[r * (tile + gap):r * (tile + gap) + tile,
                   c * (tile + gap):c * (tile + gap) + tile] = colour
    return mosaic


class _UnitPictures:
    """The units' figure for one architecture, built once: one image (the mosaic) and a frame
    round each tile; a redraw replaces the image's data and draws only it and the frames."""

    def __init__(self, sizes):
        self.sizes = tuple(sizes)
        rows, cols = len(sizes), max(sizes)
        tile, gap = UNIT_RESOLUTION, UNIT_RESOLUTION // 8
        height, width = rows * tile + (rows - 1) * gap, cols * tile + (cols - 1) * gap
        inch = 0.8 / tile  # a tile is 0.8 in square
        fig_w, fig_h = 1.0 + width * inch + 0.15, height * inch + 0.45
        self.fig = Figure(figsize=(fig_w, fig_h), dpi=DPI)
        ax = self.fig.add_axes([1.0 / fig_w, 0.1 / fig_h, width * inch / fig_w,
                                height * inch / fig_h])
        ax.set_axis_off()
        self.image = ax.imshow(np.ones((height, width, 4)), interpolation="nearest",
                               extent=(0, width, height, 0), aspect="auto")
        ax.set(xlim=(0, width), ylim=(height, 0))
        frames = [Rectangle((c * (tile + gap), r * (tile + gap)), tile, tile)
                  for r, units in enumerate(sizes) for c in range(units)]
        self.frames = ax.add_collection(PatchCollection(frames, facecolor="none",
                                                        edgecolor="0.75", linewidth=0.8))
        for r in range(rows):
            ax.text(-gap, r * (tile + gap) + tile / 2, f"layer {r + 1}", ha="right",
                    va="center", fontsize="small")
        self.fig.suptitle("What each hidden unit computes (its lowest value orange, its highest "
                          "blue)", fontsize="small", y=1 - 0.05 / fig_h, va="top")
        self.blitted = _Blitted(self.fig, [self.image, self.frames])

    def update(self, net):
        self.image.set_data(unit_mosaic(net))

    def png(self, net):
        self.update(net)
        return self.blitted.png()


def plot_unit_pictures(net):
    """What each hidden unit outputs over the plane, like the Playground's neuron pictures:
    one row per hidden layer, each unit on its own colour scale from its lowest value (orange)
    to its highest (blue); a unit that is constant over the plane (a dead ReLU) is white.
    Returns a matplotlib Figure."""
    pictures = _UnitPictures(net.sizes[1:-1])
    pictures.update(net)
    return set_description(pictures.fig, describe_units(net))


# ------------------------------------------------------------------------------------------
# the widget
# ------------------------------------------------------------------------------------------

_STYLE = {"description_width": "initial"}
_LAYOUT = widgets.Layout(width="300px")


_Blitted = Blitted  # teaching.rendering holds it now


def _loss_top(losses):
    """The loss axis' upper limit: 1 while every loss is below 0.95, else 2, 5, 10, ..."""
    worst = max((x for x in losses if np.isfinite(x)), default=0.0)
    for top in (1.0, 2.0, 5.0, 10.0):
        if worst <= 0.95 * top:
            return top
    return 20.0


class _Picture:
    """The playground's main figure (boundary left, loss curves right), built once; a redraw
    replaces the data of its artists and draws only them again (`_Blitted`)."""

    def __init__(self, net, data):
        self.fig, (self.ax, self.loss_ax) = _figure(2, figsize=(9.6, 4.0), nbins=4)
        self.image, self.scatter_train, self.scatter_test = _draw_boundary(self.ax, net, data)
        self.ax.set(xlabel="$x_1$", ylabel="$x_2$")
        history = net.history
        epochs = np.arange(1, len(history["train_loss"]) + 1)
        self.lines = _draw_lines(self.loss_ax, epochs,
                                 {"train loss": history["train_loss"],
                                  "test loss": history["test_loss"]},
                                 xlabel="epoch", ylabel="cross-entropy loss")
        # The legend above the axes, where no line passes: it stays in the cached background.
        self.loss_ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2,
                            frameon=False, borderaxespad=0.1)
        spines = [*self.ax.spines.values(), *self.loss_ax.spines.values()]
        self.blitted = _Blitted(self.fig, [self.image, self.scatter_train, self.scatter_test,
                                           *self.lines, self.ax.title, *spines])
        self.update(net, data)

    def update(self, net, data):
        self.image.set_data(boundary_image(net))
        self.scatter_train.set_offsets(data.X_train)
        self.scatter_train.set_facecolors(_point_colours(data.y_train))
        self.scatter_test.set_offsets(data.X_test)
        self.scatter_test.set_facecolors(_point_colours(data.y_test))
        epochs = np.arange(1, len(net.history["train_loss"]) + 1)
        for line, key in zip(self.lines, ("train_loss", "test_loss")):
            line.set_data(epochs, net.history[key])
        self.loss_ax.set_xlim(0, max(len(epochs), 1))
        self.loss_ax.set_ylim(0, _loss_top(net.history["train_loss"] + net.history["test_loss"]))
        self.ax.set_title(_accuracy_title(net, data), y=1.0)

    def png(self):
        return self.blitted.png()


class Playground(widgets.VBox):
    """The playground widget (see `interactive_playground`).

    Attributes
    ----------
    controls : dict
        ``{name: widget}``: "dataset", "activation" (Dropdowns), "hidden_layers", "units",
        "learning_rate", "batch_size", "noise", "epochs" (sliders), "retrain" (Checkbox).
    train_button : ipywidgets.Button
    progress : ipywidgets.IntProgress
        Moves while training runs (epochs done out of epochs).
    status : ipywidgets.HTML
        The last run's epochs, losses and accuracies.
    output : ipywidgets.Output
        The pictures, as PNG images.
    net : MLP
        The last network trained; ``data`` the Dataset it was trained on.
    """

    def __init__(self, *, seed=0, retrain=True, **settings):
        unknown = set(settings) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"interactive_playground: unknown setting(s) {sorted(unknown)}; "
                            f"choose from {sorted(DEFAULTS)}")
        s = {**DEFAULTS, **settings}
        activations = trainable_activations()
        for key, choices in (("dataset", list(DATASETS)), ("activation", activations),
                             ("learning_rate", LEARNING_RATES), ("batch_size", BATCH_SIZES)):
            if s[key] not in choices:
                raise ValueError(f"interactive_playground: {key} must be one of {list(choices)}, "
                                 f"got {s[key]!r}")
        self.seed = seed
        c = self.controls = {
            "dataset": widgets.Dropdown(options=list(DATASETS), value=s["dataset"],
                                        description="data", style=_STYLE, layout=_LAYOUT),
            "activation": widgets.Dropdown(options=activations, value=s["activation"],
                                           description="activation", style=_STYLE,
                                           layout=_LAYOUT),
            "hidden_layers": widgets.IntSlider(value=s["hidden_layers"], min=1, max=4,
                                               description="hidden layers", style=_STYLE,
                                               continuous_update=False, layout=_LAYOUT),
            "units": widgets.IntSlider(value=s["units"], min=1, max=8, description="units per layer",
                                       style=_STYLE, continuous_update=False, layout=_LAYOUT),
            "learning_rate": widgets.SelectionSlider(options=list(LEARNING_RATES),
                                                     value=s["learning_rate"],
                                                     description="learning rate", style=_STYLE,
                                                     continuous_update=False, layout=_LAYOUT),
            "batch_size": widgets.SelectionSlider(options=list(BATCH_SIZES),
                                                  value=s["batch_size"], description="batch size",
                                                  style=_STYLE, continuous_update=False,
                                                  layout=_LAYOUT),
            "noise": widgets.FloatSlider(value=s["noise"], min=0.0, max=0.3, step=0.01,
                                         description="noise", readout_format=".2f", style=_STYLE,
                                         continuous_update=False, layout=_LAYOUT),
            "epochs": widgets.IntSlider(value=s["epochs"], min=100, max=3000, step=100,
                                        description="epochs", style=_STYLE,
                                        continuous_update=False, layout=_LAYOUT),
            "retrain": widgets.Checkbox(value=retrain, description="train again on every change",
                                        indent=False, layout=_LAYOUT),
        }
        self.train_button = widgets.Button(description="Train", button_style="primary",
                                           icon="play", tooltip="train a new network")
        self.progress = widgets.IntProgress(value=0, min=0, max=s["epochs"],
                                            description="training", style=_STYLE,
                                            layout=_LAYOUT)
        self.status = widgets.HTML(value="")
        self.output = widgets.Output()
        self._picture = self._units = None
        self.net = self.data = None
        self._data_key = None

        self.train_button.on_click(lambda _button: self.train())
        for name in ("dataset", "activation", "hidden_layers", "units", "learning_rate",
                     "batch_size", "noise", "epochs"):
            c[name].observe(self._changed, names="value")
        left = widgets.VBox([c["dataset"], c["activation"], c["hidden_layers"], c["units"]])
        right = widgets.VBox([c["learning_rate"], c["batch_size"], c["noise"], c["epochs"]])
        run = widgets.HBox([self.train_button, self.progress, c["retrain"]])
        super().__init__([widgets.HBox([left, right]), run, self.status, self.output])
        self.train()

    def __repr__(self):
        return f"Playground({', '.join(f'{k}={v!r}' for k, v in self.settings.items())})"

    @property
    def settings(self):
        """The current settings: ``{name: value}`` of every control but "retrain"."""
        return {k: w.value for k, w in self.controls.items() if k != "retrain"}

    def _changed(self, change):
        if self.controls["retrain"].value:
            self.train()

    def _dataset(self):
        s = self.settings
        key = (s["dataset"], s["noise"])
        if key != self._data_key:
            self.data = make_dataset(s["dataset"], 400, noise=s["noise"], seed=self.seed)
            self._data_key = key
        return self.data

    def train(self):
        """Train a new network with the current settings, moving the progress bar, then redraw."""
        s = self.settings
        data = self._dataset()
        self.progress.max, self.progress.value = s["epochs"], 0
        self.progress.bar_style = "info"
        self.train_button.disabled = True
        try:
            def advance(epoch):
                self.progress.value = epoch
            self.net = train_network(data, s["activation"], (s["units"],) * s["hidden_layers"],
                                     learning_rate=s["learning_rate"],
                                     batch_size=s["batch_size"], epochs=s["epochs"],
                                     seed=self.seed, callback=advance,
                                     callback_every=max(1, s["epochs"] // 20))
        finally:
            self.train_button.disabled = False
        self.progress.bar_style = "success"
        net = self.net
        run = f"<b>{s['activation']}</b>, {s['hidden_layers']} x {s['units']} units"
        if net.diverged_at is not None:
            self.progress.bar_style = "danger"
            self.status.value = (f"{run}: diverged at epoch {net.diverged_at}: the steps grew "
                                 f"the weights past the largest float. Lower the learning rate.")
        else:
            self.status.value = (
                f"{run}, {s['epochs']} epochs: train loss {net.history['train_loss'][-1]:.3f}, "
                f"test loss {net.history['test_loss'][-1]:.3f}; test accuracy "
                f"{net.accuracy(data.X_test, data.y_test):.0%}")
        self.redraw()

    def render(self):
        """The pictures of the last network as PNG bytes: [boundary and losses, units]
        (the units' picture only for networks of at most 32 hidden units)."""
        if self._picture is None:
            self._picture = _Picture(self.net, self.data)
        else:
            self._picture.update(self.net, self.data)
        pngs = [self._picture.png()]
        sizes = tuple(self.net.sizes[1:-1])
        if sum(sizes) <= MAX_UNIT_PICTURES:
            if self._units is None or self._units.sizes != sizes:
                self._units = _UnitPictures(sizes)
            pngs.append(self._units.png(self.net))
        return pngs

    def describe(self):
        """The descriptions of the pictures `render` returns, in the same order: the decision
        boundary with the loss curves, then (for a small network) the hidden units."""
        net, data = self.net, self.data
        texts = [f"Two panels. Left: {describe_boundary(net, data)} Right: "
                 f"{describe_losses(net.history)}"]
        if sum(net.sizes[1:-1]) <= MAX_UNIT_PICTURES:
            texts.append(describe_units(net))
        return texts

    def redraw(self):
        """Show the pictures in the output area as described images (no text: nothing for
        nbval); each description is the image's alt (`teaching.rendering.image_bundle`)."""
        outputs = []
        for i, (png, description) in enumerate(zip(self.render(), self.describe())):
            # the main picture names the sliders and announces its description when it loads
            data, metadata = image_bundle(png, description, follow=i == 0)
            outputs.append({"output_type": "display_data", "metadata": metadata, "data": data})
        self.output.outputs = tuple(outputs)


def interactive_playground(*, seed=0, retrain=True, **settings):
    """The playground: choose data, activation, layers and learning rate; train; watch.

    Parameters
    ----------
    seed : int, default 0
        Seeds the data and the network: the same settings always give the same pictures.
    retrain : bool, default True
        Train again as soon as a control changes (a 2 x 8 network trains 1000 epochs in about
        a third of a second); otherwise only the Train button trains.
    **settings
        Start values: dataset ("circle", "xor", "gaussians", "spiral"), activation (any of
        `teaching.network.trainable_activations`), hidden_layers (1-4), units (1-8 per layer),
        learning_rate (one of `LEARNING_RATES`), batch_size (one of `BATCH_SIZES`), noise
        (0-0.3), epochs (100-3000).

    Returns
    -------
    Playground
        An ipywidgets VBox: the controls, a Train button with a progress bar, a status line,
        and an Output widget with the decision boundary, the loss curves and, for networks of
        at most 32 hidden units, one small picture per hidden unit. From Python, set a
        control's value (``p.controls["activation"].value = "relu"``) or call ``p.train()``,
        then read ``p.net``, ``p.status.value`` or ``p.render()``.
    """
    return Playground(seed=seed, retrain=retrain, **settings)

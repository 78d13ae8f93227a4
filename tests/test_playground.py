"""Drive the playground widget from Python: change the controls, press Train, read the pictures."""

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

import activations_helpers as ah
from teaching import playground as pg
from teaching.datasets import make_dataset
from teaching.network import trainable_activations
from teaching.plotting import _agg_canvas

SMALL = {"epochs": 100, "hidden_layers": 1, "units": 4}  # quick to train


def pixels(png):
    """The PNG's pixels as RGBA (an opaque picture is stored as RGB: teaching.rendering.encode_png)."""
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return np.asarray(image.convert("RGBA"))


def shown(playground):
    """The PNGs in the Output widget, decoded, and what else it holds (must be nothing).

    Each picture is a described image (teaching.rendering.image_bundle): the PNG, its
    description as the metadata's alt, and the same PNG and alt in an <img> for JupyterLab."""
    import base64
    import html
    import re
    pngs, other = [], []
    for out in playground.output.outputs:
        data = out.get("data", {})
        if out["output_type"] == "display_data" and set(data) == {"image/png", "text/html"}:
            alt = out["metadata"]["image/png"]["alt"]
            assert alt and "No description" not in alt
            tag = re.fullmatch(r'<img alt="([^"]*)"( onload="[^"]*")? src="data:image/png;base64,'
                               r'([^"]*)"/>', data["text/html"])
            assert tag and html.unescape(tag.group(1)) == alt and tag.group(3) == data["image/png"]
            pngs.append(pixels(base64.b64decode(data["image/png"])))
        else:
            other.append(out)
    return pngs, other


@pytest.fixture
def playground():
    return pg.interactive_playground(**SMALL)


def test_the_controls_the_issue_asks_for(playground):
    c = playground.controls
    assert list(c["activation"].options) == trainable_activations()
    assert list(c["dataset"].options) == ["circle", "xor", "gaussians", "spiral"]
    assert (c["hidden_layers"].min, c["hidden_layers"].max) == (1, 4)
    assert (c["units"].min, c["units"].max) == (1, 8)
    assert list(c["learning_rate"].options) == list(pg.LEARNING_RATES)
    assert list(c["batch_size"].options) == list(pg.BATCH_SIZES)
    for name in ("noise", "epochs"):
        assert c[name].max > c[name].min
    assert playground.train_button.description == "Train"
    assert "binary_step" not in c["activation"].options


def test_it_trains_at_once_and_shows_png_only(playground):
    net = playground.net
    assert net.activation == "tanh" and net.sizes == [2, 4, 1]
    assert len(net.history["train_loss"]) == 100
    pngs, other = shown(playground)
    assert other == [] and len(pngs) == 2  # boundary + losses, then the units' pictures
    assert "test accuracy" in playground.status.value
    assert playground.progress.value == playground.progress.max == 100


def test_changing_the_activation_retrains_and_changes_the_boundary(playground):
    before, _ = shown(playground)
    playground.controls["activation"].value = "relu"
    assert playground.net.activation == "relu"
    after, _ = shown(playground)
    assert not np.array_equal(before[0], after[0])
    assert "<b>relu</b>" in playground.status.value


@pytest.mark.parametrize("name, value, check", [
    ("hidden_layers", 3, lambda p: p.net.sizes == [2, 4, 4, 4, 1]),
    ("units", 7, lambda p: p.net.sizes == [2, 7, 1]),
    ("epochs", 200, lambda p: len(p.net.history["train_loss"]) == 200),
    ("dataset", "circle", lambda p: p.data.name == "circle"),
    ("noise", 0.2, lambda p: p.data.X_train.std() > make_dataset("spiral", 400, noise=0.05).X_train.std()),
    ("learning_rate", 0.01, lambda p: True),
    ("batch_size", 64, lambda p: True),
])
def test_every_control_retrains_and_redraws(playground, name, value, check):
    before, _ = shown(playground)
    old_net = playground.net
    playground.controls[name].value = value
    assert playground.net is not old_net and check(playground)
    assert playground.settings[name] == value
    after, _ = shown(playground)
    assert any(a.shape != b.shape or not np.array_equal(a, b) for a, b in zip(before, after))


def test_learning_rate_and_batch_size_reach_the_network(monkeypatch, playground):
    calls = []
    real = pg.train_network
    monkeypatch.setattr(pg, "train_network", lambda *a, **k: calls.append(k) or real(*a, **k))
    playground.controls["learning_rate"].value = 0.03
    playground.controls["batch_size"].value = 8
    assert calls[-1]["learning_rate"] == 0.03 and calls[-1]["batch_size"] == 8


def test_without_retrain_only_the_button_trains():
    p = pg.interactive_playground(retrain=False, **SMALL)
    first = p.net
    p.controls["activation"].value = "sigmoid"
    assert p.net is first  # not trained yet
    p.train_button.click()
    assert p.net is not first and p.net.activation == "sigmoid"


def test_the_progress_bar_moves_while_training(playground):
    seen = []
    playground.progress.observe(lambda change: seen.append(change["new"]), names="value")
    playground.controls["epochs"].value = 400
    assert seen[0] == 0 and seen[-1] == 400 and len(seen) >= 10
    assert seen == sorted(seen)


def test_same_settings_same_pictures():
    a, b = pg.interactive_playground(**SMALL), pg.interactive_playground(**SMALL)
    for x, y in zip(shown(a)[0], shown(b)[0]):
        np.testing.assert_array_equal(x, y)


def test_callbacks_print_nothing(playground, capsys):
    playground.controls["activation"].value = "sigmoid"
    playground.controls["units"].value = 2
    playground.train_button.click()
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_fast_redraw_is_the_same_picture_as_a_full_draw(playground):
    playground.controls["activation"].value = "relu"
    pngs = playground.render()  # the second render of this figure: only what changed
    figures = [playground._picture.fig, playground._units.fig]
    for png, fig in zip(pngs, figures):
        canvas = _agg_canvas(fig)
        canvas.draw()
        np.testing.assert_array_equal(pixels(png), np.asarray(canvas.buffer_rgba()))


def test_the_boundary_image_is_the_networks_probability(playground):
    net = playground.net
    image = pg.boundary_image(net, resolution=5)
    ticks = np.linspace(-pg.LIMIT, pg.LIMIT, 5)
    assert image[0, 4] == pytest.approx(float(net.predict_proba([[ticks[4], ticks[0]]])[0]))
    assert image[3, 1] == pytest.approx(float(net.predict_proba([[ticks[1], ticks[3]]])[0]))


def test_unit_pictures_are_each_hidden_units_output(playground):
    net = playground.net
    pictures = pg.unit_images(net, resolution=6)
    assert [p.shape for p in pictures] == [(4, 6, 6)]
    ticks = np.linspace(-pg.LIMIT, pg.LIMIT, 6)
    point = np.array([[ticks[2], ticks[5]]])
    want = ah.tanh(point @ net.weights[0] + net.biases[0])[0]
    np.testing.assert_allclose(pictures[0][:, 5, 2], want)


def test_static_pictures():
    data = make_dataset("xor", 80, seed=0)
    nets = {name: pg.train_network(data, name, (4,), epochs=5) for name in ("tanh", "relu")}
    for fig in (pg.plot_decision_boundary(nets["tanh"], data), pg.plot_boundaries(nets, data),
                pg.plot_datasets(), pg.plot_unit_pictures(nets["relu"]),
                pg.plot_loss_curves(nets["relu"])):
        assert isinstance(fig, Figure)
    assert len([ax for ax in pg.plot_boundaries(nets, data).axes if ax.get_visible()]) == 2
    with pytest.raises(ValueError, match="plot_boundaries: nets must hold"):
        pg.plot_boundaries({}, data)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"activation": "binary_step"}, ValueError, "interactive_playground: activation must be one of"),
    ({"dataset": "moons"}, ValueError, "interactive_playground: dataset must be one of"),
    ({"learning_rate": 0.5}, ValueError, "interactive_playground: learning_rate must be one of"),
    ({"layers": 2}, TypeError, r"interactive_playground: unknown setting\(s\) \['layers'\]"),
])
def test_bad_settings_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        pg.interactive_playground(**kwargs)


def test_a_dead_unit_is_a_white_tile_and_a_live_one_spans_orange_to_blue():
    net = pg.train_network(make_dataset("circle", 60, seed=0), "relu", (3,), epochs=2)
    net.biases[0][1] = -100.0  # unit 2 never fires anywhere on the plane
    r = 8
    mosaic = pg.unit_mosaic(net, resolution=r)
    assert mosaic.shape == (r, 3 * r + 2 * (r // 8), 4)
    tiles = [mosaic[:, c * (r + 1):c * (r + 1) + r] for c in range(3)]
    cmap = pg._unit_cmap()
    np.testing.assert_allclose(tiles[1], np.broadcast_to(cmap(0.5), tiles[1].shape))
    assert min(cmap(0.5)[:3]) > 0.95  # the middle of the map is white
    # a live unit: its lowest value orange (the map's 0), its highest blue (the map's 1)
    picture = pg.unit_images(net, resolution=r)[0][0][::-1]  # top row first, as drawn
    lowest = np.unravel_index(np.argmin(picture), picture.shape)
    highest = np.unravel_index(np.argmax(picture), picture.shape)
    np.testing.assert_allclose(tiles[0][lowest], cmap(0.0))
    np.testing.assert_allclose(tiles[0][highest], cmap(1.0))
    np.testing.assert_allclose(mosaic[:, r], 1.0)  # the gap between tiles is white
    assert isinstance(pg.plot_unit_pictures(net), Figure)


def test_a_diverging_run_says_so_in_the_status_line():
    p = pg.interactive_playground(activation="linear", hidden_layers=4, units=8,
                                  learning_rate=3.0, batch_size=4, noise=0.3, epochs=200)
    assert p.net.diverged_at is not None
    assert "diverged at epoch" in p.status.value and "Lower the learning rate" in p.status.value
    assert p.progress.value == p.progress.max and p.progress.bar_style == "danger"
    pngs, other = shown(p)
    assert len(pngs) == 2 and other == []

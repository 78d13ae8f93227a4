"""teaching.frames: an interactive plot's pictures drawn in advance for the offline pages."""

import json

import pytest

import activations_helpers as A
from teaching import frames
from teaching.sliders import interactive_activation, interactive_softmax


def test_positions_are_each_sliders_steps_or_a_subsample_with_its_ends_and_start():
    widget = interactive_activation(A.leaky_relu)
    (range_label, lo_end, lo), (_, hi_end, hi), (name, end, slope) = frames.positions(widget)
    assert (range_label, lo_end, hi_end, name, end) == ("input range", 0, 1, "alpha", None)
    slider = widget.kwargs_widgets[1]
    assert slope[0] == slider.min and slope[-1] == slider.max and slider.value in slope
    assert len(slope) <= frames.MAX_POSITIONS + 1
    assert max(lo) < widget.kwargs_widgets[0].value[1] and min(hi) > widget.kwargs_widgets[0].value[0]
    gelu = interactive_activation(A.gelu)
    assert frames.positions(gelu)[2] == ("approximate", None, ["none", "tanh"])
    with pytest.raises(TypeError, match="positions: expected an interactive plot"):
        frames.positions(object())


def test_each_frame_is_the_plots_own_picture_and_description_at_that_value():
    widget = interactive_softmax()
    temperature = widget.kwargs_widgets[1]
    start = (temperature.value, widget.describe())
    seen = {}
    for index, end, value, png, description in frames.frames(widget):
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        if index == 2:
            seen[value] = description
    assert (temperature.value, widget.describe()) == start  # left at its start values
    low, high = min(seen), max(seen)
    temperature.value = high
    assert widget.describe() == seen[high] != seen[low]


def test_collect_shares_identical_pictures_and_is_json_safe_in_a_script():
    data = frames.collect(interactive_activation(A.relu))
    assert all(len(c["images"]) == len(c["values"]) for c in data["controls"])
    used = {i for c in data["controls"] for i in c["images"]} | {data["start"]}
    assert used == set(range(len(data["images"])))  # every picture used, none stored twice
    assert len({tuple(image) for image in data["images"]}) == len(data["images"])
    text = frames.dumps(data)
    assert "</" not in text and json.loads(text) == json.loads(json.dumps(data))

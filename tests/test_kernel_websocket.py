"""The kernel websocket turns Nagle's algorithm off (tools/kernel_websocket.py) in every server
we start: `make lab`, the browser tests' and benchmark's server, and the hub's learners' servers.

Why it matters is measured, not asserted here: `make bench-browser` (benchmarks/bench_browser.py)
times a slider move end to end; with Nagle's algorithm on, every other picture of a kernel waits
up to 40 ms for the browser's delayed acknowledgement.
"""

import asyncio
import json
import threading
import uuid
from pathlib import Path

import pytest

from tools.kernel_websocket import NoDelayConnection
from tools.lab import KERNEL_WEBSOCKET_OPTION as SERVER_OPTION
from tools.lab import lab_options

ROOT = Path(__file__).resolve().parent.parent


def test_make_lab_and_the_test_servers_use_it():
    assert SERVER_OPTION in lab_options()  # tools/lab_server.py starts servers with these
    assert SERVER_OPTION.endswith("=tools.kernel_websocket.NoDelayConnection")


def test_the_hub_gives_every_learner_server_the_same_option():
    text = (ROOT / "classroom" / "jupyterhub_config.py").read_text()
    assert f'"{SERVER_OPTION}"' in text


def test_it_sets_nodelay_on_the_websocket_before_connecting(monkeypatch):
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

    calls = []

    class Handler:  # the tornado WebSocketHandler's one method it calls
        def set_nodelay(self, value):
            calls.append(("set_nodelay", value))

    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect",
                        lambda self: calls.append("connect") or "connected")
    connection = NoDelayConnection.__new__(NoDelayConnection)
    connection._trait_values["websocket_handler"] = Handler()
    assert connection.connect() == "connected"
    assert calls == [("set_nodelay", True), "connect"]


def test_a_kernel_answers_through_a_server_started_with_it(tmp_path):
    """A real JupyterLab server with the option: its kernel websocket connects and carries
    a kernel_info round trip (a class the server could not load would stop it at start)."""
    from tornado.websocket import websocket_connect

    from tools.lab_server import JupyterLabServer

    server = JupyterLabServer.start(tmp_path, ROOT, timeout=90)
    try:
        kernel = server.api("POST", "/api/kernels")
        url = (server.base_url.replace("http", "ws", 1)
               + f"/api/kernels/{kernel['id']}/channels?token={server.token}")
        msg_id = uuid.uuid4().hex

        async def round_trip():
            ws = await websocket_connect(url)
            await ws.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "kernel_info_request", "username": "",
                           "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell",
                "buffers": []}))
            while True:
                reply = await asyncio.wait_for(ws.read_message(), 60)
                if isinstance(reply, str):
                    reply = json.loads(reply)
                    if (reply["parent_header"].get("msg_id") == msg_id
                            and reply["msg_type"] == "kernel_info_reply"):
                        ws.close()
                        return reply["content"]

        result = {}
        # a thread of its own: pytest-playwright may keep an event loop in the main thread
        worker = threading.Thread(target=lambda: result.update(asyncio.run(round_trip())))
        worker.start()
        worker.join(120)
        assert result.get("status") == "ok" and result["implementation"] == "ipython"
        assert SERVER_OPTION in " ".join(server.process.args)
    finally:
        server.stop()

"""The kernel websocket of `make lab`, the tests' server and the hub's: TCP_NODELAY on.

Tornado leaves Nagle's algorithm on for a websocket unless the handler turns it off
(``WebSocketHandler.set_nodelay``), and jupyter_server 2 does not. A slider move's picture is one
websocket frame of about 30 kB: its last, partial TCP segment then waits until the browser
acknowledges the ones before it, and the browser delays that acknowledgement (Linux: up to 40
ms) -- every other picture arrived 30 to 40 ms late, as often as the move itself took
(benchmarks/bench_browser.py). Messages of a kernel are few and small; sending each at once
costs nothing measurable.

Used through jupyter_server's own setting (no patching), as ``tools/lab.py`` passes it
(``KERNEL_WEBSOCKET_OPTION``) and classroom/jupyterhub_config.py gives every learner's server:

    --ServerApp.kernel_websocket_connection_class=tools.kernel_websocket.NoDelayConnection

Only the server imports this module (it imports jupyter_server).
"""

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["NoDelayConnection"]


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection, with TCP_NODELAY set on its socket."""

    def connect(self):
        """Turn Nagle's algorithm off, then connect as jupyter_server does."""
        self.websocket_handler.set_nodelay(True)
        return super().connect()


"""Running code in a user's own server through the hub's proxy, as the user's browser would."""

from __future__ import annotations

import json
import uuid

import requests


def run_in_kernel(hub, user: str, token: str, code: str, timeout: float = 300) -> str:
    """Run ``code`` in a new kernel of ``user``'s own server (through the hub's proxy at ``hub.url``); return its stdout."""
    import websocket

    headers = {"Authorization": f"token {token}"}
    base = f"{hub.url}/user/{user}/api/kernels"
    kernel = requests.post(base, headers=headers, json={"name": "python3"}, timeout=120)
    assert kernel.status_code == 201, kernel.text
    kernel_id = kernel.json()["id"]
    ws = websocket.create_connection(f"ws://127.0.0.1:{hub.port}/user/{user}/api/kernels/{kernel_id}/channels",
                                     header=[f"Authorization: token {token}"], timeout=timeout)
    msg_id, out = uuid.uuid4().hex, []
    try:
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex, "msg_type": "execute_request",
                       "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                raise AssertionError("\n".join(msg["content"]["traceback"]))
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
    finally:
        ws.close()
        requests.delete(f"{base}/{kernel_id}", headers=headers, timeout=60)
    return "".join(out)

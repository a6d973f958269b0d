#!/usr/bin/env python3
"""A `command` backend for `atelier provider run` (see crates/agents/README.md).

The provider runs this program once per job with a JSON request on standard input:

    {"job": 7, "model": 1, "prompt": "a red fox", "params": {"seed": 3} or null, "seed": 3,
     "output": "/tmp/.../output", "weights": "/tmp/.../weights"}

and reads the file written at `output`. A non-zero exit fails the job. This one renders with the
procedural generator (`atelier generate`, or $ATELIER_BIN); replace `render` with a call to
diffusers, ComfyUI or any other program, loading the model from `weights`.

    [default]
    backend = "command"
    command = ["python3", "scripts/command-backend.py"]
"""

import json
import os
import subprocess
import sys


def render(request):
    args = [os.environ.get("ATELIER_BIN", "atelier"), "generate", "--style", request["weights"],
            "--out", request["output"]]
    if request.get("params") is not None:
        params = request["output"] + ".params.json"
        with open(params, "w") as file:
            json.dump(request["params"], file)
        args += ["--params", params]
    subprocess.run(args + ["--", request["prompt"]], check=True)


def main():
    request = json.load(sys.stdin)
    render(request)


if __name__ == "__main__":
    main()

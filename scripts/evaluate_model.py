#!/usr/bin/env python3
"""Evaluates a procedural model's recent outputs and prints its validation loss.

For an oracle operator's `command` source serving `convergence/<model>`: it takes the model's
newest designs made on chain (the gallery), renders each job again from its prompt, its parameters
and the model's style file with `atelier generate` (what the procedural backend runs), and compares
the result with the output the chain recorded. The loss is the share of outputs that do not
reproduce, from 0 (every output is what the model makes) to 1; a model whose providers serve it
faithfully converges to 0.

    python3 scripts/evaluate_model.py --node http://127.0.0.1:26657 --model 1 [--samples 8]

Standard library only. Exits non-zero, saying why on stderr, when there is nothing to evaluate:
the oracle agent then skips the round and tries again.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request


def get(node, path, raw=False):
    with urllib.request.urlopen(f"{node}{path}", timeout=30) as response:
        body = response.read()
    return body if raw else json.loads(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node", required=True, help="the node's API, e.g. http://127.0.0.1:26657")
    parser.add_argument("--model", type=int, required=True, help="the model's id")
    parser.add_argument("--samples", type=int, default=8, help="newest outputs evaluated (default 8)")
    parser.add_argument("--atelier", default=shutil.which("atelier") or "atelier", help="the atelier binary")
    args = parser.parse_args()

    model = get(args.node, f"/registry/models/{args.model}")
    jobs = []
    cursor = None
    # The gallery is newest first: read pages until enough of this model's designs are found.
    for _ in range(20):
        page = get(args.node, "/gallery?limit=100" + (f"&cursor={cursor}" if cursor else ""))
        for asset in page["items"]:
            if asset.get("model") == args.model and asset.get("job") is not None:
                jobs.append(asset["job"])
        cursor = page.get("next")
        if len(jobs) >= args.samples or not cursor:
            break
    jobs = jobs[: args.samples]
    if not jobs:
        sys.exit(f"model {args.model} has no design made on chain yet")

    with tempfile.TemporaryDirectory() as work:
        style = os.path.join(work, "style.json")
        with open(style, "wb") as file:
            file.write(get(args.node, f"/blobs/{model['weights_hash']}", raw=True))
        mismatches = 0
        for job_id in jobs:
            job = get(args.node, f"/compute/jobs/{job_id}")
            prompt = get(args.node, f"/blobs/{job['prompt_hash']}", raw=True).decode()
            params = os.path.join(work, "params.json")
            with open(params, "wb") as file:
                file.write(get(args.node, f"/blobs/{job['params_hash']}", raw=True))
            out = os.path.join(work, "out.png")
            subprocess.run(
                [args.atelier, "generate", prompt, "--style", style, "--params", params, "--out", out],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            with open(out, "rb") as file:
                rendered = file.read()
            recorded = get(args.node, f"/blobs/{job['output_hash']}", raw=True)
            mismatches += rendered != recorded
    print(mismatches / len(jobs))


if __name__ == "__main__":
    main()

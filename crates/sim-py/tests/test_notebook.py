"""The example notebook runs from top to bottom."""

import nbclient
import nbformat

from conftest import ROOT


def test_the_floor_defence_notebook_runs_and_draws_its_charts():
    path = ROOT / "crates/sim-py/examples/floor-defence.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the charts were drawn"
    assert any("text/html" in o.get("data", {}) for o in outputs), "the tables were shown"

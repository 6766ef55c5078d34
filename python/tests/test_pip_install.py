"""`pip install` from the source tree into a fresh virtual environment, offline: the package
imports from the environment (not the build folder) and explains. The build folder ctest runs
in is reused (GNNX_BUILD_DIR), so only the module's target is checked there."""

import os
import subprocess
import sys
import venv

import pytest

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.skipif(not os.environ.get("GNNX_PIP_BUILD_DIR"),
                    reason="GNNX_PIP_BUILD_DIR (a configured build folder) not given; ctest sets it")
def test_pip_install_into_a_virtual_environment(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    python = str(env_dir / "bin" / "python")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["GNNX_BUILD_DIR"] = os.environ["GNNX_PIP_BUILD_DIR"]
    install = subprocess.run(
        [python, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index", "-q",
         SOURCE], env=env, capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    check = subprocess.run(
        [python, "-c",
         "import gnnx, numpy as np\n"
         "print(gnnx.__file__)\n"
         "d = gnnx.dataset('ba-shapes')\n"
         "print(len(d.graphs[0].x))\n"],
        cwd=tmp_path, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    where, nodes = check.stdout.split()
    assert where.startswith(str(env_dir)), where
    assert nodes == "700"

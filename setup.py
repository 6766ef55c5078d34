"""Builds gnnx's native Python module (_gnnx) with CMake for `pip install .`; the package's
metadata is in pyproject.toml.

By default the whole library is configured and built in build-pip/ (Release, Ninja when
available; the command line, tests and benchmarks off). GNNX_BUILD_DIR=<dir> uses a build folder
already configured with the Python module on (e.g. scripts/test.sh's build/): only the module's
target is brought up to date there. GNNX_CMAKE_ARGS adds configure arguments.
"""

import glob
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE = os.path.dirname(os.path.abspath(__file__))


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        given = os.environ.get("GNNX_BUILD_DIR")
        build_dir = os.path.abspath(given or os.path.join(SOURCE, "build-pip"))
        if not given:
            self.configure(build_dir)
        elif not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            sys.exit(f"GNNX_BUILD_DIR={given}: not a configured CMake build folder")
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "gnnx_python",
                               "-j", jobs])
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        built = glob.glob(os.path.join(build_dir, "python", "gnnx", "_gnnx" + suffix))
        if not built:
            sys.exit(f"no _gnnx{suffix} in {build_dir}/python/gnnx: the build folder was "
                     f"configured for another Python than {sys.executable}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built[0], target)

    def configure(self, build_dir):
        args = ["cmake", "-S", SOURCE, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                "-DGNNX_BUILD_PYTHON=ON", "-DGNNX_BUILD_TESTS=OFF",
                "-DGNNX_BUILD_BENCHMARKS=OFF", "-DGNNX_BUILD_TOOLS=OFF",
                f"-DPython3_EXECUTABLE={sys.executable}"]
        if shutil.which("ninja") and not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            args += ["-G", "Ninja"]
        args += shlex.split(os.environ.get("GNNX_CMAKE_ARGS", ""))
        subprocess.check_call(args)


# setuptools' own scratch folders beside the CMake build, not in a folder named build/ (which
# scripts/test.sh uses).
setup(ext_modules=[CMakeExtension("gnnx._gnnx")], cmdclass={"build_ext": CMakeBuild},
      options={"build": {"build_base": os.path.join("build-pip", "setuptools")},
               "egg_info": {"egg_base": os.path.join("build-pip")}})

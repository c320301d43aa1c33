"""Installing: the package's version is the library's; a wheel builds
offline (Debian's setuptools, no package index) and installs into a fresh
venv; `pip install --no-build-isolation` works; `meson install` puts the
package into the Python path with the path of the installed library, so
it is found with no environment variable."""

import glob
import os
import re
import shutil
import subprocess
import sys
import venv

import pytest

import commitments
from commitments import _lib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, "python")
BUILD = os.environ.get("COMMITMENTS_BUILD_DIR")
LIBRARY = os.environ.get("COMMITMENTS_LIBRARY")


def run(cmd, env=None, timeout=300, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                       env=env, **kw)
    assert r.returncode == 0, "%s\n%s\n%s" % (cmd, r.stdout, r.stderr)
    return r.stdout


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("COMMITMENTS_LIBRARY", "PYTHONPATH")}
    env.update(extra)
    return env


def test_version_is_the_library_version():
    assert commitments.__version__ == commitments.version()
    meson = open(os.path.join(ROOT, "meson.build"), encoding="utf-8").read()
    assert "version: '%s'" % commitments.__version__ in meson


def copy_source(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(PYDIR, src, ignore=shutil.ignore_patterns(
        "__pycache__", "*.egg-info", "build", "tests"))
    return src


def make_venv(path, system_site_packages=False):
    """A venv without pip of its own (ensurepip is slow); this Python's
    pip installs into it with ``pip --python``."""
    venv.EnvBuilder(with_pip=False, clear=True,
                    system_site_packages=system_site_packages).create(path)
    return os.path.join(path, "bin", "python")


def pip_into(py, *args):
    return run([sys.executable, "-m", "pip", "--python", py] + list(args))


def check_import(py, env):
    out = run([py, "-c",
               "import commitments, sys;"
               "print(commitments.__version__, commitments.version(),"
               " commitments.__file__)"], env=env)
    version, libversion, where = out.split()
    assert version == libversion == commitments.__version__
    return where


@pytest.mark.skipif(LIBRARY is None, reason="needs a built library")
def test_wheel_offline_into_fresh_venv(tmp_path):
    src = copy_source(tmp_path)
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation",
         "--no-deps", "--no-index", "-w", str(dist), str(src)])
    [whl] = glob.glob(str(dist / "commitments-*-py3-none-any.whl"))
    assert os.path.basename(whl).startswith(
        "commitments-%s-" % commitments.__version__)
    py = make_venv(str(tmp_path / "venv"))
    pip_into(py, "install", "--no-index", "--no-deps", whl)
    where = check_import(py, clean_env(COMMITMENTS_LIBRARY=LIBRARY))
    assert where.startswith(str(tmp_path / "venv"))
    # the wheel carries the package and no test or build file
    import zipfile
    names = zipfile.ZipFile(whl).namelist()
    assert "commitments/py.typed" in names
    assert not [n for n in names if "tests/" in n or n.endswith(".in")]


@pytest.mark.skipif(LIBRARY is None, reason="needs a built library")
def test_pip_install_no_build_isolation(tmp_path):
    # Debian's own Python refuses pip installs (PEP 668): a venv that sees
    # the system's setuptools is the documented way
    src = copy_source(tmp_path)
    py = make_venv(str(tmp_path / "venv"), system_site_packages=True)
    pip_into(py, "install", "--no-build-isolation", "--no-index",
             "--no-deps", str(src))
    where = check_import(py, clean_env(COMMITMENTS_LIBRARY=LIBRARY))
    assert where.startswith(str(tmp_path / "venv"))


@pytest.mark.skipif(BUILD is None, reason="needs the meson build directory")
def test_meson_install(tmp_path):
    dest = tmp_path / "dest"
    run(["meson", "install", "-C", BUILD, "--no-rebuild", "--quiet",
         "--destdir", str(dest)])
    inits = glob.glob(str(dest / "**" / "commitments" / "__init__.py"),
                      recursive=True)
    assert len(inits) == 1, inits
    pkg = os.path.dirname(inits[0])
    site = os.path.dirname(pkg)
    assert re.search(r"/(site|dist)-packages$", site), site
    for name in os.listdir(os.path.join(PYDIR, "commitments")):
        if name.endswith(".py") or name == "py.typed":
            assert os.path.exists(os.path.join(pkg, name)), name
    config = open(os.path.join(pkg, "_config.py")).read()
    m = re.search(r'^LIBRARY = "(/[^"]+)"$', config, re.M)
    assert m, config
    installed = m.group(1)
    assert installed.endswith("/libcommitments.so.0")
    assert os.path.exists(str(dest) + installed)
    # no environment variable: the package loads the library _config.py
    # names (moved under DESTDIR here, as the install is not for real)
    out = run([sys.executable, "-c",
               "import sys; sys.path.insert(0, %r);"
               "import commitments._config as c;"
               "c.LIBRARY = %r + c.LIBRARY;"
               "import commitments;"
               "print(commitments.library_path(), commitments.version())"
               % (site, str(dest))], env=clean_env())
    path, version = out.split()
    assert path == str(dest) + installed
    assert version == commitments.__version__


def test_library_lookup_order(monkeypatch):
    from commitments import _config
    monkeypatch.setattr(_config, "LIBRARY", "/opt/x/libcommitments.so.0")
    c = _lib.candidates()
    assert c[0] == "/opt/x/libcommitments.so.0"
    assert _lib.SONAME in c
    assert any(p.startswith("/usr/local/") for p in c)

"""Where ``meson install`` put the shared library (this file is replaced
by a configured copy when the package is installed with the library; in
the source tree and in a wheel it names nothing, and the library is
looked up as ``commitments._lib.candidates()`` says)."""

LIBRARY = None

#!/bin/sh
# Run by `meson install` (meson.add_install_script): refresh the dynamic
# linker's cache, so that the installed `cmt` finds libcommitments.so.0 at
# once, as distributions' packages do after installing a library. Nothing
# to do when staging into DESTDIR (a package's own trigger does it then).
# Argument: the installed library folder.
libdir=$1
[ -n "${DESTDIR:-}" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "libcommitments: not root, ldconfig not run; if cmt cannot find" \
	     "libcommitments.so.0, run 'sudo ldconfig' or set LD_LIBRARY_PATH=$libdir"
	exit 0
fi
ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
"$ldconfig" || { echo "libcommitments: ldconfig failed; run it by hand, or set LD_LIBRARY_PATH=$libdir"; exit 0; }
if ! "$ldconfig" -p | grep -q "libcommitments\.so\.0 .*=> $libdir/"; then
	echo "libcommitments: $libdir is not in the dynamic linker's search path;" \
	     "add it to /etc/ld.so.conf.d/ and run ldconfig, or set LD_LIBRARY_PATH=$libdir"
fi
exit 0

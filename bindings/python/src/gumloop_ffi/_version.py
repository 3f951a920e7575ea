"""Versions: this package's, and the libgumloop it was written for."""

#: The version of libgumloop this package's declarations match; ``gumloop_version_get()`` of the
#: loaded library must equal it, or importing the package fails.
LIBRARY_VERSION = "0.3.0"

#: The package version. It follows the library's, so a wheel names the library inside it.
__version__ = LIBRARY_VERSION

"""What hvplanner says about itself: version, licence and where the third-party notices are.

`hvplanner --version` prints it; the install checks read the notices from the path it names.
Light on purpose: `--version` must stay instant.
"""

from __future__ import annotations

from hvplanner import __version__, paths

LICENSE_SPDX = "GPL-3.0-or-later"


def version_text() -> str:
    return (
        f"hvplanner {__version__}\n"
        f"Licence: {LICENSE_SPDX} ({paths.license_file()}); there is NO WARRANTY, "
        "to the extent permitted by law.\n"
        f"Third-party notices: {paths.third_party_notices()}"
    )

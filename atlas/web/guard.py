"""No traceback reaches a visitor: a page that fails says what went wrong in the visitor's
language, with the technical detail folded away, and the server keeps serving."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import streamlit as st

from atlas.errors import AtlasError
from atlas.render.i18n import t
from atlas.web import controls

LOG = logging.getLogger(__name__)


def guarded(render: Callable[[], None]) -> Callable[[], None]:
    """``render`` with the atlas's own errors and the file system's refusals shown as messages."""

    @functools.wraps(render)
    def page() -> None:
        try:
            render()
        except AtlasError as exc:
            _show("error.data", exc)
        except OSError as exc:
            LOG.warning("a page failed on the file system: %s", exc)
            _show("error.files", exc)

    return page


def _show(key: str, exc: Exception) -> None:
    lang = controls.current_language()
    st.error(t(key, lang))
    with st.expander(t("error.details", lang)):
        st.code(str(exc).replace(str(getattr(exc, "filename", "") or "\0"), "…"), language=None)

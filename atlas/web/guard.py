"""No traceback reaches a visitor: a page that fails says what went wrong in the visitor's
language, with the technical detail folded away, and the server keeps serving."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from atlas.bounded import cancel_when
from atlas.errors import AtlasError
from atlas.render.i18n import error_text, t
from atlas.web import controls

LOG = logging.getLogger(__name__)


def guarded(render: Callable[[], None]) -> Callable[[], None]:
    """``render`` with the atlas's own errors and the file system's refusals shown as messages;
    anything else (a fault of the atlas itself) is logged with its traceback on the server and
    the visitor gets a plain message in their language, never the traceback. A file being read
    for the page is given up when the visitor's session ends (``atlas.bounded``)."""

    @functools.wraps(render)
    def page() -> None:
        lang = controls.current_language()
        try:
            with cancel_when(session_ended()):
                render()
        except AtlasError as exc:
            show_error(t("error.data", lang), exc, lang)
        except OSError as exc:
            LOG.warning("a page failed on the file system: %s", exc)
            show_error(t("error.files", lang), exc, lang, explain=False)
        except Exception:  # Streamlit's reruns and stops are BaseExceptions: they pass through
            LOG.exception("a page failed")
            st.error(t("error.unexpected", lang))

    return page


def session_ended() -> Callable[[], bool]:
    """A check that says whether the session running this page has ended (its browser tab closed)."""
    context = get_script_run_ctx()
    if context is None or not Runtime.exists():
        return lambda: False
    runtime, session = Runtime.instance(), context.session_id
    return lambda: not runtime.is_active_session(session)


def show_error(headline: str, error: Exception, lang: str, *, explain: bool = True, detail: str = "") -> None:
    """``headline`` and what the error means in ``lang``; its technical text (``detail``, or the
    error's own message, server paths removed) folded away under "technical details"."""
    st.error(f"{headline} {error_text(error, lang)}" if explain else headline)
    text = detail or str(error)
    technical_details(text.replace(str(getattr(error, "filename", "") or "\0"), "…"), lang)


def technical_details(text: str, lang: str) -> None:
    """A technical message, folded away under "technical details"."""
    with st.expander(t("error.details", lang)):
        st.code(text, language=None)

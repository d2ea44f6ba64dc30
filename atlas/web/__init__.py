"""Stage 6, the Streamlit app: one module per page (``map_page``, ``margin_page``,
``environment_page``, ``data_page``, ``sources_page``), the shared sidebar (``controls``),
Streamlit caches (``cache``) and the server launcher (``server``). Pages arrange widgets and call
the earlier stages; they hold no data logic."""

"""The commands `make` runs (regenerate notebooks, build slides or the lite site, start JupyterLab)
and the helpers they share, importable as ``tools.<module>`` without any sys.path edit: pyproject
lists this package, so ``make install`` puts it on the path (``from tools.slides import ...``)."""

"""Printed documents (sign-in sheets, certificates, convocations, course sheet) with QtGui only.

One rendering path: each document paints its pages on any QPagedPaintDevice through a
QPainter, so a print preview, a printer and a PDF file show the same pages.

- ``model``, ``gather``, ``issuing``: plain data read from the database, certificate numbers
  and the certificate log; no Qt (services may import ``issuing``).
- ``batch``: ``prepare_documents`` (GUI thread, commit after it), ``PreparedDocuments.paint_on``
  (printer, preview), ``write_documents`` / ``export_documents`` (PDF files, any thread, with
  progress and cancel).
- ``fonts``, ``render``, ``canvas`` and one module per document: the drawing (QtGui).

This package imports nothing by itself, so that importing ``issuing`` does not load Qt.
"""

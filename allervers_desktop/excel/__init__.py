"""Excel exchange: read attendee lists (import, history, undo) and write rosters (export).

Entry points for the window and the command line:
- ``reading.open_spreadsheet`` and ``layout.prepare_sheet``: open a file, list and pick a sheet,
  detect the header row and propose a column mapping;
- ``importer.preview_import`` / ``importer.apply_import`` / ``importer.import_file``;
- ``history.list_batches`` / ``history.check_undo`` / ``history.undo_batch``;
- ``export.export_group_roster`` / ``export.export_course_workbook`` /
  ``export.export_participants``.
Nothing here imports Qt; long work reports through a ``progress(done, total) -> bool`` callback.
"""

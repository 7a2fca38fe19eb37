"""The bounds of an import, checked before a reader takes anything (see README, Import limits)."""

from __future__ import annotations

MIB = 1024 * 1024

MAX_FILE_BYTES = 100 * MIB  # bytes actually read from the file
MAX_ROWS = 50_000  # rows of the sheet read, counted from row 1
MAX_COLUMNS = 1_000  # columns of the sheet read, counted from column A
MAX_CELLS = 2_000_000  # rows x columns of the area handed to the reader (from A1)

# Archives (.xlsx, .xlsm, .xlsb, .ods are zip files)
MAX_ARCHIVE_MEMBERS = 1_000
MAX_CENTRAL_DIRECTORY_BYTES = 4 * MIB
MAX_MEMBER_BYTES = 128 * MIB  # one member, uncompressed
MAX_ARCHIVE_BYTES = 256 * MIB  # all members, uncompressed
MAX_RATIO = 200  # uncompressed / compressed size of a member over RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1 * MIB
MAX_SHARED_STRING_BYTES = 1 * MIB  # one shared string (Excel allows 32 767 characters)
MAX_TEXT_BYTES = 64 * MIB  # text the cells of a sheet copy out of the shared strings

PEAK_MEMORY_BOUND = 300 * MIB  # what the hostile-file tests measure a refusal against

"""Reading register import files (population and studies extracts): the file-parsing layer.

Pure parsing, no database: a file (CSV or XLSX, detected by content) becomes a lazy stream of
typed records and rejected rows, or one FileError. The formats are in
shared/spec/formats/register-import.md.

    from vagval.registers.importing import ImportKind, RejectedRow, open_import_file

    with open_import_file(upload, kind=ImportKind.BEFOLKNING, progress=on_progress) as parsed:
        for item in parsed:
            ...

See parser.py for the stream, values.py for what each column accepts (Excel's lost leading zeros
and serial dates included), rejected.py for the rejected-rows file.
"""

from .columns import POPULATION_COLUMNS, STUDY_COLUMNS, ColumnSpec, ImportKind
from .errors import FileError
from .parser import ImportFile, ParseResult, ProgressCallback, RecordCheck, open_import_file, parse_import_file
from .reading import CellValue, FileFormat, Source
from .records import ParseCounts, PopulationRow, Problem, RejectedRow, StudyRow
from .rejected import RejectedRowsWriter, write_rejected_rows
from .values import Skolform, StudyStatus

__all__ = [
    "POPULATION_COLUMNS",
    "STUDY_COLUMNS",
    "CellValue",
    "ColumnSpec",
    "FileError",
    "FileFormat",
    "ImportFile",
    "ImportKind",
    "ParseCounts",
    "ParseResult",
    "PopulationRow",
    "Problem",
    "ProgressCallback",
    "RecordCheck",
    "RejectedRow",
    "RejectedRowsWriter",
    "Skolform",
    "Source",
    "StudyRow",
    "StudyStatus",
    "open_import_file",
    "parse_import_file",
    "write_rejected_rows",
]

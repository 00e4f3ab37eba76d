"""Moodle's "Importar calificaciones desde CSV", restated from its code for the tests: what a file must be
for Moodle 4.x/5.x to import it without "Import failed. No data was imported." Read in moodle/moodle:
public/lib/csvlib.class.php (csv_import_reader::load_csv_content) at 0963d225, public/grade/import/csv/
classes/load_data.php at ead32c15 (map_user_data_with_value, check_user_exists, update_grade_item),
lib/moodlelib.php unformat_float, and lib/classes/dataformat.php escape_spreadsheet_formula."""
import csv
import io
import re

IDENTIFIERS = ("usuario", "email")  # the columns the teacher maps to username / email address
NUMERIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")  # PHP is_numeric, after spaces are removed


def is_numeric(text):
    """PHP's is_numeric of Moodle's unformat_float(value, strict) with decsep '.': spaces removed first."""
    return bool(NUMERIC.match(text.replace(" ", "")))


def moodle_rules(text, grade_columns):
    """Check a CSV as Moodle's importer reads it (comma separator, UTF-8); return its rows as dicts.
    grade_columns: {header: grade max} of the columns the teacher maps to grade items (range 0..max)."""
    text = text.removeprefix("\ufeff")  # trim_utf8_bom
    text = re.sub("\r\n?", "\n", text).strip()  # load_csv_content: newlines unified, the file trimmed
    assert '\\"' not in text, "fgetcsv's escape character (a backslash before a quote) changes the fields"
    rows = list(csv.reader(io.StringIO(text)))
    rows = [row for row in rows if row]  # an empty line is dropped
    header, data = rows[0], rows[1:]
    assert len(header) >= 2, "a file of one column imports nothing"
    assert all(len(row) == len(header) for row in data), "csvweirdcolumns: number of columns is not constant"
    assert len(set(header)) == len(header)
    records = [dict(zip([h.strip() for h in header], row)) for row in data]
    identifier = next(h for h in header if h in IDENTIFIERS)
    assert len({r[identifier].strip().lower() for r in records}) == len(records), "one row per student"
    for record in records:
        assert record[identifier].strip(), "a blank identifier fails the whole import"
        for key, value in record.items():  # Moodle 5.1 prefixes ' to a cell that starts with = + - @ (not '-')
            assert value == "-" or not value.lstrip().startswith(("=", "+", "-", "@")), (key, value)
        for column, most in grade_columns.items():
            value = record[column].strip()
            if value in ("", "-"):
                continue
            assert is_numeric(value), f"badgrade: {value!r}"
            assert "." not in value or len(value.split(".")[1]) <= 5, "grade_import_values.finalgrade has 5 decimals"
            assert 0 <= float(value) <= most, "gradevaluetoobig / gradevaluetoosmall"
    return records

"""Writes tests/fixtures/impact/panel.xlsx: the panel of panel.csv as a spreadsheet an office
suite would export, for berdaya's spreadsheet tests.

* Sheet 1 `Lama` is hidden and holds other numbers under the same columns (old data).
* Sheet 2 `Catatan` holds a note (so the survey is not on the first visible sheet).
* Sheet 3 `Data` holds panel.csv with numbers as numbers (income, online), text as text, one
  empty row after spreadsheet row 101, the income of spreadsheet row 12 replaced by the error
  value #N/A and the online answer of spreadsheet row 201 (CSV line 200) by #VALUE!.

How to run (from the repository root):

    python3 -m venv /tmp/sm && /tmp/sm/bin/pip install openpyxl \
        && /tmp/sm/bin/python scripts/xlsx_fixture.py

Deterministic: openpyxl writes fixed document properties below. Version used for the committed
file: openpyxl 3.1.5 (Python 3.11).
"""

import csv
import datetime

import openpyxl

SRC = "tests/fixtures/impact/panel.csv"
OUT = "tests/fixtures/impact/panel.xlsx"

with open(SRC, newline="") as f:
    rows = list(csv.reader(f))

book = openpyxl.Workbook()
notes = book.active
notes.title = "Catatan"
notes["A1"] = "Survei contoh untuk pengujian berdaya; datanya di lembar Data."
data = book.create_sheet("Data")
data.append(rows[0])
numeric = {rows[0].index("income"), rows[0].index("online")}
for i, row in enumerate(rows[1:], start=2):
    data.append([int(v) if j in numeric else v for j, v in enumerate(row)])
# Spreadsheet row 12: income is an error value.
income_col = rows[0].index("income") + 1
cell = data.cell(row=12, column=income_col)
cell.value = "#N/A"
cell.data_type = "e"
# An empty row after row 101: rows below keep the numbers the spreadsheet shows.
data.insert_rows(102)
# Spreadsheet row 201 (CSV line 200, below the empty row): online is an error value.
online = data.cell(row=201, column=rows[0].index("online") + 1)
online.value = "#VALUE!"
online.data_type = "e"
# A hidden first sheet `Lama` with the same columns and other numbers: the survey must not be
# read from a sheet nobody sees.
old = book.create_sheet("Lama", 0)
old.append(rows[0])
for row in rows[1:50]:
    old.append([int(v) * 2 if j in numeric else v for j, v in enumerate(row)])
old.sheet_state = "hidden"
book.active = 1
fixed = datetime.datetime(2026, 1, 1)
book.properties.created = fixed
book.properties.modified = fixed
book.properties.creator = "berdaya"
book.save(OUT)
print("wrote", OUT)

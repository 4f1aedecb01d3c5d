"""Excel exports: one safe, fast workbook writer (xlsx.py) and the exports built on it."""

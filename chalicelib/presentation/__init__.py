"""Renderings of a report for people: tables (CSV, XLSX, HTML, text) and SVG charts.

Pure functions of the report dict the service builds; used by the HTTP exports and by the
monthly e-mail alike, so both show the same figures.
"""
